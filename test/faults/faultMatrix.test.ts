/**
 * The fault matrix: the shipped templates in a real n8n against real sshd, real Odoo 17 and the
 * QuickBooks emulator, with one fault injected per case at a chosen point of a run (kill -9 of n8n,
 * Odoo stalled past the client timeout or its answer lost, SFTP sessions killed, a writer stalling,
 * a file rewritten during its run, QuickBooks 500s and lost answers). After each fault the next polls
 * run, then: every approved invoice and payment is in the ERP once with the approved amount and
 * currency, no file was archived before all its records were written, and the reconciliation balances.
 *
 * `npm test` runs the default points once; `npm run faults -- --repeats 20` runs every point 20 times
 * (FAULT_REPEATS, FAULT_ALL=1 for every point, FAULT_ONLY=<regex> to pick rows).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CASES } from './cases';
import { emptyTally, addTally, type Tally } from './ledger';
import { printMatrix, type MatrixRow } from './matrix';
import { runCase } from './runner';
import { startFaultWorld, type FaultWorld } from './world';

const REPEATS = Math.max(1, Number(process.env.FAULT_REPEATS ?? 1));
const ALL = process.env.FAULT_ALL === '1' || REPEATS > 1;
const ONLY = process.env.FAULT_ONLY ? new RegExp(process.env.FAULT_ONLY, 'i') : undefined;
const selected = CASES.filter(
	(c) => (ALL || c.inDefault) && (!ONLY || ONLY.test(`${c.fault} ${c.point}`)),
);

describe('fault matrix: templates in a real n8n against real sshd, Odoo 17 and the QuickBooks emulator', () => {
	let world: FaultWorld;
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
		await world?.stop();
	}, 120_000);

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
				const result = await runCase(world, fault, tag);
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
		REPEATS * 600_000,
	);
});
