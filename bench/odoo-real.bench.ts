/**
 * Odoo vendor bills on real Odoo 17 and 19 (test/fixtures/odoo): INVOICES invoices × 4 lines each,
 * in one run per version, on a fresh copy of the template database:
 *
 * - raw create:  `account.move` create of 200 bills per call, nothing else (the floor: Odoo's own work);
 * - product:     upsertBills with the node's defaults (reads, chunked creates, external ids, total
 *                read-back, chatter notes);
 * - per item:    one search (by ref and partner) and one create per invoice;
 * - prefork:     Odoo with `workers = 2`: raw create single-stream vs the product with 2 chunks in flight.
 *
 * Figures: ms per bill, round trips, and the largest single request (client-measured on loopback, so
 * an upper bound of the server's time). The machine is shared: the 1-minute load average is printed
 * beside each figure. `ODOO_BENCH_INVOICES` (default 1000), `ODOO_BENCH_VERSIONS` (default 17.0,19.0).
 */
import { loadavg } from 'node:os';
import {
	clearOdooClientCaches,
	createOdooClient,
	upsertBills,
	type OdooClient,
	type OdooHttpSend,
} from '../nodes/shared/odoo';
import { fetchSend } from '../nodes/shared/odoo/http';
import { OdooFloat } from '../nodes/shared/odoo/values';
import type { Invoice } from '../nodes/shared/records/types';
import { startOdoo, type OdooVersion, type StartedOdoo } from '../test/fixtures/odoo';
import { makeInvoice } from '../test/integration/odoo/fixtures';
import { printTable, target } from './lib/measure';

const INVOICES = Number(process.env.ODOO_BENCH_INVOICES ?? 1000);
const LINES = 4;
const RAW_PER_CALL = 200;
const VERSIONS = (process.env.ODOO_BENCH_VERSIONS ?? '17.0,19.0').split(',') as OdooVersion[];

interface Run {
	run: string;
	msPerBill: number;
	roundTrips: number;
	maxRequestS: number;
	load: number;
}

/** A client whose every HTTP exchange is counted and timed. */
function timedClient(odoo: StartedOdoo): {
	client: OdooClient;
	stats: { trips: number; maxMs: number };
} {
	const stats = { trips: 0, maxMs: 0 };
	const send: OdooHttpSend = async (request) => {
		const started = Date.now();
		try {
			return await fetchSend(request);
		} finally {
			stats.trips++;
			stats.maxMs = Math.max(stats.maxMs, Date.now() - started);
		}
	};
	clearOdooClientCaches();
	const client = createOdooClient(
		{
			url: odoo.url,
			db: odoo.db,
			login: odoo.login,
			apiKey: odoo.apiKey,
			protocol: odoo.major >= 19 ? 'json2' : 'xmlrpc',
			timeoutMs: 600_000,
		},
		{ send, noSharedCache: true },
	);
	return { client, stats };
}

async function timed(
	label: string,
	odoo: StartedOdoo,
	work: (client: OdooClient) => Promise<number>,
): Promise<Run> {
	const { client, stats } = timedClient(odoo);
	await client.uid();
	await client.serverVersion();
	stats.trips = 0;
	stats.maxMs = 0;
	const load = loadavg()[0];
	const started = Date.now();
	const bills = await work(client);
	const ms = Date.now() - started;
	if (bills !== INVOICES) throw new Error(`${label}: ${bills} bills written, expected ${INVOICES}`);
	return {
		run: label,
		msPerBill: ms / INVOICES,
		roundTrips: stats.trips,
		maxRequestS: stats.maxMs / 1000,
		load: Math.round(((load + loadavg()[0]) / 2) * 10) / 10,
	};
}

function invoices(prefix: string): Invoice[] {
	return Array.from({ length: INVOICES }, (_, k) => ({
		...makeInvoice(k, {}, LINES),
		stampliInvoiceId: `${prefix}-${k}`,
		invoiceNumber: `${prefix}/${k}`,
	}));
}

/** The fixture's vendors as partners (found by reference), and the account id of each GL code. */
async function seed(
	odoo: StartedOdoo,
): Promise<{ partners: Map<string, number>; accounts: Map<string, number> }> {
	const { client } = timedClient(odoo);
	const vendors = [
		...new Map(
			invoices('S')
				.slice(0, 3)
				.map((i) => [i.vendor.stampliVendorId, i.vendor]),
		).values(),
	];
	const ids = await client.create(
		'res.partner',
		vendors.map((v) => ({
			name: v.name,
			ref: v.stampliVendorId,
			is_company: true,
			supplier_rank: 1,
		})),
	);
	const partners = new Map(vendors.map((v, k) => [v.stampliVendorId, ids[k]]));
	const rows = await client.searchRead(
		'account.account',
		[['code', 'in', ['600000', '611000', '612000', '620000', '630000']]],
		{
			fields: ['code'],
		},
	);
	return { partners, accounts: new Map(rows.map((r) => [String(r.code), r.id])) };
}

function rawVals(invoice: Invoice, seeded: Awaited<ReturnType<typeof seed>>) {
	return {
		move_type: 'in_invoice',
		partner_id: seeded.partners.get(invoice.vendor.stampliVendorId)!,
		ref: invoice.invoiceNumber,
		invoice_date: invoice.invoiceDate,
		invoice_date_due: invoice.dueDate!,
		invoice_line_ids: invoice.lines.map((l) => [
			0,
			0,
			{
				name: l.description,
				quantity: new OdooFloat(l.quantity),
				price_unit: new OdooFloat(l.unitPrice),
				account_id: seeded.accounts.get(l.glAccount)!,
				tax_ids: [[6, 0, []]],
			},
		]),
	};
}

async function rawCreate(
	client: OdooClient,
	list: Invoice[],
	seeded: Awaited<ReturnType<typeof seed>>,
): Promise<number> {
	let created = 0;
	for (let k = 0; k < list.length; k += RAW_PER_CALL)
		created += (
			await client.create(
				'account.move',
				list.slice(k, k + RAW_PER_CALL).map((i) => rawVals(i, seeded)),
			)
		).length;
	return created;
}

async function perItem(
	client: OdooClient,
	list: Invoice[],
	seeded: Awaited<ReturnType<typeof seed>>,
): Promise<number> {
	let created = 0;
	for (const invoice of list) {
		const vals = rawVals(invoice, seeded);
		const found = await client.search(
			'account.move',
			[
				['ref', '=', vals.ref],
				['partner_id', '=', vals.partner_id],
				['move_type', '=', 'in_invoice'],
			],
			{ limit: 1 },
		);
		if (found.length === 0) created += (await client.create('account.move', [vals])).length;
	}
	return created;
}

async function product(client: OdooClient, list: Invoice[], concurrency = 1): Promise<number> {
	const outcomes = await upsertBills(client, list, { chunking: { concurrency } });
	const failed = outcomes.find((o) => !o.ok);
	if (failed) throw new Error(`product: ${failed.reason}`);
	return outcomes.filter((o) => o.ok && o.erp.action === 'created').length;
}

async function threaded(version: OdooVersion): Promise<Run[]> {
	const odoo = await startOdoo({ version, workers: 0 });
	try {
		const seeded = await seed(odoo);
		await upsertBills(timedClient(odoo).client, invoices('WARM').slice(0, 10)); // caches, vendor external ids
		return [
			await timed('raw create, 200 per call', odoo, (c) => rawCreate(c, invoices('RAW'), seeded)),
			await timed('product (upsertBills, defaults)', odoo, (c) => product(c, invoices('OURS'))),
			await timed('per item (search + create)', odoo, (c) => perItem(c, invoices('ITEM'), seeded)),
		];
	} finally {
		await odoo.stop();
	}
}

async function prefork(version: OdooVersion): Promise<Run[]> {
	const odoo = await startOdoo({ version, workers: 2 });
	try {
		const seeded = await seed(odoo);
		await upsertBills(timedClient(odoo).client, invoices('WARM').slice(0, 10));
		return [
			await timed('prefork: raw create, single stream', odoo, (c) =>
				rawCreate(c, invoices('PRAW'), seeded),
			),
			await timed('prefork: product, 2 chunks in flight', odoo, (c) =>
				product(c, invoices('PAR'), 2),
			),
		];
	} finally {
		await odoo.stop();
	}
}

function judge(version: string, runs: Run[]): void {
	const [raw, ours, item, preRaw, preOurs] = runs;
	const ratio = ours.msPerBill / raw.msPerBill;
	const gain = item.msPerBill / ours.msPerBill;
	const parallel = preRaw.msPerBill / preOurs.msPerBill;
	const maxRequest = Math.max(
		...runs.filter((r) => !r.run.startsWith('raw')).map((r) => r.maxRequestS),
	);
	target(
		`Odoo ${version}: product ≤ 1.1× raw create: ${ratio.toFixed(2)}× (load ${ours.load} vs ${raw.load})`,
		ratio <= 1.1,
	);
	target(
		`Odoo ${version}: per item ≥ 3.5× slower than the product: ${gain.toFixed(1)}× (load ${item.load})`,
		gain >= 3.5,
	);
	target(
		`Odoo ${version}: no request of the product over 30 s: largest ${maxRequest.toFixed(1)} s`,
		maxRequest <= 30,
	);
	target(
		`Odoo ${version} prefork (workers = 2): product with 2 chunks in flight ≥ 1.5× raw single-stream create: ${parallel.toFixed(2)}× (load ${preOurs.load} vs ${preRaw.load})`,
		parallel >= 1.5,
	);
}

async function main(): Promise<void> {
	console.log(
		`${INVOICES} invoices × ${LINES} lines on real Odoo (${VERSIONS.join(', ')}); load = 1-minute load average on this shared 2-core machine`,
	);
	for (const version of VERSIONS) {
		const runs = [...(await threaded(version)), ...(await prefork(version))];
		console.log(`\nOdoo ${version}`);
		printTable(runs.map((r) => ({ ...r })));
		judge(version, runs);
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
