/**
 * The fault matrix: each fault at a few points of a run. A case writes Stampli exports, injects one
 * fault at its point, and registers what was approved; the runner then lets the next polls run and
 * counts duplicates, losses and the rest (runner.ts, ledger.ts).
 */
import * as fs from 'node:fs';
import { triggerLedgerEntry } from '../fixtures/n8n/instance';
import type { QueueMode } from '../fixtures/queue';
import { NODE } from '../../workflows/source/catalog';
import { invoiceCsv, invoiceCsvLines, invoices, paymentCsv, type InvoiceSpec } from './exports';
import type { ExpectedFile } from './ledger';
import type { HttpAction, HttpFaultProxy, HttpRule } from './proxy';
import { sleep, type CaseContext, type FaultCase } from './runner';
import { WRITER_SETTLE_SECONDS } from './world';

const past = () => new Date(Date.now() - 5 * 60_000);

/** Acts on the n-th request (1-based, counted from now) whose call matches; the rest pass. */
export function nth(call: RegExp, n: number, action: HttpAction): HttpRule {
	let seen = 0;
	return (request) => {
		if (!call.test(request.call)) return undefined;
		seen++;
		return seen === n ? action : undefined;
	};
}

const BILL_CREATE = /^account\.move\.create$/;
const BILL_POST = /^account\.move\.action_post$/;
/** The bill's external id (its idempotency key), written right after the create. */
const KEY_WRITE = /^ir\.model\.data\.create$/;
/** Odoo 17 registers payments through its wizard: this call creates and posts them. */
const PAYMENT_CREATE = /^account\.payment\.register\.action_create_payments$/;
const QBO_BILL_WRITE = /^POST .*\/(batch|bill)$/;

const invoiceFile = (name: string, list: InvoiceSpec[]): ExpectedFile => ({
	name,
	content: invoiceCsv(list),
	invoices: list.map(({ number, amount, currency }) => ({ number, amount, currency })),
	payments: [],
});

/** Writes an invoice export of `count` invoices (settled: mtime in the past) and registers it. */
function writeInvoices(
	ctx: CaseContext,
	count: number,
	options: { lines?: number; currency?: string } = {},
) {
	const list = invoices(ctx.tag, count, options.currency ?? ctx.world.odooCurrency, options.lines);
	const file = invoiceFile(`invoices-${ctx.tag}.csv`, list);
	ctx.write(file.name, file.content, past());
	ctx.expect(file);
	return { list, file };
}

/** Arms a rule on a proxy, polls, and waits until the fault happened. */
async function injectOnPoll(
	ctx: CaseContext,
	proxy: HttpFaultProxy,
	rule: HttpRule,
): Promise<void> {
	proxy.setRule(rule);
	await ctx.world.pollOnce(ctx.flow);
	await proxy.injected(1, 120_000);
}

/**
 * kill -9 of n8n, restart, and a wait until it started a run of the flow again: n8n activates its
 * workflows on start (a busy machine takes minutes), and the trigger's first poll re-emits what it
 * never saw finish. Polling by hand meanwhile would race n8n's own activation.
 */
async function killRestartAndAwaitRerun(ctx: CaseContext): Promise<void> {
	// Started after the kill: the killed run itself shows up (crashed) only after the restart.
	const killedAt = Date.now();
	await ctx.world.killAndRestartN8n(() => ctx.world.odooProxy.releaseHeld());
	await awaitRerunSince(ctx, killedAt);
}

async function awaitRerunSince(ctx: CaseContext, killedAt: number): Promise<void> {
	await ctx.until(
		'n8n started a run of the flow again after its restart',
		async () =>
			(await ctx.world.n8n.listExecutions(ctx.flow.workflowId)).some(
				(e) => Date.parse(e.startedAt) > killedAt,
			),
		300_000,
	);
}

/**
 * Odoo: the fault hits the n-th matching call of the run (a file of 6 invoices, batches of 4); with
 * `kill`, n8n is killed (kill -9) while that call is held, then restarted.
 */
function odooFault(
	fault: string,
	point: string,
	call: RegExp,
	n: number,
	action: HttpAction,
	inDefault: boolean,
	kill = false,
): FaultCase {
	return {
		fault,
		point,
		flow: 'odoo',
		inDefault,
		async run(ctx) {
			writeInvoices(ctx, 6);
			await injectOnPoll(ctx, ctx.world.odooProxy, nth(call, n, action));
			if (!kill) return;
			await killRestartAndAwaitRerun(ctx);
			await ctx.checkArchive();
		},
	};
}

const KILL = 'n8n kill -9 + restart';
const killN8nAt = (
	point: string,
	call: RegExp,
	n: number,
	action: HttpAction,
	inDefault: boolean,
) => odooFault(KILL, point, call, n, action, inDefault, true);

const STALL = 'Odoo stalled past the client timeout';

export const CASES: FaultCase[] = [
	killN8nAt('bill create committed, answer pending', BILL_CREATE, 1, 'loseAnswer', true),
	killN8nAt('bill create in flight (not yet at Odoo)', BILL_CREATE, 1, 'stallBefore', false),
	killN8nAt('bill created, key write not yet at Odoo', KEY_WRITE, 1, 'stallBefore', false),
	killN8nAt('2nd batch: bill create committed', BILL_CREATE, 2, 'loseAnswer', false),
	killN8nAt('bill post committed, answer pending', BILL_POST, 1, 'loseAnswer', false),

	odooFault(STALL, 'bill create, before Odoo saw it', BILL_CREATE, 1, 'stallBefore', true),
	odooFault(STALL, 'bill create committed, answer lost', BILL_CREATE, 1, 'loseAnswer', true),
	odooFault(
		STALL,
		'2nd batch: bill create committed, answer lost',
		BILL_CREATE,
		2,
		'loseAnswer',
		false,
	),
	odooFault(STALL, 'bill post committed, answer lost', BILL_POST, 1, 'loseAnswer', true),
	odooFault(STALL, 'bill created, key write answer lost', KEY_WRITE, 1, 'loseAnswer', true),
	odooFault(
		STALL,
		'bill created, key write stalled before Odoo',
		KEY_WRITE,
		1,
		'stallBefore',
		false,
	),
	odooFault(
		'Odoo connection reset',
		'bill create committed, connection reset',
		BILL_CREATE,
		1,
		'resetAfterCommit',
		false,
	),

	{
		fault: 'sshd killed',
		point: 'mid-download (SFTP session killed after 40 kB of a 100 kB file)',
		flow: 'odoo',
		inDefault: true,
		async run(ctx) {
			writeInvoices(ctx, 6, { lines: 60 });
			let killed = 0;
			ctx.world.sftpProxy.armAfterServerBytes(40_000, (port) => {
				killed = ctx.world.killSftpSessions(port);
			});
			await ctx.world.pollOnce(ctx.flow);
			await ctx.until('the SFTP session was killed', () => killed > 0, 120_000);
		},
	},
	{
		fault: 'sshd killed',
		point: 'after the runs, at the archive (next SFTP answer)',
		flow: 'odoo',
		inDefault: false,
		async run(ctx) {
			const { list } = writeInvoices(ctx, 3);
			// Wait until the run wrote everything, then kill the session at its next answer (the commit).
			let killed = 0;
			ctx.world.odooProxy.setRule(nth(BILL_CREATE, 1, 'gate'));
			await ctx.world.pollOnce(ctx.flow);
			await ctx.world.odooProxy.injected(1);
			ctx.world.sftpProxy.armAfterServerBytes(1, (port) => {
				killed = ctx.world.killSftpSessions(port);
			});
			ctx.world.odooProxy.openGate();
			await ctx.until('the SFTP session was killed', () => killed > 0, 120_000);
			ctx.note(`killed ${killed} sshd session process(es) serving ${list.length} invoices' file`);
		},
	},

	...writerStalls(),

	{
		fault: 'file rewritten during its run',
		point: 'more rows appended while Odoo writes the first version',
		flow: 'odoo',
		inDefault: true,
		async run(ctx) {
			const name = `invoices-${ctx.tag}.csv`;
			const all = invoices(ctx.tag, 5, ctx.world.odooCurrency);
			const first = invoiceFile(name, all.slice(0, 3));
			ctx.write(name, first.content, past());
			ctx.world.odooProxy.setRule(nth(BILL_CREATE, 1, 'gate'));
			await ctx.world.pollOnce(ctx.flow);
			await ctx.world.odooProxy.injected(1);
			const second = invoiceFile(name, all);
			ctx.write(name, second.content, new Date(Date.now() - 60_000));
			ctx.expect(first);
			ctx.expect(second);
			ctx.world.odooProxy.openGate();
		},
	},
	{
		fault: 'file rewritten during its run',
		point: 'same size, same mtime second, one invoice replaced',
		flow: 'odoo',
		inDefault: false,
		async run(ctx) {
			const name = `invoices-${ctx.tag}.csv`;
			const all = invoices(ctx.tag, 4, ctx.world.odooCurrency);
			const first = invoiceFile(name, all.slice(0, 3));
			// Invoice 4 in place of invoice 3: same length (numbers and amounts have equal widths).
			const replaced = { ...all[3], amount: all[2].amount };
			const second = invoiceFile(name, [all[0], all[1], replaced]);
			if (second.content.length !== first.content.length)
				throw new Error('versions differ in size');
			const second0 = new Date(Math.floor(Date.now() / 1000) * 1000);
			ctx.write(name, first.content, second0);
			ctx.world.odooProxy.setRule(nth(BILL_CREATE, 1, 'gate'));
			await ctx.world.pollOnce(ctx.flow);
			await ctx.world.odooProxy.injected(1);
			ctx.write(name, second.content, second0);
			ctx.expect(first);
			ctx.expect(second);
			ctx.world.odooProxy.openGate();
		},
	},

	...paymentFaults(),
	...quickBooksFaults(),

	{
		fault: 'queue mode: n8n worker kill -9',
		point: 'mid-execution (bill create committed, answer pending)',
		flow: 'queue',
		inDefault: true,
		async run(ctx) {
			const queue = queueOf(ctx);
			writeInvoices(ctx, 6);
			const execution = await heldExecution(ctx, queue, () =>
				injectOnPoll(ctx, ctx.world.odooProxy, nth(BILL_CREATE, 1, 'loseAnswer')),
			);
			const worker = queue.workers.find((w) => w.name === execution.worker);
			if (!worker) throw new Error(`no worker named ${execution.worker}`);
			await worker.kill();
			ctx.world.odooProxy.releaseHeld();
			ctx.note(`killed ${worker.name} while it ran execution ${execution.id}`);
			await worker.start();
		},
	},
	{
		fault: 'queue mode: n8n main kill -9',
		point:
			'mid-poll (file emitted, the poll waiting on its run; bill create committed, answer pending)',
		flow: 'queue',
		inDefault: true,
		async run(ctx) {
			const queue = queueOf(ctx);
			const { file } = writeInvoices(ctx, 6);
			// The poll emits, then waits (up to 20 s) for the run it started before it commits or rolls
			// back; the worker's run is held at Odoo until the client's 5 s timeout fails it.
			await injectOnPoll(ctx, ctx.world.odooProxy, nth(BILL_CREATE, 1, 'loseAnswer'));
			const heldAt = Date.now();
			await queue.killMain();
			const killedAt = Date.now();
			// A poll that had settled the file would have moved it (archive or failed directory).
			if (!fs.existsSync(ctx.world.local(`${ctx.flow.dir}/${file.name}`)))
				throw new Error('the poll had settled the file before main was killed: not mid-poll');
			ctx.note(
				`main killed ${killedAt - heldAt} ms after the worker's bill create reached Odoo, the file still unsettled`,
			);
			ctx.world.odooProxy.releaseHeld();
			await queue.startMain();
			await awaitRerunSince(ctx, killedAt);
			await ctx.checkArchive();
		},
	},
	{
		fault: 'queue mode: Redis restart',
		point:
			'mid-execution (bill create held at Odoo; Redis stopped, started empty, then the create goes on)',
		flow: 'queue',
		inDefault: true,
		async run(ctx) {
			const queue = queueOf(ctx);
			writeInvoices(ctx, 6);
			const execution = await heldExecution(ctx, queue, () =>
				injectOnPoll(ctx, ctx.world.odooProxy, nth(BILL_CREATE, 1, 'gate')),
			);
			const restartAt = Date.now();
			await queue.redis.restart();
			const restartMs = Date.now() - restartAt;
			ctx.world.odooProxy.openGate();
			// What n8n makes of it: the worker ends the run and saves it, but its job vanished with Redis'
			// memory, so the end is never published: main keeps the execution as running (its public API
			// leaves it out of the list) and never reports it to the trigger.
			const saved = () =>
				queue.postgres
					.psql(`select status from execution_entity where id = ${Number(execution.id)}`, 'n8n')
					.trim();
			await ctx.until(
				`execution ${execution.id} saved as ended`,
				() => ['success', 'error', 'crashed'].includes(saved()),
				120_000,
			);
			const listed = (await queue.listExecutions(ctx.flow.workflowId)).some(
				(e) => String(e.id) === execution.id,
			);
			const reported = new RegExp(`Execution ${execution.id} \\(job \\S+\\) finished`).test(
				fs.readFileSync(queue.logFile, 'utf8'),
			);
			ctx.note(
				`Redis restarted in ${restartMs} ms while ${execution.worker} ran execution ${execution.id}; saved ${saved()}; in main's execution list: ${listed}; main logged its end: ${reported}`,
			);
		},
	},
];

function queueOf(ctx: CaseContext): QueueMode {
	if (!ctx.world.queue) throw new Error('a queue-mode case needs the queue-mode world');
	return ctx.world.queue;
}

/**
 * Runs `hold` (a poll whose run is then held at Odoo) and returns the execution a worker logged for
 * it: the newest one, waited for because a worker's log line may land a moment after its run reached Odoo.
 */
async function heldExecution(
	ctx: CaseContext,
	queue: QueueMode,
	hold: () => Promise<unknown>,
): Promise<{ id: string; worker: string }> {
	const before = Number(newestExecution(queue).id);
	await hold();
	await ctx.until(
		'a worker logged the held execution',
		() => Number(newestExecution(queue).id) > before,
		30_000,
	);
	return newestExecution(queue);
}

/** The execution a worker started last, and that worker (id '0' when none did yet). */
function newestExecution(queue: QueueMode): { id: string; worker: string } {
	let newest = { id: '0', worker: '' };
	for (const [id, worker] of queue.executionWorkers())
		if (Number(id) > Number(newest.id)) newest = { id, worker };
	return newest;
}

function writerStalls(): FaultCase[] {
	const fault = 'writer stalls mid-file';
	/** Writes `cut` of the export, waits past the settle time and polls, then writes the rest. */
	const stall = (
		point: string,
		cutAt: (lines: string[]) => number,
		inDefault: boolean,
		lines = 1,
	): FaultCase => ({
		fault,
		point,
		flow: 'writer',
		inDefault,
		async run(ctx) {
			const name = `invoices-${ctx.tag}.csv`;
			const list = invoices(ctx.tag, 4, ctx.world.odooCurrency, lines);
			const text = invoiceCsvLines(list).join('');
			const cut = cutAt(invoiceCsvLines(list));
			ctx.expect(invoiceFile(name, list));
			ctx.append(name, text.slice(0, cut));
			await sleep((WRITER_SETTLE_SECONDS + 2) * 1000);
			await ctx.world.pollOnce(ctx.flow);
			// The writer resumes once the poll has seen the part (its ledger holds the part's size; a
			// part it took as ready is emitted by then, and its run may still be going), at the latest
			// after 10 s.
			await ctx
				.until(
					'the poll saw the part',
					async () =>
						(await triggerLedgerEntry(ctx.world.n8n, ctx.flow.workflowId, NODE.trigger, name))
							?.s === Buffer.byteLength(text.slice(0, cut)),
					10_000,
				)
				.catch(() => ctx.note('the ledger did not show the part within 10 s; the writer resumes'));
			await ctx.checkArchive();
			ctx.append(name, text.slice(cut));
			await sleep((WRITER_SETTLE_SECONDS + 1) * 1000);
		},
	});
	const boundary = (lines: string[], count: number) =>
		lines.slice(0, count).reduce((n, line) => n + line.length, 0);
	return [
		stall(
			'mid-row (header, 2 rows and half a row)',
			(l) => boundary(l, 3) + Math.floor(l[3].length / 2),
			true,
		),
		stall('at a row boundary (header and 2 of 4 invoices)', (l) => boundary(l, 3), true),
		stall('empty file held open', () => 0, false),
		stall('between two lines of one invoice', (l) => boundary(l, 2), false, 2),
	];
}

function paymentFaults(): FaultCase[] {
	/** Bills first (a clean run of the bills flow), then the payments export with the fault. */
	const withBills = async (ctx: CaseContext) => {
		const odoo = ctx.world.flows.odoo;
		const list = invoices(`${ctx.tag}`, 2, ctx.world.odooCurrency);
		const billsName = `invoices-${ctx.tag}.csv`;
		ctx.world.sshd.writeFile(`${odoo.dir}/${billsName}`, invoiceCsv(list), past());
		await ctx.world.pollOnce(odoo);
		await ctx.until(
			'the bills are archived',
			async () => {
				const { existsSync } = await import('node:fs');
				return existsSync(ctx.world.local(`${odoo.archiveDir}/${billsName}`));
			},
			120_000,
		);
		await ctx.world.n8n.deactivate(odoo.workflowId);
		const payments = [
			{
				id: `${ctx.tag}-P1`,
				invoice: list[0],
				amount: list[0].amount,
				currency: list[0].currency,
				reference: `${ctx.tag}-ACH-1`,
			},
			{
				id: `${ctx.tag}-P2`,
				invoice: list[1],
				amount: '50.00',
				currency: list[1].currency,
				reference: `${ctx.tag}-ACH-2`,
			},
		];
		const file: ExpectedFile = {
			name: `payments-${ctx.tag}.csv`,
			content: paymentCsv(payments),
			invoices: [],
			payments: payments.map(({ reference, amount, currency }) => ({
				reference,
				amount,
				currency,
			})),
		};
		return file;
	};
	const paymentFault = (
		point: string,
		action: HttpAction,
		inDefault: boolean,
		kill = false,
	): FaultCase => ({
		fault: kill ? KILL : STALL,
		point,
		flow: 'payments',
		inDefault,
		async run(ctx) {
			const file = await withBills(ctx);
			ctx.write(file.name, file.content, past());
			ctx.expect(file);
			await injectOnPoll(ctx, ctx.world.odooProxy, nth(PAYMENT_CREATE, 1, action));
			if (kill) await killRestartAndAwaitRerun(ctx);
		},
	});
	return [
		paymentFault('payments: payment create committed, answer lost', 'loseAnswer', true),
		paymentFault('payments: payment create committed, answer pending', 'loseAnswer', false, true),
	];
}

function quickBooksFaults(): FaultCase[] {
	const qbo = (point: string, action: HttpAction, inDefault: boolean): FaultCase => ({
		fault: 'QuickBooks faults',
		point,
		flow: 'qbo',
		inDefault,
		async run(ctx) {
			writeInvoices(ctx, 4, { currency: 'USD' });
			await injectOnPoll(ctx, ctx.world.qboProxy, nth(QBO_BILL_WRITE, 1, action));
		},
	});
	return [
		qbo('bill write answered 500, not committed', 'error500', true),
		qbo('bill write committed, then 500', 'error500AfterCommit', false),
		qbo('bill write committed, answer lost (connection reset)', 'resetAfterCommit', true),
	];
}
