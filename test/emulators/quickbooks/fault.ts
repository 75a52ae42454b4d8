/** Intuit's fault shape, and the money helpers validation shares (amounts checked in cents). */
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

export const now = () => new Date().toISOString();

export function toCents(amount: unknown, element: string): bigint {
	if (typeof amount !== 'number' || !Number.isFinite(amount)) {
		throw new Fault(
			400,
			'2020',
			'Required param missing, need to supply the required value for the API',
			`Required parameter ${element} is missing in the request`,
			'ValidationFault',
			element,
		);
	}
	const [int, frac = ''] = amount.toFixed(2).split('.');
	return BigInt(int) * 100n + (int.startsWith('-') ? -1n : 1n) * BigInt(frac.padEnd(2, '0'));
}

export function centsToNumber(cents: bigint): number {
	return Number(cents) / 100;
}
