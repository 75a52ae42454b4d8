/**
 * The characters XML 1.0 allows (its `Char` production): tab, line feed, carriage return,
 * U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF. Anything else — the other C0 controls, NUL,
 * a lone surrogate, U+FFFE, U+FFFF — makes a document not well-formed, whether written literally
 * or as a character reference (`&#1;`, `&#xD800;`). Shared by the XML reader and the feed writer.
 */

/** One character XML 1.0 forbids (a surrogate pair is one allowed character). */
export const XML_FORBIDDEN =
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const XML_FORBIDDEN_ALL = new RegExp(XML_FORBIDDEN.source, 'g');

export function isXmlChar(code: number): boolean {
	return (
		code === 0x9 ||
		code === 0xa ||
		code === 0xd ||
		(code >= 0x20 && code <= 0xd7ff) ||
		(code >= 0xe000 && code <= 0xfffd) ||
		(code >= 0x10000 && code <= 0x10ffff)
	);
}

/** `U+0001`, `U+D800`: how a code point is named in messages. */
export function codePointName(code: number): string {
	return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
