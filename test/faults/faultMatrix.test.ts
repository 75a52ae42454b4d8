/**
 * The fault matrix: the shipped templates in a real n8n against real sshd, real Odoo 17 and the
 * QuickBooks emulator, with one fault injected per case at a chosen point of a run (kill -9 of n8n,
 * Odoo stalled past the client timeout or its answer lost, SFTP sessions killed, a writer stalling,
 * a file rewritten during its run, QuickBooks 500s and lost answers; in queue mode a worker or the
 * main process killed, Redis restarted). After each fault the next polls run, then: every approved
 * invoice and payment is in the ERP once with the approved amount and currency, no file was archived
 * before all its records were written, and the reconciliation balances.
 *
 * `npm test` runs the default points once; `npm run faults -- --repeats 20` runs every point 20 times
 * (FAULT_REPEATS, FAULT_ALL=1 for every point, FAULT_ONLY=<regex> to pick rows).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CASES } from './cases';
import { checkErp, emptyTally, addTally, type Tally } from './ledger';
import { printMatrix, type MatrixRow } from './matrix';
import { runCase } from './runner';
import { startFaultWorld, withQueueMode, type FaultWorld } from './world';

const REPEATS = Math.max(1, Number(process.env.FAULT_REPEATS ?? 1));
const ALL = process.env.FAULT_ALL === '1' || REPEATS > 1;
const ONLY = process.env.FAULT_ONLY ? new RegExp(process.env.FAULT_ONLY, 'i') : undefined;
const selected = CASES.filter(
	(c) => (ALL || c.inDefault) && (!ONLY || ONLY.test(`${c.fault} ${c.point}`)),
);

describe('fault matrix: templates in a real n8n against real sshd, Odoo 17 and the QuickBooks emulator', () => {
	let world: FaultWorld;
	// Queue mode (main + 2 workers, Redis, PostgreSQL) starts only when one of its cases runs.
	let queueMode: Awaited<ReturnType<typeof withQueueMode>> | undefined;
	const rows: MatrixRow[] = [];
	const started = Date.now();

	beforeAll(async () => {
		world = await startFaultWorld();
	}, 900_000);

	afterAll(async () => {
		const text = printMatrix(rows, Math.round((Date.now() - started) / 1000));
		process.stdout.write(`\n${text}\n`);
		fs.writeFileSync(
			process.env.FAULT_MATRIX_FILE ?? path.join(os.tmpdir(), 'stampli-fault-matrix.txt'),
			`${text}\n`,
		);
		await queueMode?.stop();
		await world?.stop();
	}, 120_000);

	it('control: the checks count a duplicate, a loss and a wrong record, in QuickBooks and in Odoo', async () => {
		const approved = (numbers: string[], amount: string, currency: string) => [
			{
				name: 'control.csv',
				content: '',
				invoices: numbers.map((number) => ({ number, amount, currency })),
				payments: [],
			},
		];
		// QuickBooks: CTRL-1 twice, CTRL-2 missing, CTRL-3 with another amount.
		const bills = world.qbo.store.get('Bill') ?? new Map();
		world.qbo.store.set('Bill', bills);
		const plant = (id: string, DocNumber: string, TotalAmt: number) =>
			bills.set(id, { Id: id, SyncToken: '0', DocNumber, TotalAmt, CurrencyRef: { value: 'USD' } });
		plant('ctrl-a', 'CTRL-1', 10);
		plant('ctrl-b', 'CTRL-1', 10);
		plant('ctrl-c', 'CTRL-3', 31);
		const qbo = emptyTally();
		await checkErp(
			world,
			world.flows.qbo,
			approved(['CTRL-1', 'CTRL-2', 'CTRL-3'], '10.00', 'USD'),
			qbo,
		);
		for (const id of ['ctrl-a', 'ctrl-b', 'ctrl-c']) bills.delete(id);
		expect([qbo.duplicates, qbo.losses, qbo.wrong]).toEqual([1, 1, 1]);

		// Odoo: the same bill twice, as a second client would create it (draft, so also not as approved).
		const [partner] = await world.odooAdmin.search('res.partner', [['ref', '=', 'V-300']]);
		const ids = await world.odooAdmin.create('account.move', [
			{ move_type: 'in_invoice', ref: 'CTRL-O1', partner_id: partner },
			{ move_type: 'in_invoice', ref: 'CTRL-O1', partner_id: partner },
		]);
		const odoo = emptyTally();
		await checkErp(
			world,
			world.flows.odoo,
			approved(['CTRL-O1', 'CTRL-O2'], '0.00', world.odooCurrency),
			odoo,
		);
		await world.odooAdmin.unlink('account.move', ids);
		expect([odoo.duplicates, odoo.losses, odoo.wrong]).toEqual([1, 1, 1]);
	});

	let serial = 0;
	it.each(selected.map((c) => [`${c.fault} @ ${c.point}`, c] as const))(
		'%s',
		async (_title, fault) => {
			const total: Tally = emptyTally();
			const row: MatrixRow = {
				fault: fault.fault,
				point: fault.point,
				repeats: 0,
				tally: total,
				seconds: [],
			};
			rows.push(row);
			for (let repeat = 1; repeat <= REPEATS; repeat++) {
				serial++;
				const tag = `F${serial.toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 5).toUpperCase()}`;
				if (fault.flow === 'queue') queueMode ??= await withQueueMode(world);
				const result = await runCase(fault.flow === 'queue' ? queueMode!.world : world, fault, tag);
				row.repeats++;
				row.seconds.push(result.seconds);
				addTally(total, result.tally);
				if (result.tally.notes.length)
					process.stderr.write(
						`[faults] ${fault.fault} @ ${fault.point} #${repeat} (${tag}): ${result.tally.notes.join(' | ')}\n`,
					);
			}
			expect({
				duplicates: total.duplicates,
				losses: total.losses,
				wrong: total.wrong,
				archivedEarly: total.archivedEarly,
				unbalanced: total.unbalanced,
				unconverged: total.unconverged,
				notes: total.notes,
			}).toEqual({
				duplicates: 0,
				losses: 0,
				wrong: 0,
				archivedEarly: 0,
				unbalanced: 0,
				unconverged: 0,
				notes: [],
			});
		},
		// 10 min per repeat, and the queue-mode processes' start on a busy machine.
		REPEATS * 600_000 + 900_000,
	);
});
