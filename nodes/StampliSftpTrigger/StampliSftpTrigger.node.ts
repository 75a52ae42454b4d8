import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type IRun,
} from 'n8n-workflow';
import {
	connectSftp,
	downstreamRuns,
	fetchNewest,
	ledgerFrom,
	makeStampliParser,
	pollOnce,
	rejectedRunOutcome,
	runOutcome,
	sftpConfigFromCredential,
	type AfterProcessing,
	type FileEmission,
	type FileOutcome,
} from '../shared/sftp';
import { stampliSftpConnectionTest } from '../common/credentialTests';
import { outcomeItems, type OutputMode } from './items';
import { parserOptionsFrom, parsingProperties } from './parsing';

const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** How long a poll waits for the executions it started, so quick runs are archived (or moved to failed) in the same poll. */
const RUN_WAIT_MS = 20_000;

export class StampliSftpTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stampli SFTP Trigger',
		name: 'stampliSftpTrigger',
		icon: { light: 'file:stampliSftp.svg', dark: 'file:stampliSftp.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["fileKind"]}}',
		description:
			'Starts one execution per new Stampli export file (approved invoices, payments, vendors) on SFTP',
		defaults: { name: 'Stampli SFTP Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'stampliSftpApi', required: true, testedBy: 'stampliSftpConnectionTest' },
		],
		properties: [
			{
				displayName: 'Directory',
				name: 'directory',
				type: 'string',
				default: '',
				placeholder: '/outbound',
				description: "Directory to watch; empty uses the credential's outbound directory",
			},
			{
				displayName: 'File Name Pattern',
				name: 'pattern',
				type: 'string',
				default: '*.{csv,xml}',
				description:
					'Glob over file names: * any characters, ? one character, {csv,xml} alternatives; case-insensitive',
			},
			{
				displayName: 'Output',
				name: 'outputMode',
				type: 'options',
				options: [
					{
						name: 'One Item per Record',
						value: 'records',
						description:
							'Canonical invoices/payments/vendors, plus one item with "error" per invalid record',
					},
					{
						name: 'One Item per File',
						value: 'file',
						description: 'The raw file as binary data, not parsed',
					},
				],
				default: 'records',
			},
			...parsingProperties.map((p) => ({
				...p,
				displayOptions: { show: { outputMode: ['records'] } },
			})),
			{
				displayName: 'Settle Time (Seconds)',
				name: 'settleSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description:
					'A file whose size or modification time changed within this time is still being written and waits for the next poll',
			},
			{
				displayName: 'Max Files per Poll',
				name: 'maxFiles',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 20,
				description: 'Each file becomes its own execution; the rest wait for the next poll',
			},
			{
				displayName: 'After Processing',
				name: 'afterProcessing',
				type: 'options',
				options: [
					{
						name: 'Leave in Place',
						value: 'leave',
						description: 'The ledger remembers it was processed',
					},
					{
						name: 'Move to Archive Directory',
						value: 'move',
						description: 'Once the execution it started succeeded',
					},
					{
						name: 'Delete',
						value: 'delete',
						description: 'Once the execution it started succeeded',
					},
				],
				default: 'leave',
				description:
					'Applied when the execution started for the file succeeded (in the same poll if it finishes within 20 seconds, otherwise on the next poll)',
			},
			{
				displayName: 'Archive Directory',
				name: 'archiveDir',
				type: 'string',
				default: '',
				placeholder: '/outbound/archive',
				description:
					'Empty means an "archive" folder inside the watched directory; created if missing',
				displayOptions: { show: { afterProcessing: ['move'] } },
			},
			{
				displayName: 'Failed Files Directory',
				name: 'failedDir',
				type: 'string',
				default: '',
				placeholder: '/outbound/failed',
				description:
					'Move files with invalid records, or whose execution failed, here for the replay workflow (Stampli Files → Replay). Empty leaves them in place; they are retried when they change.',
			},
		],
	};

	methods = { credentialTest: { stampliSftpConnectionTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		let config;
		try {
			config = sftpConfigFromCredential(
				(await this.getCredentials('stampliSftpApi')) as Record<string, unknown>,
			);
		} catch (error) {
			throw new NodeOperationError(node, error as Error);
		}
		const dir = (this.getNodeParameter('directory', '') as string).trim() || config.outboundDir;
		const pattern = this.getNodeParameter('pattern', '*') as string;
		const outputMode = this.getNodeParameter('outputMode', 'records') as OutputMode;
		const parse =
			outputMode === 'records'
				? makeStampliParser(
						parserOptionsFrom(
							this.getNodeParameter('fileKind', 'invoices') as string,
							this.getNodeParameter('format', 'auto') as string,
							this.getNodeParameter('templateOptions', {}) as IDataObject,
							MAX_FILE_BYTES,
						),
					)
				: undefined;
		const context = { host: config.host, username: config.username, at: new Date().toISOString() };
		const toItems = async (outcome: FileOutcome) =>
			await outcomeItems(
				outcome,
				outputMode,
				context,
				async (data, name) => await this.helpers.prepareBinaryData(data, name),
			);

		let session;
		try {
			session = await connectSftp(config, { attempts: 4 });
		} catch (error) {
			throw new NodeOperationError(node, error as Error, {
				description: `Polling ${dir} on ${config.host} failed; the next poll will try again.`,
			});
		}
		try {
			if (this.getMode() === 'manual') {
				// "Fetch test event": the newest file, parsed, without touching the ledger or moving anything.
				const outcome = await fetchNewest(session, {
					dir,
					pattern,
					parse,
					maxFileBytes: MAX_FILE_BYTES,
				});
				if (!outcome) return null;
				const items = await toItems(outcome);
				return items.length ? [items] : null;
			}

			const afterAction = this.getNodeParameter('afterProcessing', 'leave') as string;
			const archiveDir =
				(this.getNodeParameter('archiveDir', '') as string).trim() ||
				`${dir.replace(/\/+$/, '')}/archive`;
			const afterProcessing: AfterProcessing =
				afterAction === 'move'
					? { action: 'move', dir: archiveDir }
					: afterAction === 'delete'
						? { action: 'delete' }
						: { action: 'leave' };
			const failedDir = (this.getNodeParameter('failedDir', '') as string).trim() || undefined;

			const staticData = this.getWorkflowStaticData('node');
			const ledger = ledgerFrom(staticData.ledger);
			staticData.ledger = ledger;
			const budget =
				typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
			// n8n settles this promise with the run when the execution it started finishes (IRun, or undefined
			// when no execution was started). Older runtimes without the helper just do not follow runs.
			const followRuns = typeof this.helpers.createDeferredPromise === 'function';
			const scope = `${this.getWorkflow().id ?? ''}/${node.id ?? node.name}`;

			const summary = await pollOnce(session, ledger, {
				dir,
				pattern,
				settleMs: Math.max(0, Number(this.getNodeParameter('settleSeconds', 60))) * 1000,
				maxFiles: Math.max(1, Number(this.getNodeParameter('maxFiles', 20))),
				maxFileBytes: MAX_FILE_BYTES,
				parse,
				afterProcessing,
				failedDir,
				deadline: budget && Number.isFinite(budget) ? Date.now() + budget * 0.8 : undefined,
				downstream: followRuns
					? { tracker: downstreamRuns, scope, waitMs: RUN_WAIT_MS }
					: undefined,
				onFile: async (outcome): Promise<FileEmission | undefined> => {
					const items = await toItems(outcome);
					// Reassigning marks static data changed, so n8n saves the ledger with this emission
					// (including outcomes of earlier runs that this poll applied before emitting).
					staticData.ledger = ledger;
					if (!items.length) return undefined;
					// One execution per file: each __emit starts its own workflow run.
					if (!followRuns) {
						this.__emit([items]);
						return undefined;
					}
					const done = this.helpers.createDeferredPromise<IRun | undefined>();
					this.__emit([items], undefined, done);
					return { run: done.promise.then(runOutcome, rejectedRunOutcome) };
				},
			});
			// Outcomes applied after the last emission are saved with the next one (n8n saves poll static data
			// only in __emit); until then they stay parked in the tracker and are re-applied to a reloaded ledger.
			staticData.ledger = ledger;
			if (summary.afterProcessingErrors.length) {
				const list = summary.afterProcessingErrors.map((e) => `${e.file}: ${e.reason}`).join('; ');
				throw new NodeOperationError(
					node,
					`Files were emitted but could not be moved or deleted afterwards: ${list}`,
					{
						description:
							'They are recorded as processed and will not be emitted again; fix the archive directory permissions.',
					},
				);
			}
			return null;
		} catch (error) {
			// Already a NodeOperationError with its own description (see above).
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			if (error instanceof NodeOperationError) throw error;
			throw new NodeOperationError(node, error as Error, {
				description: `Polling ${dir} on ${config.host} failed; the next poll will try again.`,
			});
		} finally {
			await session.close();
		}
	}
}
