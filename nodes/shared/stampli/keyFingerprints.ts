/**
 * A set of record keys kept as 64-bit fingerprints in one typed array (8 bytes a key at most half
 * full), so remembering every invoice id of a file with millions of records costs megabytes, not
 * the hundreds a Set of strings would. Two different keys share a fingerprint with a probability
 * of about n² / 2^65 (≈ 10^-7 for two million keys); such a pair reads as "seen before".
 */

/** Two independent 32-bit multiplicative hashes over the UTF-16 code units. */
export function fingerprint(key: string): [number, number] {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < key.length; i++) {
		const c = key.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	// 0,0 marks an empty slot.
	return h1 === 0 && h2 === 0 ? [0, 1] : [h1 >>> 0, h2 >>> 0];
}

export class KeyFingerprints {
	/** Pairs (h1, h2); a slot is empty when both are 0. */
	private slots = new Uint32Array(2 * 1024);
	private count = 0;

	get size(): number {
		return this.count;
	}

	has(key: string): boolean {
		return this.hasFingerprint(fingerprint(key));
	}

	add(key: string): void {
		this.addFingerprint(fingerprint(key));
	}

	hasFingerprint([h1, h2]: [number, number]): boolean {
		return this.find(h1, h2) >= 0;
	}

	addFingerprint([h1, h2]: [number, number]): void {
		if (this.find(h1, h2) >= 0) return;
		if ((this.count + 1) * 2 > this.slots.length / 2) this.grow();
		this.insert(h1, h2);
		this.count++;
	}

	/** Slot index (pair index) holding the fingerprint, or -1. */
	private find(h1: number, h2: number): number {
		const capacity = this.slots.length / 2;
		for (let i = h1 & (capacity - 1); ; i = (i + 1) & (capacity - 1)) {
			const a = this.slots[2 * i];
			const b = this.slots[2 * i + 1];
			if (a === 0 && b === 0) return -1;
			if (a === h1 && b === h2) return i;
		}
	}

	private insert(h1: number, h2: number): void {
		const capacity = this.slots.length / 2;
		let i = h1 & (capacity - 1);
		while (this.slots[2 * i] !== 0 || this.slots[2 * i + 1] !== 0) i = (i + 1) & (capacity - 1);
		this.slots[2 * i] = h1;
		this.slots[2 * i + 1] = h2;
	}

	private grow(): void {
		const old = this.slots;
		this.slots = new Uint32Array(old.length * 2);
		for (let i = 0; i < old.length; i += 2)
			if (old[i] !== 0 || old[i + 1] !== 0) this.insert(old[i], old[i + 1]);
	}
}
