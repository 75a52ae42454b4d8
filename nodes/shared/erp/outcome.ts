/**
 * What every ERP write returns, one per record and in input order: a success with the canonical
 * `erp` result (plus ERP-specific details), or a failure with the error, the reason shown on the
 * item and an optional code. A failure's `error` says who is to blame: an `ErpInputError` (the
 * record or a setting must be fixed) or the ERP's own error class (it refused or could not answer).
 */
import type { ErpResult } from '../records/types';

/** Bad input, named by file, rows and field: fix the record or the node's settings, not the ERP. */
export class ErpInputError extends Error {
	constructor(
		message: string,
		readonly code = 'INVALID_INPUT',
	) {
		super(message);
		this.name = 'ErpInputError';
	}
}

export interface ErpFailure {
	ok: false;
	error: Error;
	/** The message put on the item (`error`), naming file, rows and the record. */
	reason: string;
	/** A short code when the ERP or the check has one (QuickBooks `6240`, `UNMAPPED_LINE`). */
	code?: string;
}

export type ErpSuccess<Detail extends object = object> = { ok: true; erp: ErpResult } & Detail;

export type ErpOutcome<Detail extends object = object> = ErpSuccess<Detail> | ErpFailure;

/** A failure from anything thrown; `reason` defaults to the error's message, `code` to the error's own text code. */
export function failed(error: unknown, reason?: string, code?: string): ErpFailure {
	const err = error instanceof Error ? error : new Error(String(error));
	const own = (err as { code?: unknown }).code;
	const errorCode = code ?? (typeof own === 'string' ? own : undefined);
	return {
		ok: false,
		error: err,
		reason: reason ?? err.message,
		...(errorCode !== undefined ? { code: errorCode } : {}),
	};
}

/** A failure caused by the input: `message` becomes both the error and the reason. */
export function inputFailure(message: string, code?: string): ErpFailure {
	return failed(new ErpInputError(message, code));
}
