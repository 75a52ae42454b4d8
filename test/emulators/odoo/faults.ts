/** Exceptions the emulated server raises, mirroring the Python ones Odoo maps onto RPC faults. */

export type PyException =
	| 'odoo.exceptions.UserError'
	| 'odoo.exceptions.ValidationError'
	| 'odoo.exceptions.MissingError'
	| 'odoo.exceptions.AccessDenied'
	| 'odoo.exceptions.AccessError'
	| 'builtins.ValueError'
	| 'builtins.AttributeError'
	| 'builtins.TypeError'
	| 'psycopg2.errors.ForeignKeyViolation'
	| 'psycopg2.errors.UniqueViolation'
	| 'psycopg2.OperationalError'
	| 'werkzeug.exceptions.UnprocessableEntity';

export class EmulatedOdooError extends Error {
	constructor(
		readonly pyName: PyException,
		message: string,
	) {
		super(message);
	}

	/** `/xmlrpc/2` fault code: 1 = other (traceback), 2 = user/validation/missing, 3 = access denied, 4 = access error. */
	get faultCode(): number {
		switch (this.pyName) {
			case 'odoo.exceptions.UserError':
			case 'odoo.exceptions.ValidationError':
			case 'odoo.exceptions.MissingError':
				return 2;
			case 'odoo.exceptions.AccessDenied':
				return 3;
			case 'odoo.exceptions.AccessError':
				return 4;
			default:
				return 1;
		}
	}

	get traceback(): string {
		const short = this.pyName.split('.').pop();
		const shown = this.pyName.startsWith('builtins.') ? short : this.pyName;
		return `Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 156, in retrying\n    result = func()\n  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 133, in execute_kw\n    return call_kw(env[model], method, args, kwargs)\n${shown}: ${this.message}\n`;
	}

	/** XML-RPC faultString: the message for code 2/3/4, the full traceback for code 1. */
	get faultString(): string {
		return this.faultCode === 1 ? this.traceback : this.message;
	}

	/** HTTP status JSON-2 answers with (Odoo 19 `http_status` of the exception classes). */
	get httpStatus(): number {
		switch (this.pyName) {
			case 'odoo.exceptions.UserError':
			case 'odoo.exceptions.ValidationError':
			case 'werkzeug.exceptions.UnprocessableEntity':
				return 422;
			case 'odoo.exceptions.MissingError':
				return 404;
			case 'odoo.exceptions.AccessDenied':
				return 401;
			case 'odoo.exceptions.AccessError':
				return 403;
			default:
				return 500;
		}
	}
}

export const accessError = (message: string) =>
	new EmulatedOdooError('odoo.exceptions.AccessError', message);
export const typeError = (message: string) => new EmulatedOdooError('builtins.TypeError', message);
export const userError = (message: string) =>
	new EmulatedOdooError('odoo.exceptions.UserError', message);
export const validationError = (message: string) =>
	new EmulatedOdooError('odoo.exceptions.ValidationError', message);
export const valueError = (message: string) =>
	new EmulatedOdooError('builtins.ValueError', message);
export const missingError = (model: string, ids: number[]) =>
	new EmulatedOdooError(
		'odoo.exceptions.MissingError',
		`Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')},), User: 2)`,
	);
