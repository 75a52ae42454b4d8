/**
 * What a fault case approved, and what the ERP and the SFTP tree hold afterwards: the checks behind
 * each matrix cell. Nothing here trusts the product's own keys: bills are found by their vendor
 * reference (the Stampli invoice number), payments by their memo, QuickBooks bills by DocNumber.
 */
import Decimal from 'decimal.js';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { executionWithData, nodeOutput, type Json } from '../fixtures/n8n/instance';
import { NODE } from '../../workflows/source/catalog';
import { listRemote, type FaultWorld, type Flow } from './world';

export interface ApprovedInvoice {
	number: string;
	amount: string;
	currency: string;
}

export interface ApprovedPayment {
	reference: string;
	amount: string;
	currency: string;
}

export interface Tally {
	/** Approved invoices or payments present more than once (extra copies counted). */
	duplicates: number;
	/** Approved invoices or payments missing. */
	losses: number;
	/** Present once but with another amount or currency, or a bill not posted. */
	wrong: number;
	/** Times a file was seen archived before all of its records were in the ERP. */
	archivedEarly: number;
	/** Reconciliation summaries that did not balance, or files whose last run left no balanced summary. */
	unbalanced: number;
	/** Files that did not end archived (or, left in place, processed) after the recovery polls. */
	unconverged: number;
	notes: string[];
}

export const emptyTally = (): Tally => ({
	duplicates: 0,
	losses: 0,
	wrong: 0,
	archivedEarly: 0,
	unbalanced: 0,
	unconverged: 0,
	notes: [],
});

export function addTally(into: Tally, from: Tally): void {
	into.duplicates += from.duplicates;
	into.losses += from.losses;
	into.wrong += from.wrong;
	into.archivedEarly += from.archivedEarly;
	into.unbalanced += from.unbalanced;
	into.unconverged += from.unconverged;
	into.notes.push(...from.notes);
}

/** One file a case wrote: its final content and the records approved in it (all versions). */
export interface ExpectedFile {
	name: string;
	content: string;
	invoices: ApprovedInvoice[];
	payments: ApprovedPayment[];
}

interface Found {
	key: string;
	amount: string;
	currency: string;
	ok: boolean;
	why?: string;
}

const money = (value: unknown) => new Decimal(String(value ?? 0)).toFixed(2);

/** What the ERP holds for these invoice numbers / payment references (cancelled records do not count). */
async function erpRecords(
	world: FaultWorld,
	flow: Flow,
	invoices: ApprovedInvoice[],
	payments: ApprovedPayment[],
): Promise<Found[]> {
	const found: Found[] = [];
	if (flow.name === 'qbo') {
		const numbers = new Set(invoices.map((i) => i.number));
		for (const bill of world.qbo.store.get('Bill')?.values() ?? [])
			if (numbers.has(String(bill.DocNumber)))
				found.push({
					key: String(bill.DocNumber),
					amount: money(bill.TotalAmt),
					currency: String(bill.CurrencyRef?.value ?? 'USD'),
					ok: true,
				});
		return found;
	}
	if (invoices.length > 0) {
		const bills = await world.odooAdmin.searchRead(
			'account.move',
			[
				['ref', 'in', invoices.map((i) => i.number)],
				['move_type', '=', 'in_invoice'],
				['state', '!=', 'cancel'],
			],
			{ fields: ['ref', 'amount_total', 'currency_id', 'state'] },
		);
		for (const bill of bills)
			found.push({
				key: String(bill.ref),
				amount: money(bill.amount_total),
				currency: (bill.currency_id as [number, string])[1],
				ok: bill.state === 'posted',
				why: bill.state === 'posted' ? undefined : `bill ${bill.ref} is ${bill.state}`,
			});
	}
	if (payments.length > 0) {
		const rows = await world.odooAdmin.searchRead(
			'account.payment',
			[
				['ref', 'in', payments.map((p) => p.reference)],
				['state', '!=', 'cancel'],
			],
			{ fields: ['ref', 'amount', 'currency_id', 'state'] },
		);
		for (const row of rows)
			found.push({
				key: String(row.ref),
				amount: money(row.amount),
				currency: (row.currency_id as [number, string])[1],
				ok: true,
			});
	}
	return found;
}

const approvedOf = (files: ExpectedFile[]) => {
	const byKey = new Map<string, { amount: string; currency: string }>();
	for (const file of files) {
		for (const i of file.invoices) byKey.set(i.number, i);
		for (const p of file.payments) byKey.set(p.reference, p);
	}
	return byKey;
};

/** Exactly once with the approved amount and currency: counts what is missing, doubled or wrong. */
export async function checkErp(
	world: FaultWorld,
	flow: Flow,
	files: ExpectedFile[],
	tally?: Tally,
): Promise<{ complete: boolean }> {
	const approved = approvedOf(files);
	const invoices = files.flatMap((f) => f.invoices);
	const payments = files.flatMap((f) => f.payments);
	const found = await erpRecords(world, flow, invoices, payments);
	let complete = true;
	for (const [key, want] of approved) {
		const copies = found.filter((f) => f.key === key);
		if (copies.length !== 1 || !copies[0].ok) complete = false;
		if (!tally) continue;
		if (copies.length === 0) {
			tally.losses++;
			tally.notes.push(`${key}: not in the ERP`);
		} else if (copies.length > 1) {
			tally.duplicates += copies.length - 1;
			tally.notes.push(`${key}: ${copies.length} times in the ERP`);
		}
		for (const copy of copies.slice(0, 1)) {
			const amountOk = copy.amount === money(want.amount);
			if (!amountOk || copy.currency !== want.currency || !copy.ok) {
				tally.wrong++;
				tally.notes.push(
					`${key}: ERP has ${copy.amount} ${copy.currency}${copy.why ? ` (${copy.why})` : ''}, approved ${want.amount} ${want.currency}`,
				);
			}
		}
	}
	return { complete };
}

/** Every case file found in the archive must have all its records in the ERP already. */
export async function checkArchive(
	world: FaultWorld,
	flow: Flow,
	files: ExpectedFile[],
	tally: Tally,
): Promise<void> {
	if (!flow.archiveDir) return;
	const archived = new Set(listRemote(world, flow.archiveDir));
	const finals = new Map(files.map((f) => [f.name, f]));
	for (const file of finals.values()) {
		if (!archived.has(file.name)) continue;
		const content = fs.readFileSync(world.local(`${flow.archiveDir}/${file.name}`), 'utf8');
		const version = files.filter((f) => f.name === file.name);
		const { complete } = await checkErp(world, flow, version);
		if (!complete) {
			tally.archivedEarly++;
			tally.notes.push(`${file.name}: archived while its records were not all in the ERP`);
		} else if (content !== file.content) {
			tally.archivedEarly++;
			tally.notes.push(`${file.name}: the archived copy is not the final version written`);
		}
	}
}

/** Where each case file is now: done (archived, or left in place and processed), failed, or waiting. */
export function fileStates(world: FaultWorld, flow: Flow, files: ExpectedFile[]) {
	const inDir = new Set(listRemote(world, flow.dir));
	const inFailed = new Set(listRemote(world, flow.failedDir));
	const inArchive = new Set(flow.archiveDir ? listRemote(world, flow.archiveDir) : []);
	return files.map((file) => ({
		name: file.name,
		archived: inArchive.has(file.name),
		failed: inFailed.has(file.name),
		waiting: inDir.has(file.name),
	}));
}

/** A file version's SHA-256, as the trigger and the reconciliation name it. */
export const sha256Of = (content: string) => createHash('sha256').update(content).digest('hex');

/** Reconciliation summaries of a flow's finished runs, read once per execution. */
export class Summaries {
	private readonly byExecution = new Map<string, Json[]>();
	constructor(
		private readonly world: FaultWorld,
		private readonly flow: Flow,
		private readonly afterExecutionId: number,
	) {}

	/** Finished runs since the case began, oldest first, with their summaries; `pending` counts the rest. */
	async read(): Promise<{
		summaries: Array<{ execution: string; summary: Json }>;
		pending: number;
	}> {
		const runs = (await this.world.n8n.listExecutions(this.flow.workflowId))
			.filter((e) => Number(e.id) > this.afterExecutionId)
			.sort((a, b) => Number(a.id) - Number(b.id));
		const summaries: Array<{ execution: string; summary: Json }> = [];
		let pending = 0;
		for (const run of runs) {
			if (!FINISHED.has(run.status)) {
				pending++;
				continue;
			}
			let found = this.byExecution.get(run.id);
			if (!found) {
				found = nodeOutput(await executionWithData(this.world.n8n, run.id), NODE.reconcile);
				this.byExecution.set(run.id, found);
			}
			for (const summary of found) summaries.push({ execution: run.id, summary });
		}
		return { summaries, pending };
	}
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Whether each file's final version has clean summaries (balanced, nothing failed or missing) for
 * all of its records (every batch), and, with a tally, counts every summary that did not balance
 * and every file whose final version was not reconciled clean.
 */
export async function checkReconciliation(
	summaries: Summaries,
	flow: Flow,
	files: ExpectedFile[],
	tally?: Tally,
): Promise<{ clean: boolean; pending: number }> {
	const { summaries: all, pending } = await summaries.read();
	const names = new Map(files.map((f) => [`${flow.dir}/${f.name}`, f.name]));
	const finals = new Map<string, ExpectedFile>();
	for (const file of files) finals.set(file.name, file);
	let clean = true;
	for (const { execution, summary } of all) {
		const name = names.get(String(summary.file));
		if (!name || summary.balanced === true || !tally) continue;
		tally.unbalanced++;
		tally.notes.push(
			`${name}: execution ${execution} reconciliation unbalanced: ${JSON.stringify(summary.imbalance)}`,
		);
	}
	for (const [name, file] of finals) {
		const sha = sha256Of(file.content);
		// The last summary of each batch of the final version.
		const perBatch = new Map<number, Json>();
		for (const { summary } of all)
			if (names.get(String(summary.file)) === name && summary.sha256 === sha)
				perBatch.set(Number((summary.batch as Json | undefined)?.index ?? 1), summary);
		const records = perBatch.size
			? [...perBatch.values()].reduce((n, s) => n + Number(s.recordsIn), 0)
			: 0;
		const wanted = file.invoices.length + file.payments.length;
		const ok =
			records === wanted &&
			[...perBatch.values()].every(
				(s) => s.balanced === true && Number(s.failed) === 0 && Number(s.missing ?? 0) === 0,
			);
		if (ok) continue;
		clean = false;
		if (tally) {
			tally.unbalanced++;
			tally.notes.push(
				`${name}: final version not reconciled clean (${records} of ${wanted} records in clean summaries: ${JSON.stringify(
					[...perBatch.values()].map((s) => ({
						failed: s.failed,
						missing: s.missing,
						balanced: s.balanced,
					})),
				)})`,
			);
		}
	}
	return { clean, pending };
}
