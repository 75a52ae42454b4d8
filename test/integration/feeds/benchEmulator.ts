/**
 * The Odoo emulator in its own process, seeded at bench scale: 100,000 vendors, 20,000 purchase
 * orders of 5 lines each, 2,000 GL accounts. Own process so the bench's RSS is the pipeline's alone.
 * Prints one JSON line (url, db, login, apiKey) when ready; exits when stdin closes.
 */
import { startOdooEmulator } from '../../emulators/odoo';

async function main(): Promise<void> {
	const vendors = Number(process.env.FEED_BENCH_VENDORS ?? 100_000);
	const orders = Number(process.env.FEED_BENCH_ORDERS ?? 20_000);
	const accounts = Number(process.env.FEED_BENCH_ACCOUNTS ?? 2_000);
	const emulator = await startOdooEmulator({ version: 17, latencyMs: 0 });
	const store = emulator.store;
	const usd = store.all('res.currency').find((c) => c.name === 'USD')!.id;
	const cities = ['Fremont', 'Zürich', 'São Paulo', 'Lyon', 'Austin'];
	const partnerVals = Array.from({ length: vendors }, (_, i) => ({
		name: i % 1000 === 0 ? `=HYPERLINK("http://x/${i}")` : `Vendor ${i} & Sons, "Ltd"`,
		vat: `US${String(100000000 + i)}`,
		ref: `V${i}`,
		email: `ap${i}@vendor${i % 97}.example`,
		phone: `+1-555-${String(i % 10000).padStart(4, '0')}`,
		street: `${i} Main Street`,
		city: cities[i % cities.length],
		zip: String(10000 + (i % 89999)),
		is_company: true,
		supplier_rank: 1,
	}));
	const partnerIds = store.create('res.partner', partnerVals);
	const orderVals = Array.from({ length: orders }, (_, i) => ({
		name: `PB${String(i).padStart(6, '0')}`,
		partner_id: partnerIds[i % partnerIds.length],
		date_order: '2026-11-19 10:00:00',
		currency_id: usd,
		state: 'purchase',
		amount_total: 5 * 123.45,
		order_line: Array.from({ length: 5 }, (_, k) => [
			0,
			0,
			{
				name: `Item ${k} for order ${i}`,
				product_qty: 3,
				qty_received: k % 2,
				qty_invoiced: 0,
				price_unit: 41.15,
				price_subtotal: 123.45,
			},
		]),
	}));
	for (let i = 0; i < orderVals.length; i += 1000)
		store.create('purchase.order', orderVals.slice(i, i + 1000));
	store.create(
		'account.account',
		Array.from({ length: accounts }, (_, i) => ({
			code: String(700000 + i),
			name: `Expense account ${i}`,
			account_type: 'expense',
		})),
	);
	process.stdout.write(
		JSON.stringify({
			url: emulator.url,
			db: emulator.db,
			login: emulator.login,
			apiKey: emulator.apiKey,
		}) + '\n',
	);
	const stop = () => void emulator.stop().then(() => process.exit(0));
	process.stdin.on('end', stop);
	process.stdin.on('close', stop);
	process.stdin.resume();
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(String(error?.stack ?? error));
	process.exit(1);
});
