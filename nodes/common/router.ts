/** The router of a node with operations: the `operation` parameter picks one file's `execute`. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

export interface Operation {
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

export async function route(
	ctx: IExecuteFunctions,
	operations: Record<string, Operation>,
	parameter = 'operation',
): Promise<INodeExecutionData[][]> {
	const name = ctx.getNodeParameter(parameter, 0) as string;
	const operation = operations[name];
	if (!operation)
		throw new NodeOperationError(ctx.getNode(), `The ${parameter} "${name}" is not supported`);
	return await operation.execute.call(ctx);
}
