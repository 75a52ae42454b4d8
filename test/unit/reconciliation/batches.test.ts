import { combineBatchSummaries, reconcileItems } from '../../../nodes/shared/reconciliation';

const SHA = 'a'.repeat(64);
const FILE = '/outbound/invoices-big.csv';

/** A trigger item written by an ERP node: one invoice of batch `index` of 3 (entries 1–5, 6–10, 11–12). */
function written(id: number, amount: string, action = 'created') {
	const index = Math.ceil(id / 5);
	return {
		stampliInvoiceId: `B-${id}`,
		invoiceNumber: `INV-${id}`,
		documentType: 'bill',
		currency: 'USD',
		total: amount,
		lines: [{ amount }],
		source: {
			file: FILE,
			sha256: SHA,
			format: 'csv',
			template: 'invoice-export@1',
			rows: [id],
			batch: {
				index,
				count: 3,
				firstItem: (index - 1) * 5 + 1,
				lastItem: Math.min(index * 5, 12),
				fileItems: 12,
				fileRecords: 12,
				fileInvalid: 0,
			},
		},
		erp: { system: 'odoo', action, id: 100 + id },
	};
}

const batchItems = (index: number) =>
	Array.from({ length: 12 }, (_, i) => i + 1)
		.filter((id) => Math.ceil(id / 5) === index)
		.map((id) => written(id, '10.00', id === 7 ? 'unchanged' : 'created'));

describe('reconciliation of a file emitted in batches', () => {
	it('sums the per-batch summaries (one per execution) to the file', () => {
		const perBatch = [1, 2, 3].flatMap((index) => reconcileItems(batchItems(index)).summaries);
		expect(perBatch.map((s) => [s.batch?.index, s.recordsIn, s.balanced])).toEqual([
			[1, 5, true],
			[2, 5, true],
			[3, 2, true],
		]);
		const [file] = combineBatchSummaries(perBatch);
		expect(file).toMatchObject({
			file: FILE,
			sha256: SHA,
			recordsIn: 12,
			created: 11,
			unchanged: 1,
			amountIn: '120.00',
			amountWritten: '120.00',
			balanced: true,
			imbalance: [],
			batches: { count: 3, summarised: 3 },
		});
		expect(file.batch).toBeUndefined();
		expect(file.records).toHaveLength(12);
	});

	it('is not balanced while a batch is missing or summarised twice', () => {
		const one = reconcileItems(batchItems(1)).summaries;
		const three = reconcileItems(batchItems(3)).summaries;
		const [missing] = combineBatchSummaries([...one, ...three]);
		expect(missing.balanced).toBe(false);
		expect(missing.imbalance).toContain('batch 2 of 3 is missing');
		const [twice] = combineBatchSummaries([...one, ...one, ...three]);
		expect(twice.imbalance).toEqual(
			expect.arrayContaining(['batch 1 of 3 was summarised twice', 'batch 2 of 3 is missing']),
		);
	});

	it('leaves summaries of files that did not come in batches as they are', () => {
		const plain = written(1, '5.00');
		delete (plain.source as { batch?: unknown }).batch;
		const summaries = reconcileItems([plain]).summaries;
		expect(combineBatchSummaries(summaries)).toEqual(summaries);
	});
});
