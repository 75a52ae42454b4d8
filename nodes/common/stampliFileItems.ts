/** Turns one handled Stampli file into items (records, error items, or the file itself); both Stampli SFTP nodes use it. */
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { FileOutcome } from '../shared/inbox';

export type OutputMode = 'records' | 'file';

export interface FileItemContext {
	host: string;
	username: string;
	at: string;
	/** Set when the file was moved or deleted after emission. */
	afterProcessing?: string;
}

/** The file's audit facts: what, where, when, hash and counts. Never credentials. */
export function fileFacts(outcome: FileOutcome, context: FileItemContext): IDataObject {
	return {
		name: outcome.file.name,
		path: outcome.file.path,
		size: outcome.file.size,
		mtime: new Date(outcome.file.mtimeMs).toISOString(),
		sha256: outcome.sha256 ?? null,
		format: outcome.parsed?.file.format ?? null,
		template: outcome.parsed?.file.template ?? null,
		status: outcome.status,
		records: outcome.parsed?.records.length ?? 0,
		invalidRecords: outcome.parsed?.errors.length ?? (outcome.status === 'failed' ? 1 : 0),
		...(outcome.batch ? { batch: { ...outcome.batch } } : {}),
		retry: outcome.retry,
		attempts: outcome.attempts ?? null,
		downloadedAt: context.at,
		server: `${context.username}@${context.host}`,
	};
}

export function errorItems(outcome: FileOutcome, context: FileItemContext): INodeExecutionData[] {
	// A parsed file reports its own invalid records (the file-level summary is in `file`); a file that
	// could not be read at all reports the one reason.
	const problems = outcome.parsed ? outcome.parsed.errors : outcome.error ? [outcome.error] : [];
	return problems.map((problem) => ({
		json: {
			error: {
				file: problem.file,
				rows: problem.rows,
				field: problem.field ?? null,
				reason: problem.reason,
				recordId: problem.recordId ?? null,
			},
			file: fileFacts(outcome, context),
		},
	}));
}

/**
 * One item per valid record (canonical, with `source`). Records of a file emitted in batches carry
 * `source.batch`: which batch of how many, the range of entries, and the file's totals.
 */
export function recordItems(outcome: FileOutcome): INodeExecutionData[] {
	const batch = outcome.batch;
	return (outcome.parsed?.records ?? []).map((record) => {
		const json = record as IDataObject;
		const source = json.source as IDataObject | undefined;
		// A streamed record learns its file's hash only at the file's end: the outcome has it.
		const hashKnown = !source || source.sha256 || !outcome.sha256;
		if (!batch && hashKnown) return { json };
		return {
			json: {
				...json,
				source: {
					...source,
					...(hashKnown ? {} : { sha256: outcome.sha256 }),
					...(batch ? { batch: { ...batch } } : {}),
				},
			},
		};
	});
}

export async function fileItem(
	outcome: FileOutcome,
	context: FileItemContext,
	prepareBinaryData: (data: Buffer, fileName: string) => Promise<IBinaryData>,
): Promise<INodeExecutionData> {
	const json: IDataObject = { file: fileFacts(outcome, context) };
	if (outcome.error) json.error = { ...outcome.error };
	if (outcome.parsed?.errors.length)
		json.errors = outcome.parsed.errors as unknown as IDataObject[];
	const item: INodeExecutionData = { json };
	if (outcome.data)
		item.binary = { data: await prepareBinaryData(outcome.data, outcome.file.name) };
	return item;
}

export async function outcomeItems(
	outcome: FileOutcome,
	mode: OutputMode,
	context: FileItemContext,
	prepareBinaryData: (data: Buffer, fileName: string) => Promise<IBinaryData>,
): Promise<INodeExecutionData[]> {
	if (mode === 'file') return [await fileItem(outcome, context, prepareBinaryData)];
	return [...recordItems(outcome), ...errorItems(outcome, context)];
}
