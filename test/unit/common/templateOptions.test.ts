/**
 * The template options of the reading nodes (Stampli SFTP Trigger, Stampli Files) and the writing
 * ones (Stampli Feed Writer, Odoo Master Data): one wording, each side's saved parameter names
 * still read, and the values reaching the parser and the feed template.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import {
	templateOptionsProperty,
	templateOverridesFrom,
} from '../../../nodes/common/templateOptions';
import { parserOptionsFrom, parsingProperties } from '../../../nodes/common/stampliParsing';
import { feedFileProperties, readFeedUiSettings } from '../../../nodes/common/feedProperties';
import { feedTemplateFrom } from '../../../nodes/shared/feeds';
import { makeStampliParser } from '../../../nodes/shared/inbox';
import { getDefaultTemplate } from '../../../nodes/shared/stampli';
import type { Payment } from '../../../nodes/shared/records/types';

const collectionOf = (properties: INodeProperties[], name: string): INodeProperties => {
	const found = properties.find((p) => p.name === name);
	if (!found) throw new Error(`no parameter ${name}`);
	return found;
};
const optionsOf = (collection: INodeProperties) => collection.options as INodeProperties[];

describe('template options UI', () => {
	const read = collectionOf(parsingProperties, 'templateOptions');
	const write = collectionOf(feedFileProperties(), 'template');

	it("keeps each side's collection name, with one display name", () => {
		expect(read.type).toBe('collection');
		expect(write.type).toBe('collection');
		expect(read.displayName).toBe(write.displayName);
	});

	it('words the shared options the same on both sides', () => {
		const byName = (c: INodeProperties) => new Map(optionsOf(c).map((o) => [o.name, o]));
		const readOptions = byName(read);
		const writeOptions = byName(write);
		const shared = [
			'columns',
			'constants',
			'dateFormat',
			'decimalSeparator',
			'delimiter',
			'elements',
			'encoding',
			'templateJson',
		];
		for (const name of shared) {
			expect(readOptions.get(name)?.displayName).toBeDefined();
			expect(readOptions.get(name)?.displayName).toBe(writeOptions.get(name)?.displayName);
		}
		expect(readOptions.get('decimalSeparator')?.options).toEqual(
			writeOptions.get('decimalSeparator')?.options,
		);
		// Side-specific options stay on their side.
		expect([...readOptions.keys()]).toEqual(
			expect.arrayContaining(['allOrNothing', 'sumTolerance', 'groupSeparator']),
		);
		expect([...writeOptions.keys()]).not.toEqual(expect.arrayContaining(['allOrNothing']));
		expect(writeOptions.has('sumTolerance')).toBe(false);
		expect(writeOptions.has('groupSeparator')).toBe(false);
	});

	it('keeps the rename rows saved workflows carry (read: rename/from/to, write: column/field/column)', () => {
		const rows = (c: INodeProperties) => {
			const columns = optionsOf(c).find((o) => o.name === 'columns');
			const row = (columns?.options as Array<{ name: string; values: INodeProperties[] }>)[0];
			return [row.name, ...row.values.map((v) => v.name)];
		};
		expect(rows(read)).toEqual(['rename', 'from', 'to']);
		expect(rows(write)).toEqual(['column', 'field', 'column']);
	});

	it('lists options sorted by display name', () => {
		for (const c of [read, write]) {
			const names = optionsOf(c).map((o) => o.displayName);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it('offers UTF-8 with BOM only where it differs from UTF-8 (writing)', () => {
		const values = (c: INodeProperties) =>
			(optionsOf(c).find((o) => o.name === 'encoding')?.options as Array<{ value: string }>).map(
				(o) => o.value,
			);
		expect(values(read)).toEqual(['utf8', 'latin1']);
		expect(values(write)).toEqual(['utf8', 'utf8bom', 'latin1']);
	});

	it("adds side options once, under the side's collection name", () => {
		const extra: INodeProperties = {
			displayName: 'Pretty XML',
			name: 'prettyXml',
			type: 'boolean',
			default: false,
			description: 'Whether to indent',
		};
		const built = templateOptionsProperty('write', [extra]);
		expect(built.name).toBe('template');
		expect(optionsOf(built).filter((o) => o.name === 'prettyXml')).toHaveLength(1);
	});
});

describe('reading side parameters (saved shape of Stampli SFTP Trigger / Stampli Files)', () => {
	const saved: IDataObject = {
		allOrNothing: true,
		columns: {
			rename: [
				{ from: 'vendor.name', to: 'Supplier' },
				{ from: '', to: 'ignored' },
			],
		},
		dateFormat: 'MM/DD/YYYY',
		decimalSeparator: ',',
		delimiter: ';',
		encoding: 'latin1',
		sumTolerance: '0.01',
		templateJson: '',
	};

	it('reads them into the same parser options as before', () => {
		expect(parserOptionsFrom('invoices', 'csv', saved, 1000)).toEqual({
			kind: 'invoices',
			format: 'csv',
			overrides: {
				columns: { 'vendor.name': 'Supplier' },
				dateFormat: 'MM/DD/YYYY',
				decimalSeparator: ',',
				delimiter: ';',
				encoding: 'latin1',
			},
			sumTolerance: '0.01',
			allOrNothing: true,
			maxBytes: 1000,
		});
	});

	it('reads nothing from an empty collection', () => {
		expect(templateOverridesFrom('read', {})).toEqual({});
		expect(parserOptionsFrom('byName', 'auto', {}).overrides).toEqual({});
	});

	it('passes a template given as JSON text or as an object', () => {
		const json = JSON.stringify(getDefaultTemplate('payments'));
		expect(templateOverridesFrom('read', { templateJson: json }).template).toBe(json);
		expect(
			templateOverridesFrom('read', {
				templateJson: getDefaultTemplate('payments') as unknown as IDataObject,
			}).template,
		).toBe(json);
		expect(templateOverridesFrom('read', { templateJson: '   ' }).template).toBeUndefined();
	});

	it('parses a file with renamed columns, a constant, a delimiter, decimal comma and grouping', async () => {
		const csv = [
			'PaymentId;InvoiceId;InvoiceNumber;VendorId;Lieferant;PaymentDate;Amount',
			'PAY-1;INV-1;A-1;V-1;Acme;20.03.2026;1.234,50',
		].join('\r\n');
		const raw: IDataObject = {
			columns: { rename: [{ from: 'vendor.name', to: 'Lieferant' }] },
			constants: { constant: [{ field: 'currency', value: 'EUR' }] },
			delimiter: ';',
			dateFormat: 'DD.MM.YYYY',
			decimalSeparator: ',',
			groupSeparator: '.',
		};
		const parse = makeStampliParser(parserOptionsFrom('payments', 'csv', raw));
		const parsed = await parse({
			name: 'payments.csv',
			path: '/out/payments.csv',
			data: Buffer.from(csv),
		});
		expect(parsed.errors).toEqual([]);
		const payment = parsed.records[0] as Payment;
		expect(payment).toMatchObject({
			stampliPaymentId: 'PAY-1',
			amount: '1234.5',
			currency: 'EUR',
			paymentDate: '2026-03-20',
		});
		expect(payment.vendor.name).toBe('Acme');
	});

	it('reads \\t as a tab delimiter and leaves bad values to the template check, which names them', () => {
		expect(templateOverridesFrom('read', { delimiter: '\\t' }).delimiter).toBe('\t');
		const parse = makeStampliParser(parserOptionsFrom('payments', 'csv', { encoding: 'utf16' }));
		return expect(parse({ name: 'p.csv', path: 'p.csv', data: Buffer.from('x') })).rejects.toThrow(
			/encoding: must be utf8, utf8bom or latin1/,
		);
	});
});

describe('writing side parameters (saved shape of Stampli Feed Writer / Odoo Master Data)', () => {
	const saved: IDataObject = {
		columns: {
			column: [
				{ field: ' name', column: 'Supplier Name' },
				{ field: 'vendorId', column: '' },
			],
		},
		constants: {
			constant: [
				{ column: 'Company', value: 'ACME' },
				{ column: '', value: 'dropped' },
			],
		},
		elements: { element: [{ field: 'name', element: ' SupplierName ' }] },
		dateFormat: 'YYYY-MM-DD',
		decimalSeparator: '.',
		delimiter: '\\t',
		encoding: 'utf8bom',
	};
	const params: IDataObject = {
		format: 'csv',
		template: saved,
		feedOptions: { neutraliseFormulas: true },
	};
	const get = (name: string, fallback: unknown) => (name in params ? params[name] : fallback);

	it('reads them into the same overrides as before', () => {
		expect(readFeedUiSettings(get).template).toEqual({
			columns: { name: 'Supplier Name' },
			elements: { name: 'SupplierName' },
			constants: [{ column: 'Company', value: 'ACME' }],
			dateFormat: 'YYYY-MM-DD',
			decimalSeparator: '.',
			delimiter: '\t',
			encoding: 'utf8bom',
		});
	});

	it('resolves the feed template from them', () => {
		const template = feedTemplateFrom('vendorFeed', 'csv', readFeedUiSettings(get).template);
		expect(template.fields.find((f) => f.path === 'name')).toMatchObject({
			column: 'Supplier Name',
			xml: 'SupplierName',
		});
		expect(template.constants).toContainEqual({ column: 'Company', value: 'ACME' });
		expect(template.csv).toMatchObject({ delimiter: '\t', encoding: 'utf8bom' });
	});

	it('refuses a whole template of another kind', () => {
		const overrides = templateOverridesFrom('write', {
			templateJson: JSON.stringify(getDefaultTemplate('glAccountFeed')),
		});
		expect(() => feedTemplateFrom('vendorFeed', 'csv', overrides)).toThrow(
			/is a glAccountFeed template; this feed needs a vendorFeed template/,
		);
	});

	it("reads the shipped workflows' parameters (no template options) as no overrides", () => {
		const shipped: IDataObject = {
			feedType: 'vendors',
			format: 'csv',
			fileNamePattern: '{feed}_{date:YYYYMMDD}_{time:HHmmss}.{ext}',
			targetDir: '',
			feedOptions: { neutraliseFormulas: true },
		};
		const ui = readFeedUiSettings((name, fallback) => (name in shipped ? shipped[name] : fallback));
		expect(ui.template).toEqual({});
		expect(feedTemplateFrom('vendorFeed', 'csv', ui.template)).toEqual(
			getDefaultTemplate('vendorFeed', 'csv'),
		);
	});
});
