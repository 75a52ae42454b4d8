/** Loads the workflow templates from workflows/ (used by the demo, the e2e tests and the screenshots). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TEMPLATE_FILES, WORKFLOW_IDS, type TemplateKey } from './ids';

export const WORKFLOWS_DIR = path.resolve(__dirname, '..', '..', 'workflows');

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, unknown>;
		credentials?: Record<string, { id: string; name: string }>;
		[key: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export function loadTemplate(key: TemplateKey): WorkflowJson {
	const file = path.join(WORKFLOWS_DIR, TEMPLATE_FILES[key]);
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowJson;
	if (workflow.id !== WORKFLOW_IDS[key])
		throw new Error(`${file}: id ${workflow.id} is not the fixed id ${WORKFLOW_IDS[key]}`);
	return workflow;
}

/** Every template that exists in workflows/ (some may still be missing while the package grows). */
export function loadTemplates(): Partial<Record<TemplateKey, WorkflowJson>> {
	const templates: Partial<Record<TemplateKey, WorkflowJson>> = {};
	for (const key of Object.keys(TEMPLATE_FILES) as TemplateKey[]) {
		if (fs.existsSync(path.join(WORKFLOWS_DIR, TEMPLATE_FILES[key])))
			templates[key] = loadTemplate(key);
	}
	return templates;
}

/** A copy of a template with some node parameters changed (tests and the demo tune schedules, paths…). */
export function withNodeParameters(
	workflow: WorkflowJson,
	nodeName: string,
	parameters: Record<string, unknown>,
): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	const node = copy.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`${workflow.name}: no node named "${nodeName}"`);
	node.parameters = { ...node.parameters, ...parameters };
	return copy;
}
