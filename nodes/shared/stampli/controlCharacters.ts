/**
 * Control characters in values: NUL and the other C0 controls (tab, line feed and carriage return
 * excepted: they are text), DEL, and the C1 range U+0080–U+009F. No invoice field needs them, Odoo's
 * XML-RPC cannot carry NUL, and C1 characters in a "Latin-1" file usually mean it is really
 * Windows-1252. A reader either refuses the value (naming the field) or strips them (a warning).
 */
import type { ControlCharacterPolicy } from './templates';

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export const hasControlCharacter = (text: string): boolean => CONTROL.test(text);

export const stripControlCharacters = (text: string): string => text.replace(CONTROLS, '');

/** The text without control characters, and how many were removed (the feed writer counts them). */
export function withoutControlCharacters(text: string): { text: string; removed: number } {
	if (!CONTROL.test(text)) return { text, removed: 0 };
	const clean = text.replace(CONTROLS, '');
	return { text: clean, removed: text.length - clean.length };
}

/** `U+0000 (NUL) at character 5` for the first control character of a value. */
export function describeControlCharacter(text: string): string {
	const at = text.search(CONTROL);
	const code = text.charCodeAt(at);
	const name = code === 0 ? ' (NUL)' : code === 0x7f ? ' (DEL)' : '';
	return `U+${code.toString(16).toUpperCase().padStart(4, '0')}${name} at character ${at + 1}`;
}

/** The reason given for a value holding a control character, under either policy. */
export function controlCharacterReason(text: string, policy: ControlCharacterPolicy): string {
	const what = describeControlCharacter(text);
	const c1 = /[\u0080-\u009F]/.test(text)
		? '; a C1 character in a Latin-1 file often means the file is really Windows-1252'
		: '';
	return policy === 'strip'
		? `contains the control character ${what}; control characters were removed${c1}`
		: `contains the control character ${what}, which no field may hold (the template option controlCharacters: "strip" removes them)${c1}`;
}
