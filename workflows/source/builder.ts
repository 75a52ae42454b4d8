/**
 * Builds the workflow template JSON in workflows/ from compact specs (templates.ts), so six templates
 * share one layout convention, stable node ids and the same settings. The JSON files are what users
 * import; this only keeps them consistent.
 */
import { createHash } from 'node:crypto';
import { CREDENTIAL_IDS, CREDENTIAL_NAMES, type CredentialType, type TemplateKey } from './catalog';

/** A workflow as n8n imports and exports it (the parts the templates and the tests use). */
export interface WorkflowJson {
	/** Absent in the shipped templates: n8n assigns one on import. */
	id?: string;
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

export const PACKAGE = 'n8n-nodes-stampli';

export interface NodeSpec {
	name: string;
	type: string;
	typeVersion?: number;
	position: [number, number];
	parameters?: Record<string, unknown>;
	credentials?: CredentialType[];
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	alwaysOutputData?: boolean;
	notes?: string;
	/** Other node settings as n8n saves them (retryOnFail, maxTries, executeOnce, disabled…). */
	settings?: Record<string, unknown>;
}

export interface StickySpec {
	content: string;
	position: [number, number];
	width: number;
	height: number;
	/** n8n sticky colours 1–7 (1 yellow, 4 green, 6 purple, 7 gray…). */
	color?: number;
}

/** [from node, from output, to node, to input] */
export type Link = [string, number, string, number];

export interface TemplateSpec {
	key: TemplateKey;
	name: string;
	nodes: NodeSpec[];
	links: Link[];
	stickies: StickySpec[];
}

/** A uuid-shaped id that stays the same for the same template and node name. */
function stableId(...parts: string[]): string {
	const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const stampli = (name: string) => `${PACKAGE}.${name}`;

export function buildTemplate(spec: TemplateSpec): WorkflowJson {
	const names = new Set(spec.nodes.map((node) => node.name));
	const nodes: WorkflowJson['nodes'] = spec.nodes.map((node) => ({
		parameters: node.parameters ?? {},
		id: stableId(spec.key, node.name),
		name: node.name,
		type: node.type,
		typeVersion: node.typeVersion ?? 1,
		position: node.position,
		...(node.credentials
			? {
					credentials: Object.fromEntries(
						node.credentials.map((type) => [
							type,
							{ id: CREDENTIAL_IDS[type], name: CREDENTIAL_NAMES[type] },
						]),
					),
				}
			: {}),
		...(node.onError ? { onError: node.onError } : {}),
		...(node.alwaysOutputData ? { alwaysOutputData: true } : {}),
		...(node.notes ? { notes: node.notes, notesInFlow: true } : {}),
		...node.settings,
	}));
	spec.stickies.forEach((sticky, index) => {
		nodes.push({
			parameters: {
				content: sticky.content,
				height: sticky.height,
				width: sticky.width,
				...(sticky.color ? { color: sticky.color } : {}),
			},
			id: stableId(spec.key, 'sticky', String(index)),
			name: index === 0 ? 'Sticky Note' : `Sticky Note${index}`,
			type: 'n8n-nodes-base.stickyNote',
			typeVersion: 1,
			position: sticky.position,
		});
	});

	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	> = {};
	for (const [from, output, to, input] of spec.links) {
		if (!names.has(from) || !names.has(to))
			throw new Error(`${spec.name}: link ${from} → ${to} names a missing node`);
		const entry = (connections[from] ??= { main: [] });
		while (entry.main.length <= output) entry.main.push([]);
		entry.main[output].push({ node: to, type: 'main', index: input });
	}

	return {
		name: spec.name,
		nodes,
		connections,
		active: false,
		settings: {
			executionOrder: 'v1',
			saveManualExecutions: true,
			saveDataErrorExecution: 'all',
			saveDataSuccessExecution: 'all',
			callerPolicy: 'workflowsFromSameOwner',
		},
		pinData: {},
		meta: { templateCredsSetupCompleted: false },
		tags: [],
	};
}
