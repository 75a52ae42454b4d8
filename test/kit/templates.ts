/**
 * The shipped workflow templates (workflows/*.json) for the demo, the e2e tests and the screenshots:
 * load them, tune a node's parameters, and import them into a running n8n the way a user sets them up
 * (each gets its own new id; every template but the collector names the Error Collector as its error
 * workflow, which is the one setting a user makes after importing).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowJson } from '../../workflows/source/builder';
import { TEMPLATE_FILES, TEMPLATE_KEYS, type TemplateKey } from '../../workflows/source/catalog';
import { randomWorkflowId } from '../fixtures/n8n/cli';

export type { WorkflowJson } from '../../workflows/source/builder';
export const WORKFLOWS_DIR = path.resolve(__dirname, '..', '..', 'workflows');

export type Templates = Record<TemplateKey, WorkflowJson>;
export type TemplateIds = Record<TemplateKey, string>;

export function loadTemplate(key: TemplateKey): WorkflowJson {
	return JSON.parse(
		fs.readFileSync(path.join(WORKFLOWS_DIR, TEMPLATE_FILES[key]), 'utf8'),
	) as WorkflowJson;
}

export function loadTemplates(): Templates {
	return Object.fromEntries(TEMPLATE_KEYS.map((key) => [key, loadTemplate(key)])) as Templates;
}

/** A deep copy of a template and its node of that name, to change. */
function copyWithNode(workflow: WorkflowJson, nodeName: string) {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	const node = copy.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`${workflow.name}: no node named "${nodeName}"`);
	return { copy, node };
}

/** A copy of a template with some node parameters changed (tests and the demo tune schedules, paths…). */
export function withNodeParameters(
	workflow: WorkflowJson,
	nodeName: string,
	parameters: Record<string, unknown>,
): WorkflowJson {
	const { copy, node } = copyWithNode(workflow, nodeName);
	node.parameters = { ...node.parameters, ...parameters };
	return copy;
}

/** What importing needs of a running n8n. */
interface Importer {
	importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void>;
	/** With both, the sub-workflows the templates call are published on n8n 2.x. */
	activate?(id: string): Promise<unknown>;
	runtime?: { line: string };
}

/**
 * Sets the sub-workflow of every Execute Workflow node that names a template in its list (e.g. "Record
 * Audit" → "Stampli: Record audit") to that template's id and enables the node, as a user does after
 * importing; adds the ids it set to `called`.
 */
function withSubWorkflowIds(
	workflow: WorkflowJson,
	idByName: Map<string, string>,
	called: Set<string>,
): WorkflowJson {
	const nodes = workflow.nodes.map((node) => {
		const ref = node.parameters.workflowId as { cachedResultName?: string } | undefined;
		const id =
			node.type === 'n8n-nodes-base.executeWorkflow'
				? idByName.get(ref?.cachedResultName ?? '')
				: undefined;
		if (!id) return node;
		called.add(id);
		// Shipped disabled until the sub-workflow is picked.
		const { disabled: _disabled, ...enabled } = node;
		return {
			...enabled,
			parameters: { ...node.parameters, workflowId: { ...ref, mode: 'id', value: id } },
		};
	});
	return { ...workflow, nodes };
}

/**
 * Imports the templates with new ids, binds the sub-workflows they call (published on n8n 2.x, which
 * publishes a caller only when its sub-workflows are), and points every one but the collector at the
 * collector as its error workflow. Returns the id of each template.
 */
export async function importTemplates(n8n: Importer, templates: Templates): Promise<TemplateIds> {
	const ids = Object.fromEntries(
		TEMPLATE_KEYS.map((key) => [key, randomWorkflowId()]),
	) as TemplateIds;
	const idByName = new Map(TEMPLATE_KEYS.map((key) => [templates[key].name, ids[key]]));
	const called = new Set<string>();
	// On n8n 1.x the Record audit sub-workflow stays as shipped (disabled): its Data Table store is
	// verified on 2.x only (docs/audit.md says to use the Postgres store on 1.x).
	const bind = n8n.runtime?.line !== '1.x';
	await n8n.importWorkflows(
		TEMPLATE_KEYS.map((key) => ({
			...(bind ? withSubWorkflowIds(templates[key], idByName, called) : templates[key]),
			id: ids[key],
			settings: {
				...templates[key].settings,
				...(key === 'errorCollector' ? {} : { errorWorkflow: ids.errorCollector }),
			},
		})),
	);
	if (n8n.runtime?.line === '2.x' && n8n.activate) for (const id of called) await n8n.activate(id);
	return ids;
}

/**
 * A copy of a template with the pickers a user fills at setup filled: every empty resource locator
 * named in `picks` (anywhere in the node's parameters, e.g. each rule's Taxes) gets that id, as if
 * chosen from the list. Templates ship these empty because ids differ between databases.
 */
export function withPicks(
	workflow: WorkflowJson,
	nodeName: string,
	picks: Record<string, string>,
): WorkflowJson {
	const { copy, node } = copyWithNode(workflow, nodeName);
	let filled = 0;
	const walk = (value: unknown): void => {
		if (Array.isArray(value)) return value.forEach(walk);
		if (!value || typeof value !== 'object') return;
		const record = value as Record<string, unknown>;
		for (const [key, child] of Object.entries(record)) {
			const locator = child as { __rl?: boolean; value?: unknown } | null;
			if (key in picks && locator?.__rl === true && locator.value === '') {
				record[key] = { __rl: true, mode: 'list', value: picks[key] };
				filled++;
			} else walk(child);
		}
	};
	walk(node.parameters);
	if (filled === 0)
		throw new Error(
			`${workflow.name}: "${nodeName}" has no empty picker among ${Object.keys(picks)}`,
		);
	return copy;
}
