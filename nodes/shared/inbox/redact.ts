/**
 * Failure reasons are stored in static data and shown in items: credentials must not survive in them.
 * Two nets: by value (the secrets the trigger itself knows: its credential's password, private key and
 * passphrase) and by pattern (what other nodes' errors are known to carry: URLs with user:password,
 * bearer tokens, `password=` pairs, "Invalid API key <key>", "token <key>", JWTs, PEM private keys).
 */

const MASK = '***';
/** Shorter values would mask ordinary words; a credential's secret is longer than this. */
const MIN_SECRET_LENGTH = 4;

const SECRET_WORDS =
	'password|passwd|pwd|passphrase|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|id[_-]?token|api[_ -]?key|apikey|private[_ -]?key|authorization|credentials?|session[_-]?id|signature|sig';

const PATTERNS: Array<[RegExp, string]> = [
	// PEM blocks: the whole key, whatever it is.
	[
		/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
		`${MASK} private key ${MASK}`,
	],
	// scheme://user:password@host
	[/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi, `$1${MASK}@`],
	[/\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${MASK}`],
	// JSON Web Tokens anywhere.
	[/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
	// password=…, "api_key": "…", token: …
	[new RegExp(`\\b(${SECRET_WORDS})(["']?\\s*[:=]\\s*["']?)[^\\s"',;&}]+`, 'gi'), `$1$2${MASK}`],
	// "Invalid API key k-123…", "token abc…", "secret is xyz…": a secret word, optionally "is"/"was",
	// then an opaque value (letters and digits, at least 8 characters, not a plain word).
	[
		new RegExp(
			`\\b(${SECRET_WORDS})(\\s+(?:is|was|of)?\\s*["'\`]?)(?=[A-Za-z0-9._~+/=-]{8,})(?=[^\\s"'\`]*\\d)[A-Za-z0-9._~+/=-]+`,
			'gi',
		),
		`$1$2${MASK}`,
	],
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The pieces of `secrets` worth looking for: each value, and each line of a multi-line one (a private
 * key appears line by line in some errors), ignoring pieces too short to be secret.
 */
function secretPieces(secrets: Array<string | undefined>): string[] {
	const pieces = new Set<string>();
	for (const secret of secrets) {
		if (!secret) continue;
		for (const piece of [secret, ...secret.split(/\r?\n|\\n/)]) {
			const trimmed = piece.trim();
			if (trimmed.length >= MIN_SECRET_LENGTH && !/^-----(BEGIN|END) /.test(trimmed))
				pieces.add(trimmed);
		}
	}
	// Longest first, so a line of a key is not masked inside a longer value that is masked anyway.
	return [...pieces].sort((a, b) => b.length - a.length);
}

/** Masks known secret values (`secrets`) and secret-looking patterns in `text`. */
export function redactSecrets(text: string, secrets: Array<string | undefined> = []): string {
	let out = text;
	for (const piece of secretPieces(secrets)) {
		out = out.replace(new RegExp(escapeRegExp(piece), 'g'), MASK);
		// Errors often carry a secret URL-encoded or JSON-escaped.
		for (const encoded of [encodeURIComponent(piece), JSON.stringify(piece).slice(1, -1)]) {
			if (encoded !== piece) out = out.split(encoded).join(MASK);
		}
	}
	for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
	return out;
}
