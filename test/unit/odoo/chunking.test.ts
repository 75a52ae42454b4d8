import { AdaptiveChunker, inChunks } from '../../../nodes/shared/odoo/chunking';
import { OdooTransportError } from '../../../nodes/shared/odoo/errors';

describe('AdaptiveChunker', () => {
	it('starts small, at most doubles, and sizes chunks to the time budget', () => {
		const chunker = new AdaptiveChunker({ targetMs: 10_000, initialSize: 25, maxSize: 500 });
		expect(chunker.next()).toBe(25);
		chunker.observe(25, 250); // 10 ms per record: 1,000 would fit, but it only doubles
		expect(chunker.next()).toBe(50);
		chunker.observe(50, 500);
		expect(chunker.next()).toBe(100);
		chunker.observe(100, 1000);
		chunker.observe(200, 2000);
		chunker.observe(400, 4000);
		expect(chunker.next()).toBe(500); // the ceiling
	});

	it('shrinks at once when Odoo slows down, and remembers the slower of two observations', () => {
		const chunker = new AdaptiveChunker({ targetMs: 10_000, initialSize: 200 });
		chunker.observe(200, 2000); // 10 ms/record
		chunker.observe(200, 20_000); // 100 ms/record under load
		expect(chunker.next()).toBe(100);
		chunker.observe(100, 1000); // fast again: (10 + 100) / 2 = 55 ms/record
		expect(chunker.next()).toBe(181);
		expect(chunker.stats).toMatchObject({
			requests: 3,
			maxRequestMs: 20_000,
			maxRequestRecords: 200,
		});
	});
});

describe('inChunks', () => {
	it('sends consecutive chunks and keeps results in input order, with several in flight', async () => {
		const chunker = new AdaptiveChunker({ initialSize: 3 });
		const sizes: number[] = [];
		const { results } = await inChunks(
			Array.from({ length: 20 }, (_, k) => k),
			chunker,
			async (chunk) => {
				sizes.push(chunk.length);
				await new Promise((r) => setTimeout(r, 5));
				return chunk.map((x) => x * 2);
			},
			() => undefined,
			2,
		);
		expect(results).toEqual(Array.from({ length: 20 }, (_, k) => k * 2));
		expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
		expect(sizes[0]).toBe(3);
	});

	it('starts no further chunk after one that got no answer', async () => {
		const chunker = new AdaptiveChunker({ initialSize: 2, targetMs: 1e9 });
		let calls = 0;
		const timeout = new OdooTransportError(
			'Odoo did not answer within 1 s (it may still be working)',
		);
		const { results, stoppedBy } = await inChunks(
			[1, 2, 3, 4, 5, 6, 7, 8],
			chunker,
			async (chunk) => {
				calls++;
				return chunk.map(() => (calls === 2 ? timeout : 'ok'));
			},
			(out) => out.find((r): r is OdooTransportError => r instanceof OdooTransportError),
		);
		expect(calls).toBe(2);
		expect(stoppedBy).toBe(timeout);
		expect(results.slice(0, 2)).toEqual(['ok', 'ok']);
		expect(results.slice(6)).toEqual([undefined, undefined]);
	});
});
