import { RealmLimiter } from '../../../nodes/shared/quickbooks';
import { fakeClock } from './fakeClock';

describe('RealmLimiter (injected clock)', () => {
	test('never lets more than N requests into any window, counting from the answer', async () => {
		const clock = fakeClock();
		const limiter = new RealmLimiter(
			{ requestsPerWindow: 3, batchPerWindow: 1, maxConcurrent: 10, windowMs: 1000 },
			clock,
		);
		const starts: number[] = [];
		for (let i = 0; i < 7; i++) {
			const release = await limiter.acquire();
			starts.push(clock.t);
			clock.t += 10; // the answer takes 10 ms
			release();
		}
		// Slots free 1000 ms after each answer: 3 at once, then the next 3 one window later, …
		expect(starts).toEqual([0, 10, 20, 1010, 1020, 1030, 2020]);
	});

	test('batch requests have their own, smaller budget', async () => {
		const clock = fakeClock();
		const limiter = new RealmLimiter(
			{ requestsPerWindow: 100, batchPerWindow: 2, windowMs: 1000 },
			clock,
		);
		for (let i = 0; i < 2; i++) (await limiter.acquire('batch'))();
		expect(limiter.delayFor('batch')).toBe(1000);
		expect(limiter.delayFor('request')).toBe(0);
	});

	test('caps concurrency until a request finishes', async () => {
		const limiter = new RealmLimiter({ maxConcurrent: 2 }, fakeClock());
		const a = await limiter.acquire();
		await limiter.acquire();
		let third = false;
		const pending = limiter.acquire().then(() => (third = true));
		await Promise.resolve();
		expect(third).toBe(false);
		a();
		await pending;
		expect(third).toBe(true);
		expect(limiter.snapshot().inFlight).toBe(2);
	});

	test('a 429 back-off holds every request until it passes', async () => {
		const clock = fakeClock(100);
		const limiter = new RealmLimiter({}, clock);
		limiter.backOff(5000);
		(await limiter.acquire())();
		expect(clock.t).toBe(5100);
	});
});
