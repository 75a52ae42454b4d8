/** Driving templates in a running n8n: import, wait for executions, read what each node put out. */
import type { ExecutionSummary, N8nInstance } from '../../test/fixtures/n8n/instance';
import type { WorkflowJson } from './templates';

export type Json = Record<string, unknown>;

export interface ExecutionWithData extends ExecutionSummary {
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{
					data?: { main?: Array<Array<{ json: Json }> | null> };
					error?: { message?: string };
				}>
			>;
			error?: { message?: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
}

/** One `n8n import:workflow` for all templates (each CLI start costs seconds); fixed ids overwrite. */
export async function importWorkflows(n8n: N8nInstance, workflows: WorkflowJson[]): Promise<void> {
	for (const workflow of workflows) await n8n.importWorkflow(workflow);
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until the workflow has at least `count` finished executions; returns them oldest first. */
export async function waitForExecutions(
	n8n: N8nInstance,
	workflowId: string,
	count: number,
	timeoutMs = 120_000,
): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let finished: ExecutionSummary[] = [];
	while (Date.now() < deadline) {
		const all = await n8n.listExecutions(workflowId);
		finished = all
			.filter((execution) => FINISHED.has(execution.status))
			.sort((a, b) => Number(a.id) - Number(b.id));
		const running = all.length - finished.length;
		if (finished.length >= count && running === 0) return finished;
		await sleep(500);
	}
	throw new Error(
		`workflow ${workflowId}: ${finished.length} of ${count} executions finished within ${timeoutMs} ms\n${n8n.logTail(40)}`,
	);
}

export async function executionWithData(n8n: N8nInstance, id: string): Promise<ExecutionWithData> {
	return (await n8n.api(
		'GET',
		`/executions/${encodeURIComponent(id)}?includeData=true`,
	)) as ExecutionWithData;
}

/** Items a node put on one output in an execution (first run of the node); [] when it did not run. */
export function nodeOutput(execution: ExecutionWithData, nodeName: string, output = 0): Json[] {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (!runs?.length) return [];
	return runs.flatMap((run) => (run.data?.main?.[output] ?? []).map((item) => item.json));
}

/** The error an execution stopped with, if any. */
export function executionError(execution: ExecutionWithData): string | undefined {
	return execution.data?.resultData?.error?.message;
}
