/**
 * Workflow-JSON fixtures for node tests, as n8n's own node tests and apify's use them: a workflow
 * as the editor exports it (nodes, connections, pinned data). The node under test gets the
 * parameters saved in the workflow, completed with the defaults of its description as n8n does,
 * and as input the pinned output of the node connected to its input.
 */
import { readFileSync } from 'node:fs';

import type { IDataObject, INodeExecutionData, INodeProperties, INodeType } from 'n8n-workflow';

import { executeContext, type FakeContextOptions } from './n8nContext';

export interface WorkflowFixture {
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		typeVersion: number;
		parameters: IDataObject;
		credentials?: Record<string, { id: string; name: string }>;
	}>;
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	>;
	pinData?: Record<string, Array<{ json: IDataObject }>>;
}

export function loadWorkflow(path: string): WorkflowFixture {
	return JSON.parse(readFileSync(path, 'utf8')) as WorkflowFixture;
}

/** Top-level parameters missing from the saved ones take their description's default. */
export function withDefaults(properties: INodeProperties[], saved: IDataObject): IDataObject {
	const parameters: IDataObject = { ...saved };
	for (const property of properties)
		if (!(property.name in parameters) && property.type !== 'notice')
			parameters[property.name] = property.default as IDataObject[string];
	return parameters;
}

/** The pinned items of the node feeding `nodeName`'s input (input 0). */
export function inputOf(workflow: WorkflowFixture, nodeName: string): INodeExecutionData[] {
	for (const [from, outputs] of Object.entries(workflow.connections))
		for (const output of outputs.main)
			if (output.some((c) => c.node === nodeName)) return workflow.pinData?.[from] ?? [];
	return [];
}

/**
 * The execute context of the named node: its saved parameters (with defaults), its input, and the
 * credential data the test supplies for the credential types the workflow gave it.
 */
export function contextFor(
	workflow: WorkflowFixture,
	nodeName: string,
	nodeType: INodeType,
	options: Pick<FakeContextOptions, 'credentials' | 'continueOnFail' | 'staticData'> = {},
) {
	const node = workflow.nodes.find((n) => n.name === nodeName);
	if (!node) throw new Error(`Workflow "${workflow.name}" has no node "${nodeName}"`);
	const declared = Object.keys(node.credentials ?? {});
	const missing = declared.filter((type) => !options.credentials?.[type]);
	if (missing.length) throw new Error(`No test data for credential(s) ${missing.join(', ')}`);
	return executeContext({
		type: node.type,
		name: node.name,
		parameters: withDefaults(nodeType.description.properties, node.parameters),
		items: inputOf(workflow, nodeName),
		credentials: Object.fromEntries(declared.map((type) => [type, options.credentials![type]])),
		continueOnFail: options.continueOnFail,
		staticData: options.staticData,
	});
}
