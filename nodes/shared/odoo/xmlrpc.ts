/**
 * XML-RPC codec, written for exactly what Odoo's marshaller produces and accepts. Hand-written
 * (a tokenizer plus a tree walk) rather than a generic XML library: the grammar is tiny, it must
 * refuse DTDs outright, and it encodes `undefined`/`null` as `False` because Odoo marshals without
 * `allow_none`. Shared by the client and the test emulator.
 */
import { OdooFloat, type OdooValue } from './values';

export class XmlRpcFault extends Error {
	constructor(readonly faultCode: number | string, readonly faultString: string) {
		super(faultString);
		this.name = 'XmlRpcFault';
	}
}

export class XmlRpcParseError extends Error {
	constructor(message: string) {
		super(`XML-RPC: ${message}`);
		this.name = 'XmlRpcParseError';
	}
}

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function encodeValue(value: unknown, out: string[]): void {
	if (value === undefined || value === null || value === false) {
		out.push('<value><boolean>0</boolean></value>');
	} else if (value === true) {
		out.push('<value><boolean>1</boolean></value>');
	} else if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new TypeError(`cannot send ${value} over XML-RPC`);
		out.push(Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? `<value><int>${value}</int></value>` : `<value><double>${value}</double></value>`);
	} else if (typeof value === 'string') {
		out.push(`<value><string>${escapeXml(value)}</string></value>`);
	} else if (value instanceof OdooFloat) {
		out.push(`<value><double>${value.decimal}</double></value>`);
	} else if (Array.isArray(value)) {
		out.push('<value><array><data>');
		for (const item of value) encodeValue(item, out);
		out.push('</data></array></value>');
	} else if (typeof value === 'object') {
		out.push('<value><struct>');
		for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
			if (item === undefined) continue;
			out.push(`<member><name>${escapeXml(key)}</name>`);
			encodeValue(item, out);
			out.push('</member>');
		}
		out.push('</struct></value>');
	} else {
		throw new TypeError(`cannot send a ${typeof value} over XML-RPC`);
	}
}

export function encodeMethodCall(method: string, params: OdooValue[]): string {
	const out = ['<?xml version="1.0"?>\n<methodCall><methodName>', escapeXml(method), '</methodName><params>'];
	for (const param of params) {
		out.push('<param>');
		encodeValue(param, out);
		out.push('</param>');
	}
	out.push('</params></methodCall>');
	return out.join('');
}

export function encodeMethodResponse(result: unknown): string {
	const out = ['<?xml version="1.0"?>\n<methodResponse><params><param>'];
	encodeValue(result, out);
	out.push('</param></params></methodResponse>');
	return out.join('');
}

export function encodeFault(faultCode: number | string, faultString: string): string {
	const out = ['<?xml version="1.0"?>\n<methodResponse><fault>'];
	encodeValue({ faultCode, faultString }, out);
	out.push('</fault></methodResponse>');
	return out.join('');
}

interface XmlNode {
	name: string;
	children: XmlNode[];
	text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
		if (ref[0] === '#') {
			const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
			return String.fromCodePoint(code);
		}
		const known = ENTITIES[ref];
		if (known === undefined) throw new XmlRpcParseError(`unknown entity ${whole}`);
		return known;
	});
}

const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<!([^>]*)>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g;

function parseTree(xml: string): XmlNode {
	const root: XmlNode = { name: '#root', children: [], text: '' };
	const stack: XmlNode[] = [root];
	TOKEN.lastIndex = 0;
	let match: RegExpExecArray | null;
	let consumed = 0;
	while ((match = TOKEN.exec(xml)) !== null) {
		if (match.index !== consumed) throw new XmlRpcParseError('malformed markup');
		consumed = TOKEN.lastIndex;
		const [, cdata, declaration, closing, name, selfClosing, text] = match;
		const top = stack[stack.length - 1];
		if (declaration !== undefined) throw new XmlRpcParseError('DTDs and declarations are refused');
		if (cdata !== undefined) top.text += cdata;
		else if (text !== undefined) top.text += decodeEntities(text);
		else if (name !== undefined) {
			if (closing) {
				if (top.name !== name) throw new XmlRpcParseError(`unexpected </${name}>`);
				stack.pop();
			} else {
				const node: XmlNode = { name, children: [], text: '' };
				top.children.push(node);
				if (!selfClosing) stack.push(node);
			}
		}
	}
	if (consumed !== xml.length) throw new XmlRpcParseError('malformed markup');
	if (stack.length !== 1) throw new XmlRpcParseError(`unclosed <${stack[stack.length - 1].name}>`);
	return root;
}

function child(node: XmlNode, name: string): XmlNode {
	const found = node.children.find((c) => c.name === name);
	if (!found) throw new XmlRpcParseError(`<${node.name}> has no <${name}>`);
	return found;
}

function decodeValue(valueNode: XmlNode): unknown {
	const typed = valueNode.children[0];
	if (!typed) return valueNode.text; // untyped <value>text</value> is a string
	switch (typed.name) {
		case 'int':
		case 'i4':
		case 'i8': {
			const n = Number(typed.text.trim());
			if (!Number.isInteger(n)) throw new XmlRpcParseError(`bad integer "${typed.text}"`);
			return n;
		}
		case 'double': {
			const n = Number(typed.text.trim());
			if (Number.isNaN(n)) throw new XmlRpcParseError(`bad double "${typed.text}"`);
			return n;
		}
		case 'boolean':
			return typed.text.trim() === '1';
		case 'string':
		case 'dateTime.iso8601':
		case 'base64':
			return typed.text;
		case 'nil':
			return null;
		case 'array':
			return child(typed, 'data').children.filter((c) => c.name === 'value').map(decodeValue);
		case 'struct': {
			const out: Record<string, unknown> = {};
			for (const member of typed.children) {
				if (member.name !== 'member') continue;
				out[child(member, 'name').text] = decodeValue(child(member, 'value'));
			}
			return out;
		}
		default:
			throw new XmlRpcParseError(`unknown type <${typed.name}>`);
	}
}

/** Decodes a methodResponse; throws XmlRpcFault for a `<fault>`. */
export function decodeMethodResponse(xml: string): unknown {
	const response = child(parseTree(xml), 'methodResponse');
	const fault = response.children.find((c) => c.name === 'fault');
	if (fault) {
		const body = decodeValue(child(fault, 'value')) as { faultCode?: number | string; faultString?: string };
		throw new XmlRpcFault(body.faultCode ?? 1, String(body.faultString ?? ''));
	}
	const param = child(child(response, 'params'), 'param');
	return decodeValue(child(param, 'value'));
}

/** Decodes a methodCall (used by the emulator). */
export function decodeMethodCall(xml: string): { method: string; params: unknown[] } {
	const call = child(parseTree(xml), 'methodCall');
	const method = child(call, 'methodName').text.trim();
	const paramsNode = call.children.find((c) => c.name === 'params');
	const params = paramsNode ? paramsNode.children.filter((c) => c.name === 'param').map((p) => decodeValue(child(p, 'value'))) : [];
	return { method, params };
}
