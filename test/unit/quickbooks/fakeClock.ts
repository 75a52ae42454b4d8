import type { Clock } from '../../../nodes/shared/quickbooks';

/** A clock whose sleep advances time instantly. */
export function fakeClock(start = 0): Clock & { t: number } {
	const c = {
		t: start,
		now: () => c.t,
		sleep: async (ms: number) => {
			c.t += ms;
		},
	};
	return c;
}
