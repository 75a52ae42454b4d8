/** PO line resolution rules, on purchase.order.line rows as search_read returns them. */
import {
	indexPoLines,
	poLineLookupDomain,
	resolvePoLines,
} from '../../../nodes/shared/odoo/purchaseLines';
import type { Invoice } from '../../../nodes/shared/records/types';

const DECO = 4;
const AZURE = 3;

function row(
	id: number,
	order: [number, string],
	sequence: number,
	priceUnit: number,
	partner: [number, string] = [DECO, 'Deco Addict'],
	state = 'purchase',
	displayType: string | false = false,
) {
	return {
		id,
		order_id: order,
		sequence,
		display_type: displayType,
		name: `line ${id}`,
		product_qty: 1,
		price_unit: priceUnit,
		qty_invoiced: 0,
		partner_id: partner,
		state,
	};
}

function invoice(
	poNumber: string | undefined,
	refs: Array<string | undefined>,
	unitPrice = '10.00',
): Invoice {
	return {
		stampliInvoiceId: 'STI-1',
		invoiceNumber: 'V-1',
		documentType: 'bill',
		vendor: { stampliVendorId: 'SV-DECO', name: 'Deco Addict' },
		invoiceDate: '2026-11-20',
		currency: 'USD',
		total: '0',
		...(poNumber ? { poNumber } : {}),
		lines: refs.map((poLine, k) => ({
			lineNumber: k + 1,
			description: '',
			quantity: '1',
			unitPrice,
			amount: unitPrice,
			glAccount: '600000',
			dimensions: {},
			...(poLine ? { poLine } : {}),
		})),
	} as Invoice;
}

describe('PO line lookup domain', () => {
	it('asks for the lines of named POs, and for bare line ids only where no PO is named', () => {
		expect(
			poLineLookupDomain([
				invoice('P2', ['1']),
				invoice(undefined, ['57', 'x']),
				invoice('P1', [undefined]),
			]),
		).toEqual(['|', ['order_id.name', 'in', ['P1', 'P2']], ['id', 'in', [57]]]);
		expect(poLineLookupDomain([invoice(undefined, ['57'])])).toEqual([['id', 'in', [57]]]);
		expect(
			poLineLookupDomain([invoice(undefined, [undefined]), invoice('  ', ['x'])]),
		).toBeUndefined();
	});
});

describe('resolvePoLines', () => {
	// P7 shows as "P7 (REF)" (vendor reference); its product lines by sequence: 12 (#1), 10 (#2), 11 (#3), 3 (#4); 9 is a section.
	const p7: [number, string] = [70, 'P7 (REF)'];
	const rows = [
		row(9, p7, 0, 0, undefined, undefined, 'line_section'),
		row(10, p7, 20, 10),
		row(11, p7, 30, 11),
		row(12, p7, 10, 12),
		row(3, p7, 40, 13),
	];

	it('reads line numbers in the feed order and tolerates the vendor reference in the PO display name', () => {
		const index = indexPoLines(rows, ['P7']);
		const result = resolvePoLines(invoice('P7', ['1', '2', '4', '11']), DECO, index);
		expect(result.lineIds).toEqual([12, 10, 3, 11]);
		expect(result.warnings).toEqual([]);
		expect(result.links[0]).toBe('PO P7 line 1 (purchase.order.line 12)');
	});

	it("a reference that is a line number and another line's id: the unit price decides, else the line number wins with a note", () => {
		const index = indexPoLines(rows, ['P7']);
		// "3" = line number 3 (id 11, price 11) or id 3 (line number 4, price 13).
		expect(resolvePoLines(invoice('P7', ['3'], '13.00'), DECO, index)).toMatchObject({
			lineIds: [3],
			warnings: [],
		});
		expect(resolvePoLines(invoice('P7', ['3'], '11.00'), DECO, index)).toMatchObject({
			lineIds: [11],
			warnings: [],
		});
		// Price decides nothing: "3" and "4" both fit as line numbers, so the invoice reads as line numbers.
		expect(resolvePoLines(invoice('P7', ['3', '4'], '1.00'), DECO, index)).toMatchObject({
			lineIds: [11, 3],
			warnings: [],
		});
		// "12" only makes sense as an id, so "3" is a real ambiguity: line number, with a note.
		const mixed = resolvePoLines(invoice('P7', ['3', '12'], '1.00'), DECO, index);
		expect(mixed.lineIds).toEqual([11, 12]);
		expect(mixed.problems).toEqual([]);
		expect(mixed.warnings).toEqual([
			'line 1: PO line "3" is line number 3 and also the id of line 4 of PO P7; taken as the line number',
		]);
	});

	it("one PO number on several orders (two companies): the bill vendor's order, else none", () => {
		const twin = [
			row(20, [80, 'P8'], 10, 5),
			row(21, [81, 'P8'], 10, 5, [AZURE, 'Azure Interior']),
		];
		expect(resolvePoLines(invoice('P8', ['1']), DECO, indexPoLines(twin, ['P8'])).lineIds).toEqual([
			20,
		]);
		const both = [row(20, [80, 'P8'], 10, 5), row(21, [81, 'P8'], 10, 5)];
		expect(resolvePoLines(invoice('P8', ['1']), DECO, indexPoLines(both, ['P8'])).problems).toEqual(
			['PO number P8 matches 2 Odoo orders (ids 80, 81): line 1 not linked to a PO line'],
		);
	});

	it('groups lines per reason, rejects non-numeric references, and notes a wrong PO even without line references', () => {
		const index = indexPoLines(rows, ['P7']);
		expect(resolvePoLines(invoice('P7', ['A-1', '1', 'A-1']), DECO, index).problems).toEqual([
			'PO line "A-1" is neither a line number nor an Odoo PO line id: lines 1, 3 not linked to a PO line',
		]);
		const foreign = resolvePoLines(invoice('P7', [undefined]), AZURE, index);
		expect(foreign.problems).toEqual([]);
		expect(foreign.warnings).toEqual([
			`PO P7 is for vendor Deco Addict (partner ${DECO}), not the bill's vendor (partner ${AZURE})`,
		]);
	});

	it('a failed lookup (no purchase app) leaves every referenced line unlinked, with the reason', () => {
		const result = resolvePoLines(invoice('P7', ['1', undefined]), DECO, {
			ordersByName: new Map(),
			linesById: new Map(),
			lookupError: "Object purchase.order.line doesn't exist",
		});
		expect(result.lineIds).toEqual([undefined, undefined]);
		expect(result.problems).toEqual([
			"PO lines could not be read from Odoo (Object purchase.order.line doesn't exist): line 1 not linked to a PO line",
		]);
	});
});
