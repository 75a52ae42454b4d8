import { createHash } from 'node:crypto';

/** `SHA256:<base64 without padding>` of a raw SSH host key, the form `ssh-keygen -lf` prints. */
export function hostKeyFingerprint(rawKey: Buffer): string {
	return `SHA256:${createHash('sha256').update(rawKey).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Canonical form of a user-entered fingerprint: the `SHA256:` prefix is optional, padding and
 * surrounding whitespace are ignored. Returns undefined for an empty value.
 */
export function normalizeFingerprint(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	let v = value.trim();
	if (!v) return undefined;
	if (/^sha256:/i.test(v)) v = v.slice('sha256:'.length);
	v = v.trim().replace(/=+$/, '');
	if (!/^[A-Za-z0-9+/]{43}$/.test(v)) {
		throw new Error(
			'The host-key fingerprint must be a SHA256 fingerprint as printed by `ssh-keygen -lf`, e.g. SHA256:' +
				'nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 (43 base64 characters after "SHA256:").',
		);
	}
	return `SHA256:${v}`;
}

export function fingerprintsEqual(a: string, b: string): boolean {
	return normalizeFingerprint(a) === normalizeFingerprint(b);
}
