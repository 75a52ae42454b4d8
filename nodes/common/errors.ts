/**
 * The one translation from what went wrong to n8n's error types, used by every node:
 * - an ERP's own answer (it refused the record, faulted, or could not be reached) → NodeApiError,
 *   carrying the ERP's details (never a credential);
 * - anything else (the input record, a parameter, a policy the user chose such as "fail on a total
 *   mismatch") → NodeOperationError.
 */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { describeErpError } from '../shared/erps';

export interface NodeErrorOptions {
	/** Shown instead of the error's own message (e.g. one naming the file and row). */
	message?: string;
	description?: string;
	itemIndex?: number;
}

export function toNodeError(
	node: INode,
	error: unknown,
	options: NodeErrorOptions = {},
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const message = options.message ?? (error instanceof Error ? error.message : String(error));
	const erp = describeErpError(error);
	if (erp)
		return new NodeApiError(node, erp.details as JsonObject, {
			message,
			description: options.description ?? erp.description,
			itemIndex: options.itemIndex,
		});
	return new NodeOperationError(node, message, {
		description: options.description,
		itemIndex: options.itemIndex,
	});
}
