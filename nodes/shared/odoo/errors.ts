/**
 * Typed Odoo faults. Every transport (XML-RPC, JSON-2, JSON-RPC) maps its own error shape onto
 * these classes so callers branch on the kind of failure, not on the protocol. Messages carry
 * Odoo's own text, never the API key: every constructor runs the text through `redact`.
 */

export type OdooErrorKind =
	'access_denied' | 'access' | 'user' | 'missing' | 'server' | 'transport' | 'request';

export interface OdooErrorDetails {
	/** XML-RPC fault code (1..4 or a legacy string), HTTP status for JSON-2. */
	code?: number | string;
	/** Python exception name, e.g. `odoo.exceptions.UserError`, when the server says so. */
	exceptionName?: string;
	/** Which call failed: `account.move.create`. */
	operation?: string;
	/** Server traceback (already redacted); kept out of `message`. */
	debug?: string;
}

const secretsToHide = new Set<string>();

/** Registers a secret (an API key) so no OdooError message, debug text or JSON can contain it. */
export function registerSecret(secret: string | undefined): void {
	if (secret && secret.length >= 4) secretsToHide.add(secret);
}

/** Replaces every registered secret (and any `bearer <token>`) in a text by `***`. */
export function redact(text: string, extraSecrets: Array<string | undefined> = []): string {
	let out = text;
	for (const secret of [...secretsToHide, ...extraSecrets]) {
		if (secret && secret.length >= 4) out = out.split(secret).join('***');
	}
	return out.replace(/(bearer\s+)[^\s"',]+/gi, '$1***');
}

export class OdooError extends Error {
	readonly kind: OdooErrorKind = 'server';
	readonly code?: number | string;
	readonly exceptionName?: string;
	readonly operation?: string;
	readonly debug?: string;

	constructor(message: string, details: OdooErrorDetails = {}) {
		super(redact(message));
		this.name = new.target.name;
		this.code = details.code;
		this.exceptionName = details.exceptionName;
		this.operation = details.operation;
		this.debug = details.debug === undefined ? undefined : redact(details.debug);
		if (this.stack) this.stack = redact(this.stack);
	}

	toJSON(): Record<string, unknown> {
		return {
			name: this.name,
			kind: this.kind,
			message: this.message,
			code: this.code,
			exceptionName: this.exceptionName,
			operation: this.operation,
		};
	}
}

/** Wrong login, database or API key (XML-RPC fault 3, HTTP 401, `odoo.exceptions.AccessDenied`). */
export class OdooAccessDeniedError extends OdooError {
	readonly kind = 'access_denied' as const;
}

/** The user lacks rights on a model or record (XML-RPC fault 4, HTTP 403, `AccessError`). */
export class OdooAccessError extends OdooError {
	readonly kind = 'access' as const;
}

/** A business rule refused the call: UserError, ValidationError, RedirectWarning (fault 2, HTTP 422). */
export class OdooUserError extends OdooError {
	readonly kind = 'user' as const;
}

/** The record does not exist or was deleted (`MissingError`, HTTP 404). */
export class OdooMissingError extends OdooError {
	readonly kind = 'missing' as const;
}

/** Any other server-side exception (fault 1 with a traceback, HTTP 500). */
export class OdooServerError extends OdooError {
	readonly kind = 'server' as const;
}

/** The server could not be reached or answered something that is not Odoo. */
export class OdooTransportError extends OdooError {
	readonly kind = 'transport' as const;
}

/** The database named in the credential does not exist on that server (or is not served there). */
export class OdooDatabaseNotFoundError extends OdooAccessDeniedError {
	constructor(
		readonly database: string,
		details: OdooErrorDetails = {},
		why = 'was not found',
	) {
		super(
			`Odoo database "${database}" ${why}: check the Database field of the credential`,
			details,
		);
	}
}

/**
 * Odoo could not bind the call's arguments (JSON-2's 422 UnprocessableEntity): the request itself is
 * wrong, whatever the records in it, so splitting a batch would only repeat it.
 */
export class OdooRequestError extends OdooError {
	readonly kind = 'request' as const;
}

/** The name in PostgreSQL's `database "x" does not exist`, as Odoo relays it for an unknown database. */
/**
 * Two posts into one journal at the same moment (two n8n workers, or another user) can pick the same
 * number; Odoo's unique index on (name, journal) then refuses the later one. Its transaction waited
 * for the other to commit and wrote nothing, so trying again at once takes the next number.
 */
export function isNumberingRace(error: unknown): boolean {
	return (
		error instanceof OdooError &&
		/another entry with the same name already exists/i.test(error.message)
	);
}

/** How many times a write refused by a numbering race is tried again. */
export const NUMBERING_RACE_RETRIES = 3;

export function missingDatabaseIn(text: string): string | undefined {
	return /database "([^"]+)" does not exist/.exec(text)?.[1];
}

/** The last line of a Python traceback is the useful message (`ValueError: Wrong value …`). */
export function lastTracebackLine(text: string): string {
	const lines = text
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
	if (lines.length <= 1 || !text.startsWith('Traceback')) return text.trim();
	return lines[lines.length - 1];
}

/** Maps a Python exception name (as JSON-RPC and JSON-2 report it) to the right class. */
export function errorFromExceptionName(
	exceptionName: string | undefined,
	message: string,
	details: OdooErrorDetails,
): OdooError {
	const short = (exceptionName ?? '').split('.').pop() ?? '';
	const withName = { ...details, exceptionName };
	const database = missingDatabaseIn(message);
	if (database !== undefined)
		return new OdooDatabaseNotFoundError(database, {
			...withName,
			debug: withName.debug ?? message,
		});
	switch (short) {
		case 'AccessDenied':
		case 'Unauthorized':
			return new OdooAccessDeniedError(message, withName);
		case 'AccessError':
		case 'Forbidden':
			return new OdooAccessError(message, withName);
		case 'MissingError':
		case 'NotFound':
			return new OdooMissingError(message, withName);
		case 'UserError':
		case 'ValidationError':
		case 'RedirectWarning':
			return new OdooUserError(message, withName);
		case 'UnprocessableEntity':
			return new OdooRequestError(
				`Odoo could not take the arguments of ${details.operation ?? 'the call'}: ${message}`,
				withName,
			);
		default:
			return new OdooServerError(message, withName);
	}
}

/** Maps an XML-RPC fault (`/xmlrpc/2`: 1..4; legacy `/xmlrpc`: strings) to the right class. */
export function errorFromXmlRpcFault(
	faultCode: number | string,
	faultString: string,
	operation?: string,
): OdooError {
	const details: OdooErrorDetails = { code: faultCode, operation };
	const database = missingDatabaseIn(faultString);
	if (database !== undefined)
		return new OdooDatabaseNotFoundError(database, { ...details, debug: faultString });
	if (typeof faultCode === 'string') {
		if (faultCode === 'AccessDenied') return new OdooAccessDeniedError('Access Denied', details);
		if (faultCode.startsWith('warning'))
			return new OdooUserError(faultCode.replace(/^warning -- \w+\n\n/, ''), details);
		return new OdooServerError(lastTracebackLine(faultString || faultCode), {
			...details,
			debug: faultString,
		});
	}
	switch (faultCode) {
		case 3:
			return new OdooAccessDeniedError(faultString || 'Access Denied', details);
		case 4:
			return new OdooAccessError(faultString, details);
		case 2:
			if (/^Record does not exist or has been deleted/.test(faultString))
				return new OdooMissingError(faultString, details);
			return new OdooUserError(faultString, details);
		default:
			return new OdooServerError(lastTracebackLine(faultString), {
				...details,
				debug: faultString,
			});
	}
}
