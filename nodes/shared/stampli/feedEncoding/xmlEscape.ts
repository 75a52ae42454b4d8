/**
 * XML 1.0 text and attribute escaping. Besides the five markup characters, characters that
 * XML 1.0 forbids outright (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
 * would make the document ill-formed, so they are replaced with U+FFFD; CR is written as a
 * character reference so a parser's line-end normalisation does not turn it into LF.
 */

const FORBIDDEN =
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_SPECIALS = /[&<>\r]/g;
const ATTR_SPECIALS = /[&<>"'\r\n\t]/g;

const ENTITY: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;',
	'\r': '&#13;',
	'\n': '&#10;',
	'\t': '&#9;',
};

function dropForbidden(value: string): string {
	return value.replace(FORBIDDEN, '\uFFFD');
}

export function escapeXmlText(value: string): string {
	return dropForbidden(value).replace(TEXT_SPECIALS, (c) => ENTITY[c]);
}

export function escapeXmlAttribute(value: string): string {
	return dropForbidden(value).replace(ATTR_SPECIALS, (c) => ENTITY[c]);
}

/** A conservative XML name check (ASCII letters, digits, `_`, `-`, `.`; not starting with a digit, `-` or `.`). */
export function isSafeXmlName(name: string): boolean {
	return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name);
}
