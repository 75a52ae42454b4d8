/** An Intuit fault: the HTTP status and the `Fault` body QuickBooks answers with. */
export class Fault extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly detail: string,
		readonly type = 'ValidationFault',
		readonly element = '',
	) {
		super(message);
	}
	toJSON() {
		return {
			Error: [
				{ Message: this.message, Detail: this.detail, code: this.code, element: this.element },
			],
			type: this.type,
		};
	}
}
