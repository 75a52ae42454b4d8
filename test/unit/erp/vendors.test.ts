import {
	InMemoryVendorDirectory,
	matchVendors,
	normaliseTaxId,
	normaliseVendorName,
	sameTaxId,
	vendorCandidatesFromRows,
} from '../../../nodes/shared/erp';
import { vendorTableFromRows } from '../../../nodes/shared/mapping';
import type { VendorRef } from '../../../nodes/shared/records/types';

const ref = (stampliVendorId: string, name: string, extra: Partial<VendorRef> = {}): VendorRef => ({
	stampliVendorId,
	name,
	...extra,
});

describe('vendor name normalisation', () => {
	it.each([
		['ACME, Inc.', 'acme'],
		['Acme Inc', 'acme'],
		['  acme   INC ', 'acme'],
		['Acme LLC', 'acme'],
		['Müller GmbH', 'muller'],
		['Société Générale S.A.', 'societe generale'],
		['Dupont SARL', 'dupont'],
		['Van Dijk B.V.', 'van dijk'],
		['Widgets Corp.', 'widgets'],
		['Smith & Co. Ltd', 'smith'],
		['Tesco PLC', 'tesco'],
		['Inc', 'inc'],
		['Co-Op Foods', 'co op foods'],
	])('%s → %s', (input, expected) => {
		expect(normaliseVendorName(input)).toBe(expected);
	});

	it('tax ids ignore case, spaces and separators', () => {
		expect(normaliseTaxId('de 123-456.789')).toBe('DE123456789');
	});
});

describe('vendor matching steps', () => {
	const directory = () =>
		new InMemoryVendorDirectory([
			{ erpVendorId: '10', name: 'Acme Incorporated', externalId: 'S-1' },
			{ erpVendorId: '11', name: 'Globex GmbH', taxId: 'DE 999' },
			{ erpVendorId: '12', name: 'Initech, LLC' },
			{ erpVendorId: '13', name: 'Twin Ltd' },
			{ erpVendorId: '14', name: 'TWIN Inc.' },
			{ erpVendorId: '15', name: 'Gone Co', active: false },
			{ erpVendorId: '16', name: 'Shared Tax A', taxId: 'FR1' },
			{ erpVendorId: '17', name: 'Shared Tax B', taxId: 'fr-1' },
		]);

	it('tries provided, table, external id, tax id, name in that order and records the method', async () => {
		const dir = directory();
		const results = await matchVendors(
			[
				ref('S-0', 'Whoever', { erpVendorId: '1' }),
				ref('S-9', 'Whatever'),
				ref('S-1', 'Acme'),
				ref('S-2', 'Globex', { taxId: 'de999' }),
				ref('S-3', 'INITECH'),
				ref('S-4', 'Nobody'),
			],
			{
				table: new Map([
					['S-9', '99'],
					['S-1', '98'],
				]),
				directory: dir,
			},
		);
		expect(
			results.map((r) => (r.status === 'matched' ? [r.erpVendorId, r.method] : r.status)),
		).toEqual([
			['1', 'provided'],
			['99', 'table'],
			['98', 'table'], // the table wins over the external id
			['11', 'taxId'],
			['12', 'name'],
			'unmatched',
		]);
		expect(results[5].reason).toBe(
			'vendor S-4 "Nobody" not found (tried: table, externalId, taxId, name)',
		);
		expect(results[4].reason).toBe(
			'normalised name "initech" matched ERP vendor 12 "Initech, LLC"',
		);
	});

	it('makes one directory call per step for the whole batch, with distinct keys of unresolved vendors only', async () => {
		const dir = directory();
		await matchVendors(
			[
				ref('S-1', 'Acme'),
				ref('S-1', 'Acme'),
				ref('S-2', 'Globex', { taxId: 'DE999' }),
				ref('S-3', 'Initech'),
				ref('S-3', 'Initech'),
			],
			{ directory: dir },
		);
		expect(dir.calls).toEqual([
			{ method: 'byExternalIds', keys: ['S-1', 'S-2', 'S-3'] },
			{ method: 'byTaxIds', keys: ['DE999'] },
			{ method: 'byNames', keys: ['initech'] },
		]);
	});

	it('does not guess between two candidates, and does not fall through to a later step', async () => {
		const [twin, tax] = await matchVendors(
			[ref('S-5', 'Twin'), ref('S-6', 'Shared Tax A', { taxId: 'FR 1' })],
			{ directory: directory() },
		);
		expect(twin).toMatchObject({ status: 'ambiguous', method: 'name' });
		expect(twin.reason).toContain('matches 2 ERP vendors (13 "Twin Ltd", 14 "TWIN Inc.")');
		// The name would match uniquely, but the tax id step already found two: reported, not guessed.
		expect(tax).toMatchObject({ status: 'ambiguous', method: 'taxId' });
	});

	it('ignores archived vendors and says so', async () => {
		const [gone] = await matchVendors([ref('S-7', 'Gone')], { directory: directory() });
		expect(gone).toEqual({
			status: 'unmatched',
			reason: 'normalised name "gone" matches only archived ERP vendor(s) 15 "Gone Co"',
		});
	});

	it('honours the chosen steps and a custom external id', async () => {
		const dir = directory();
		const [r] = await matchVendors([ref('1', 'Acme Incorporated')], {
			directory: dir,
			steps: ['externalId'],
			externalIdOf: (id) => `S-${id}`,
		});
		expect(r).toMatchObject({ status: 'matched', erpVendorId: '10', method: 'externalId' });
		const [none] = await matchVendors([ref('X', 'Acme Incorporated', { erpVendorId: '5' })], {
			directory: dir,
			steps: ['table'],
		});
		expect(none.status).toBe('unmatched');
	});
});

describe('vendor rows', () => {
	it('builds candidates from canonical Vendor records and mapping tables, rejecting bad rows by number', () => {
		expect(
			vendorCandidatesFromRows(
				[{ vendorId: 7, name: 'A', taxId: 'T', stampliVendorId: 'S', active: false }],
				'x',
			),
		).toEqual([{ erpVendorId: '7', name: 'A', taxId: 'T', externalId: 'S', active: false }]);
		expect(() =>
			vendorCandidatesFromRows([{ name: 'A', vendorId: 1 }, { name: '' }], 'ERP vendors'),
		).toThrow('ERP vendors: row 2: an ERP vendor needs');
		expect(vendorTableFromRows([{ stampliVendorId: 'S1', erpVendorId: 5 }], 't').get('S1')).toBe(
			'5',
		);
		expect(() =>
			vendorTableFromRows(
				[
					{ stampliVendorId: 'S1', erpVendorId: 5 },
					{ stampliVendorId: 'S1', erpVendorId: 6 },
				],
				'Vendor table',
			),
		).toThrow('Vendor table: row 2: Stampli vendor S1 is mapped twice (5 and 6)');
	});
});

describe('tax ids', () => {
	it('compare normalised, a one-sided country prefix ignored, an exact spelling preferred', async () => {
		expect(sameTaxId('US 98-7654321', '987654321')).toBe(true);
		expect(sameTaxId('DE1', 'FR1')).toBe(false);
		const directory = new InMemoryVendorDirectory([
			{ erpVendorId: '1', name: 'Acme', taxId: '12-3456789' },
			{ erpVendorId: '2', name: 'Azure', taxId: 'US123456789' },
			{ erpVendorId: '3', name: 'Berlin GmbH', taxId: 'DE 123 456 789' },
			{ erpVendorId: '4', name: 'Gemini', taxId: 'US987654321' },
		]);
		const [exact, prefixed, onlyPrefixed] = await matchVendors(
			[
				ref('S-1', 'x', { taxId: '123456789' }),
				ref('S-2', 'y', { taxId: 'de123456789' }),
				ref('S-3', 'z', { taxId: '98-7654321' }),
			],
			{ directory, steps: ['taxId'] },
		);
		expect(exact).toMatchObject({ status: 'matched', erpVendorId: '1' });
		expect(prefixed).toMatchObject({ status: 'matched', erpVendorId: '3' });
		expect(onlyPrefixed).toMatchObject({ status: 'matched', erpVendorId: '4' });
	});
});
