import {
	compileDateFormat,
	formatDate,
	getDefaultTemplate,
	getTemplateById,
	listTemplates,
	readDecimal,
	resolveTemplate,
	TemplateError,
	validateTemplate,
} from '../../../nodes/shared/stampli/templates';
import { parseDecimal } from '../../../nodes/shared/records/decimal';

describe('default templates', () => {
	it('lists one versioned template per kind, each valid', () => {
		const listing = listTemplates();
		expect(listing.map((t) => t.id)).toEqual([
			'invoice-export@1',
			'payment-export@1',
			'vendor-export@1',
			'vendor-feed@1',
			'purchase-order-feed@1',
			'gl-account-feed@1',
			'class-feed@1',
			'department-feed@1',
			'qbo-vendor-feed@1',
			'qbo-gl-account-feed@1',
			'qbo-purchase-order-feed@1',
		]);
		for (const entry of listing) {
			expect(() => validateTemplate(getDefaultTemplate(entry.kind, 'csv'))).not.toThrow();
			const template = getTemplateById(entry.id)!;
			expect(() => validateTemplate(template)).not.toThrow();
			expect(`${template.name}@${template.version}`).toBe(entry.id);
		}
	});

	it('hands out copies, so a caller cannot change the registry', () => {
		const copy = getDefaultTemplate('invoices');
		copy.fields[0].column = 'Changed';
		expect(getDefaultTemplate('invoices').fields[0].column).toBe('InvoiceId');
	});
});

describe('resolveTemplate', () => {
	const base = getDefaultTemplate('invoices');

	it('renames columns by canonical path or by current column name', () => {
		const t = resolveTemplate(base, { columns: { 'vendor.name': 'Supplier', LineAmount: 'Net' } });
		expect(t.fields.find((f) => f.path === 'vendor.name')?.column).toBe('Supplier');
		expect(t.fields.find((f) => f.path === 'lines[].amount')?.column).toBe('Net');
	});

	it('renames a shared column for every field using it', () => {
		const t = resolveTemplate(getDefaultTemplate('vendors'), {
			columns: { VendorId: 'SupplierNo' },
		});
		expect(t.fields.filter((f) => f.column === 'SupplierNo').map((f) => f.path)).toEqual([
			'vendorId',
			'stampliVendorId',
		]);
	});

	it('applies settings and constants, ignoring empty strings from the UI', () => {
		const t = resolveTemplate(base, {
			delimiter: ';',
			encoding: 'latin1',
			dateFormat: 'DD.MM.YYYY',
			decimalSeparator: ',',
			groupSeparator: '.',
			quote: '',
			constants: [{ path: 'currency', value: 'EUR' }],
			name: 'acme-invoices',
		});
		expect(t.csv).toEqual({
			delimiter: ';',
			quote: '"',
			encoding: 'latin1',
			dateFormat: 'DD.MM.YYYY',
			decimalSeparator: ',',
			groupSeparator: '.',
		});
		expect(t.xml.dateFormat).toBe('DD.MM.YYYY');
		expect(t.constants).toEqual([{ path: 'currency', value: 'EUR' }]);
		expect(t.name).toBe('acme-invoices');
	});

	it('names an override that matches no field', () => {
		expect(() => resolveTemplate(base, { columns: { 'vendor.nmae': 'X' } })).toThrow(
			/column override "vendor.nmae": no field/,
		);
	});

	it('refuses invalid settings with the setting named', () => {
		expect(() => resolveTemplate(base, { delimiter: '"' })).toThrow(
			/csv.quote: must differ from the delimiter/,
		);
		expect(() => resolveTemplate(base, { dateFormat: 'YYYY-QQ-DD' })).toThrow(/csv.dateFormat/);
		expect(() => resolveTemplate(base, { decimalSeparator: ',', groupSeparator: ',' })).toThrow(
			/groupSeparator: must differ/,
		);
	});

	it('accepts a whole template as JSON, filling settings it leaves out from the base', () => {
		const json = JSON.stringify({
			name: 'minimal',
			version: 2,
			kind: 'payments',
			recordKey: 'stampliPaymentId',
			fields: [
				{ path: 'stampliPaymentId', column: 'Id', xml: 'Id', type: 'string' },
				{ path: 'stampliInvoiceId', column: 'Bill', xml: 'Bill', type: 'string' },
				{ path: 'invoiceNumber', column: 'BillNo', xml: 'BillNo', type: 'string' },
				{ path: 'vendor.stampliVendorId', column: 'Vendor', xml: 'Vendor', type: 'string' },
				{ path: 'vendor.name', column: 'VendorName', xml: 'VendorName', type: 'string' },
				{ path: 'paymentDate', column: 'Paid', xml: 'Paid', type: 'date' },
				{ path: 'amount', column: 'Amount', xml: 'Amount', type: 'decimal' },
			],
			constants: [{ path: 'currency', value: 'USD' }],
		});
		const t = resolveTemplate(getDefaultTemplate('payments'), { template: json });
		expect(t.name).toBe('minimal');
		expect(t.csv.delimiter).toBe(',');
		expect(t.xml.recordElement).toBe('Payment');
	});

	it('lists every problem of a bad JSON template', () => {
		let error: TemplateError | undefined;
		try {
			resolveTemplate(base, {
				template:
					'{"name":"x","version":0,"kind":"invoices","recordKey":"stampliInvoiceId","fields":[{"path":"stampliInvoiceId","column":"Id","xml":"1bad","type":"float"}]}',
			});
		} catch (e) {
			error = e as TemplateError;
		}
		expect(error).toBeInstanceOf(TemplateError);
		expect(error!.problems).toEqual(
			expect.arrayContaining([
				'version: must be a positive integer (got 0)',
				expect.stringMatching(/fields\[0\] \(stampliInvoiceId\)\.xml: must be an element path/),
				expect.stringMatching(
					/fields\[0\] \(stampliInvoiceId\)\.type: must be one of string, decimal/,
				),
				'fields: "total" is required for invoices and has neither a field nor a constant',
			]),
		);
		expect(() => resolveTemplate(base, { template: '{not json' })).toThrow(
			/template JSON does not parse/,
		);
		expect(() => resolveTemplate(base, { template: '[]' })).toThrow(/must be a JSON object/);
	});

	it('refuses unknown canonical paths but allows custom dimensions', () => {
		const withCustom = getDefaultTemplate('invoices');
		withCustom.fields.push({
			path: 'lines[].dimensions.costCenter',
			column: 'CostCenter',
			xml: 'Dimensions/CostCenter',
			type: 'string',
		});
		expect(() => validateTemplate(withCustom)).not.toThrow();
		withCustom.fields.push({ path: 'vendor.nmae', column: 'Typo', xml: 'Typo', type: 'string' });
		expect(() => validateTemplate(withCustom)).toThrow(
			/"vendor.nmae" is not a field of invoices records/,
		);
	});
});

describe('date formats', () => {
	it.each([
		['YYYY-MM-DD', '2024-02-29', '2024-02-29'],
		['MM/DD/YYYY', '12/31/2025', '2025-12-31'],
		['DD.MM.YYYY', '01.03.2026', '2026-03-01'],
		['M/D/YYYY', '3/7/2026', '2026-03-07'],
		['YYYYMMDD', '20260307', '2026-03-07'],
	])('%s reads %s as %s and writes it back', (format, text, iso) => {
		expect(compileDateFormat(format).parse(text)).toEqual({ iso });
		if (!format.startsWith('M/')) expect(formatDate(iso, format)).toBe(text);
	});

	it.each([
		['YYYY-MM-DD', '2023-02-29', /no day 29/],
		['YYYY-MM-DD', '2026-13-01', /month 13/],
		['MM/DD/YYYY', '2026-01-01', /does not match the date format MM\/DD\/YYYY/],
		['DD.MM.YYYY', '31.04.2026', /no day 31/],
	])('%s refuses %s', (format, text, reason) => {
		const result = compileDateFormat(format).parse(text);
		expect('error' in result && result.error).toMatch(reason);
	});
});

describe('readDecimal', () => {
	it.each([
		'0',
		'-0.00',
		'100.00',
		'007.50',
		'-12.3400',
		'1234567890123456789.123456789',
		'1.',
		'.5',
		'+3',
		'(12.00)',
	])('gives the same canonical string as decimal.ts for %s', (text) =>
		expect(readDecimal(text, { decimalSeparator: '.' })).toBe(parseDecimal(text)),
	);

	it('reads decimal commas with and without grouping', () => {
		expect(readDecimal('1234,50', { decimalSeparator: ',' })).toBe('1234.5');
		expect(readDecimal('1.234,56', { decimalSeparator: ',', groupSeparator: '.' })).toBe('1234.56');
		expect(() => readDecimal('1.234,56', { decimalSeparator: ',' })).toThrow(/is not allowed/);
		expect(() => readDecimal('1e3', { decimalSeparator: '.' })).toThrow(/not a decimal/);
	});
});
