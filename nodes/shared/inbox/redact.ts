/** Failure reasons are stored in static data and shown in items: credentials must not survive in them. */

/**
 * Credentials that error messages are known to carry (URLs with user:password, bearer tokens,
 * `password=` / `token=` / `secret=` pairs). The reason is stored in static data and shown in items.
 */
export function redactSecrets(text: string): string {
	return text
		.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi, '$1***@')
		.replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***')
		.replace(
			/\b(password|passwd|pwd|passphrase|secret|client_secret|token|access_token|refresh_token|api[_-]?key|authorization)(["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi,
			'$1$2***',
		);
}
