/**
 * QuickBooks Online error parsing. Intuit answers errors in three shapes:
 * - JSON `{ Fault: { type, Error: [{ Message, Detail, code, element }] } }` (validation, business rules);
 * - JSON with lower-case keys `{ fault: { type, error: [{ message, detail, code }] } }` (401 AuthenticationFailed);
 * - XML `<IntuitResponse><Fault type="SERVICE"><Error code="3001">…ThrottleExceeded…` (429 throttling).
 * Every message is passed through `redactSecrets`, because Intuit echoes the bearer token in
 * "Token expired: …" details.
 */
import { XMLParser } from 'fast-xml-parser';

export interface QboFaultError {
	code: string;
	message: string;
	detail?: string;
	element?: string;
}

/** Well-known Intuit error codes this package reacts to. */
export const QboErrorCode = {
	authenticationFailed: '3200',
	authorizationFailed: '3100',
	throttleExceeded: '3001',
	staleObject: '5010',
	duplicateName: '6240',
	duplicateDocNumber: '6140',
	invalidReference: '2500',
	stringLength: '2050',
	requiredParam: '2020',
	objectNotFound: '610',
} as const;

export class QboError extends Error {
	readonly status: number;
	readonly faultType: string;
	readonly errors: QboFaultError[];
	/** Intuit's request id header, for support tickets. */
	readonly intuitTid?: string;

	constructor(status: number, faultType: string, errors: QboFaultError[], intuitTid?: string) {
		const first = errors[0];
		const text = first
			? `QuickBooks error ${first.code}: ${first.message}${first.detail && first.detail !== first.message ? ` — ${first.detail}` : ''}`
			: `QuickBooks HTTP ${status}`;
		super(redactSecrets(text));
		this.name = 'QboError';
		this.status = status;
		this.faultType = faultType;
		this.errors = errors.map((e) => ({
			code: e.code,
			message: redactSecrets(e.message),
			detail: e.detail === undefined ? undefined : redactSecrets(e.detail),
			element: e.element,
		}));
		this.intuitTid = intuitTid;
	}

	get code(): string {
		return this.errors[0]?.code ?? String(this.status);
	}

	hasCode(code: string): boolean {
		return this.errors.some((e) => e.code === code);
	}
}

/** Removes bearer tokens, refresh tokens and JWT-looking strings from a message. */
export function redactSecrets(text: string): string {
	return text
		.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
		.replace(/(Token (?:expired|invalid|revoked)?:?\s*)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]')
		.replace(/((?:access|refresh)_?token["'=:\s]+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]')
		.replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9._-]+/g, '[redacted]');
}

const xml = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	// Never expand entities or DTDs from a remote body.
	processEntities: false,
	removeNSPrefix: true,
});

function asArray<T>(value: T | T[] | undefined): T[] {
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}

function headerValue(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name)
			return Array.isArray(value)
				? String(value[0])
				: value === undefined
					? undefined
					: String(value);
	}
	return undefined;
}

export { headerValue };

/** Reads a `Fault` object (either key case) into errors. */
export function faultFromObject(fault: any): { type: string; errors: QboFaultError[] } | undefined {
	if (!fault || typeof fault !== 'object') return undefined;
	const list = asArray<any>(fault.Error ?? fault.error);
	return {
		type: String(fault.type ?? 'Unknown'),
		errors: list.map((e) => ({
			code: String(e.code ?? e.Code ?? ''),
			message: String(e.Message ?? e.message ?? ''),
			detail: e.Detail ?? e.detail ?? undefined,
			element: e.element ?? e.Element ?? undefined,
		})),
	};
}

/** Builds a QboError from any non-2xx answer (or a 200 whose body carries a Fault). */
export function parseQboError(
	status: number,
	headers: Record<string, unknown> | undefined,
	body: unknown,
): QboError {
	const tid = headerValue(headers, 'intuit_tid');
	let parsed: unknown = body;
	if (typeof body === 'string') {
		const text = body.trim();
		if (text.startsWith('{')) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = text;
			}
		} else if (text.startsWith('<')) {
			try {
				const doc = xml.parse(text);
				const fault = doc?.IntuitResponse?.Fault ?? doc?.Fault;
				if (fault) {
					const errors = asArray<any>(fault.Error).map((e) => ({
						code: String(e.code ?? ''),
						message: String(e.Message ?? ''),
						detail: e.Detail === undefined ? undefined : String(e.Detail),
						element: e.element || undefined,
					}));
					return new QboError(status, String(fault.type ?? 'SERVICE'), errors, tid);
				}
			} catch {
				// fall through to the generic error below
			}
		}
	}
	if (parsed && typeof parsed === 'object') {
		const obj = parsed as Record<string, unknown>;
		const fault = faultFromObject(obj.Fault ?? obj.fault);
		if (fault && fault.errors.length) return new QboError(status, fault.type, fault.errors, tid);
		if (typeof obj.error === 'string') {
			// OAuth token endpoint shape: { error, error_description }
			return new QboError(
				status,
				'OAUTH',
				[{ code: obj.error, message: String(obj.error_description ?? obj.error) }],
				tid,
			);
		}
	}
	const snippet = typeof parsed === 'string' ? parsed.slice(0, 200) : '';
	return new QboError(
		status,
		'HTTP',
		[{ code: String(status), message: `HTTP ${status}${snippet ? `: ${snippet}` : ''}` }],
		tid,
	);
}

/** True when an error code means "slow down" (HTTP 429 or Intuit's ThrottleExceeded). */
export function isThrottle(status: number, error?: QboError): boolean {
	return status === 429 || (error?.hasCode(QboErrorCode.throttleExceeded) ?? false);
}
