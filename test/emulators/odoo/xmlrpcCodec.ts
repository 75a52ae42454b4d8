/**
 * The emulator's own XML-RPC codec, written apart from the product's client codec on purpose: a
 * bug shared by both sides would cancel out and pass every test. Requests are parsed with
 * fast-xml-parser and read with the rules of Python's `xmlrpc.client.loads` (a bare `<value>` is a
 * string, `<nil/>` is None); answers are written the way Python's marshaller writes them, which is
 * what Odoo sends (one element per line, `&`, `<` and `>` escaped, no `allow_none`).
 */
import { XMLParser } from 'fast-xml-parser';

type Node = Record<string, unknown>;

const parser = new XMLParser({
	preserveOrder: true,
	trimValues: false,
	parseTagValue: false,
	ignoreDeclaration: true,
	ignoreAttributes: true,
	processEntities: true,
});

class BadRequest extends Error {}

const tagOf = (node: Node) => Object.keys(node).find((key) => key !== ':@')!;
const childrenOf = (node: Node) => (node[tagOf(node)] as Node[]) ?? [];
const textOf = (node: Node) =>
	childrenOf(node)
		.map((child) => (typeof child['#text'] === 'string' ? (child['#text'] as string) : ''))
		.join('');
/** Element children, without the whitespace between them. */
const elementsOf = (node: Node) => childrenOf(node).filter((child) => tagOf(child) !== '#text');

function only(node: Node, tag: string): Node {
	const found = elementsOf(node).filter((child) => tagOf(child) === tag);
	if (found.length !== 1) throw new BadRequest(`expected one <${tag}> in <${tagOf(node)}>`);
	return found[0];
}

function readValue(value: Node): unknown {
	const [typed] = elementsOf(value);
	if (!typed) return textOf(value); // <value>text</value> is a string
	const tag = tagOf(typed);
	const text = textOf(typed);
	switch (tag) {
		case 'string':
			return text;
		case 'int':
		case 'i4':
		case 'i8': {
			if (!/^\s*[-+]?\d+\s*$/.test(text))
				throw new BadRequest(`invalid literal for int(): '${text}'`);
			return Number(text);
		}
		case 'double': {
			const number = Number(text);
			if (text.trim() === '' || Number.isNaN(number))
				throw new BadRequest(`could not convert string to float: '${text}'`);
			return number;
		}
		case 'boolean':
			if (text !== '0' && text !== '1') throw new BadRequest(`bad boolean value: ${text}`);
			return text === '1';
		case 'nil':
			return null;
		case 'array':
			return elementsOf(only(typed, 'data')).map(readValue);
		case 'struct': {
			const out: Record<string, unknown> = {};
			for (const member of elementsOf(typed))
				out[textOf(only(member, 'name'))] = readValue(only(member, 'value'));
			return out;
		}
		case 'dateTime.iso8601':
			return text;
		case 'base64':
			return Buffer.from(text, 'base64');
		default:
			throw new BadRequest(`unknown XML-RPC type <${tag}>`);
	}
}

/** `<methodCall>` → method name and parameters, as Python's xmlrpc.client.loads reads them. */
export function parseMethodCall(xml: string): { method: string; params: unknown[] } {
	let tree: Node[];
	try {
		tree = parser.parse(xml) as Node[];
	} catch (error) {
		throw new BadRequest(`not well-formed XML: ${(error as Error).message}`);
	}
	const call = tree.find((node) => tagOf(node) === 'methodCall');
	if (!call) throw new BadRequest('no <methodCall>');
	const method = textOf(only(call, 'methodName'));
	const paramsNode = elementsOf(call).find((child) => tagOf(child) === 'params');
	const params = paramsNode
		? elementsOf(paramsNode).map((param) => readValue(only(param, 'value')))
		: [];
	return { method, params };
}

export { BadRequest as XmlRpcBadRequest };

const escape = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Python's float repr for the numbers a JS store holds: integral floats keep their `.0`. */
export class PyFloat {
	constructor(readonly value: number) {}
}

function dump(value: unknown, out: string[]): void {
	if (value === null || value === undefined)
		throw new TypeError('cannot marshal None unless allow_none is enabled');
	if (typeof value === 'boolean') out.push(`<value><boolean>${value ? 1 : 0}</boolean></value>\n`);
	else if (value instanceof PyFloat)
		out.push(
			`<value><double>${Number.isInteger(value.value) ? `${value.value}.0` : String(value.value)}</double></value>\n`,
		);
	else if (typeof value === 'number') {
		if (Number.isInteger(value)) {
			if (Math.abs(value) > 2 ** 31 - 1) throw new RangeError('int exceeds XML-RPC limits');
			out.push(`<value><int>${value}</int></value>\n`);
		} else out.push(`<value><double>${String(value)}</double></value>\n`);
	} else if (typeof value === 'string')
		out.push(`<value><string>${escape(value)}</string></value>\n`);
	else if (Array.isArray(value)) {
		out.push('<value><array><data>\n');
		for (const item of value) dump(item, out);
		out.push('</data></array></value>\n');
	} else if (typeof value === 'object') {
		out.push('<value><struct>\n');
		for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
			out.push(`<member>\n<name>${escape(key)}</name>\n`);
			dump(item, out);
			out.push('</member>\n');
		}
		out.push('</struct></value>\n');
	} else throw new TypeError(`cannot marshal ${typeof value} objects`);
}

/** A successful `<methodResponse>`; throws TypeError for None, as Odoo's marshaller does. */
export function writeMethodResponse(result: unknown): string {
	const out = ["<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"];
	dump(result, out);
	out.push('</param>\n</params>\n</methodResponse>\n');
	return out.join('');
}

export function writeFault(faultCode: number | string, faultString: string): string {
	const out = ["<?xml version='1.0'?>\n<methodResponse>\n<fault>\n"];
	dump({ faultCode, faultString }, out);
	out.push('</fault>\n</methodResponse>\n');
	return out.join('');
}
