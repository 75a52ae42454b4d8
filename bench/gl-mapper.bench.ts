/**
 * GL Mapper throughput: 10,000 invoices × 5 lines against 2,000 rules (exact, prefix, range, regex,
 * with dimension conditions), indexed lookup vs a linear scan of every rule, in the same run.
 */
import { compileRules, mapInvoices, type MatchInput, type RuleRow } from '../nodes/shared/mapping';
import type { Invoice } from '../nodes/shared/records/types';
import { measure, printTable, target } from './lib/measure';

const INVOICES = 10_000;
const LINES = 5;
const RULES = 2_000;
const departments = ['Ops', 'Sales', 'R&D', 'Finance'];

let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];

// 1,400 exact, 300 prefix, 250 range, 50 regex; a fifth carry a department condition.
const rows: RuleRow[] = [];
for (let i = 0; i < RULES; i++) {
	const dep = i % 5 === 0 ? { department: departments[i % departments.length] } : {};
	const account = { odooAccount: i + 1, priority: i };
	if (i < 1400) rows.push({ code: String(100000 + i * 7), ...dep, ...account });
	else if (i < 1700)
		rows.push({ match: 'prefix', code: String(2000 + (i - 1400)), ...dep, ...account });
	else if (i < 1950)
		rows.push({
			codeFrom: 300000 + (i - 1700) * 100,
			codeTo: 300000 + (i - 1700) * 100 + 99,
			...dep,
			...account,
		});
	else rows.push({ pattern: `X${i - 1950}-[A-Z]{2}\\d+`, ...account });
}

function code(): string {
	const r = rnd();
	if (r < 0.5) return String(100000 + Math.floor(rnd() * 1400) * 7);
	if (r < 0.7) return `${2000 + Math.floor(rnd() * 300)}${Math.floor(rnd() * 100)}`;
	if (r < 0.9) return String(300000 + Math.floor(rnd() * 25_000));
	if (r < 0.97) return `X${Math.floor(rnd() * 50)}-AB${Math.floor(rnd() * 100)}`;
	return `UNMAPPED-${Math.floor(rnd() * 100)}`;
}

const invoices: Invoice[] = [];
for (let n = 0; n < INVOICES; n++) {
	invoices.push({
		stampliInvoiceId: `S${n}`,
		invoiceNumber: `INV-${n}`,
		documentType: 'bill',
		vendor: { stampliVendorId: `V${n % 300}`, name: `Vendor ${n % 300}` },
		invoiceDate: '2026-01-15',
		currency: 'USD',
		total: '500.00',
		lines: Array.from({ length: LINES }, (_, l) => ({
			lineNumber: l + 1,
			description: 'x',
			quantity: '1',
			unitPrice: '100.00',
			amount: '100.00',
			glAccount: code(),
			dimensions: rnd() < 0.6 ? { department: pick(departments) } : {},
		})),
		source: {
			file: 'bench.csv',
			sha256: '0',
			format: 'csv',
			template: 'invoice-export@1',
			rows: [n + 1],
		},
	});
}
const inputs: MatchInput[] = invoices.flatMap((inv) =>
	inv.lines.map((line) => ({
		glAccount: line.glAccount,
		dimensions: line.dimensions,
		vendorId: inv.vendor.stampliVendorId,
		vendorName: inv.vendor.name,
	})),
);
const totalLines = inputs.length;

async function main() {
	const figures: Array<Record<string, string | number>> = [];
	const compiled = await measure('compile 2,000 rules', async () =>
		compileRules(rows, { target: 'odoo', precedence: 'mostSpecific' }),
	);
	const rules = compiled.result;
	figures.push({
		case: compiled.m.label,
		lines: 0,
		wallMs: compiled.m.wallMs,
		linesPerSec: 0,
		peakRssMb: compiled.m.peakRssGrowthMb,
	});

	// Warm both paths up on a small slice so neither figure is mostly JIT compilation.
	for (const input of inputs.slice(0, 2000)) {
		rules.match(input);
		rules.matchLinear(input);
	}
	const indexed = await measure('match, indexed', async () => {
		let mapped = 0;
		for (const input of inputs) if (rules.match(input).status === 'mapped') mapped++;
		return mapped;
	});
	const linear = await measure('match, linear scan (baseline)', async () => {
		let mapped = 0;
		for (const input of inputs) if (rules.matchLinear(input).status === 'mapped') mapped++;
		return mapped;
	});
	if (indexed.result !== linear.result)
		throw new Error(
			`indexed mapped ${indexed.result} lines, linear ${linear.result}: they must agree`,
		);
	const full = await measure('mapInvoices end to end (indexed)', async () =>
		mapInvoices(invoices, { rules }),
	);
	const routed = full.result.filter((o) => o.route === 'mapped').length;

	for (const { m } of [indexed, linear, full]) {
		figures.push({
			case: m.label,
			lines: totalLines,
			wallMs: m.wallMs,
			linesPerSec: Math.round(totalLines / (m.wallMs / 1000)),
			peakRssMb: m.peakRssGrowthMb,
		});
	}
	printTable(figures);
	console.log(
		`${indexed.result} of ${totalLines} lines mapped by a rule; ${routed} of ${INVOICES} invoices routed to Mapped`,
	);
	const speedup = linear.m.wallMs / indexed.m.wallMs;
	console.log(`index speed-up over linear scan: ${speedup.toFixed(1)}×`);
	target(
		`≥ 50,000 lines/s end to end (got ${Math.round(totalLines / (full.m.wallMs / 1000))})`,
		totalLines / (full.m.wallMs / 1000) >= 50_000,
	);
	target(`indexed faster than linear scan (${speedup.toFixed(1)}×)`, speedup > 1);
}

void main();
