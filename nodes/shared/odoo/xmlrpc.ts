/**
 * XML-RPC codec, written for exactly what Odoo's marshaller produces and accepts. Hand-written
 * (one tokenizing pass that builds values directly) rather than a generic XML library: the grammar is tiny, it must
 * refuse DTDs outright, and it encodes `undefined`/`null` as `False` because Odoo marshals without
 * `allow_none`. Shared by the client and the test emulator.
 */
import { OdooFloat, type OdooValue } from './values';

export class XmlRpcFault extends Error {
	constructor(
		readonly faultCode: number | string,
		readonly faultString: string,
	) {
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
		out.push(
			Number.isInteger(value) && Math.abs(value) < 2 ** 31
				? `<value><int>${value}</int></value>`
				: `<value><double>${value}</double></value>`,
		);
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
	const out = [
		'<?xml version="1.0"?>\n<methodCall><methodName>',
		escapeXml(method),
		'</methodName><params>',
	];
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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
	if (!text.includes('&')) return text;
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

const TOKEN =
	/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<!([^>]*)>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g;

const SCALARS = new Set([
	'int',
	'i4',
	'i8',
	'double',
	'boolean',
	'string',
	'dateTime.iso8601',
	'base64',
]);

/** What an open element is collecting while the document streams past. */
type Frame =
	| { tag: 'value'; value: unknown; typed: boolean; text: string }
	| { tag: 'array'; items: unknown[] }
	| { tag: 'struct'; members: Record<string, unknown> }
	| { tag: 'member'; name?: string; value?: unknown; hasValue: boolean }
	| { tag: 'scalar'; type: string; text: string }
	| { tag: 'text'; name: string; text: string } // <name>, <methodName>
	| { tag: 'other'; name: string; values: unknown[] }; // methodResponse, params, param, fault, data, methodCall

function scalar(type: string, raw: string): unknown {
	switch (type) {
		case 'int':
		case 'i4':
		case 'i8': {
			const n = Number(raw.trim());
			if (raw.trim() === '' || !Number.isInteger(n))
				throw new XmlRpcParseError(`bad integer "${raw}"`);
			return n;
		}
		case 'double': {
			const n = Number(raw.trim());
			if (raw.trim() === '' || Number.isNaN(n)) throw new XmlRpcParseError(`bad double "${raw}"`);
			return n;
		}
		case 'boolean':
			return raw.trim() === '1';
		default:
			return raw; // string, dateTime.iso8601, base64
	}
}

interface Document {
	root: string;
	methodName?: string;
	/** Values of the <param>s in order (or the single value of a <fault>). */
	values: unknown[];
	fault: boolean;
}

/**
 * One pass over the document that builds JS values directly, with no intermediate element tree:
 * a page of a thousand records decodes with little garbage beyond the result itself.
 */
class DocumentParser {
	private readonly names: string[] = [];
	private readonly frames: Frame[] = [];
	readonly doc: Document = { root: '', values: [], fault: false };

	parse(xml: string): Document {
		TOKEN.lastIndex = 0;
		let match: RegExpExecArray | null;
		let consumed = 0;
		while ((match = TOKEN.exec(xml)) !== null) {
			if (match.index !== consumed) throw new XmlRpcParseError('malformed markup');
			consumed = TOKEN.lastIndex;
			this.token(match);
		}
		if (consumed !== xml.length) throw new XmlRpcParseError('malformed markup');
		if (this.names.length !== 0)
			throw new XmlRpcParseError(`unclosed <${this.names[this.names.length - 1]}>`);
		return this.doc;
	}

	private token(match: RegExpExecArray): void {
		const [, cdata, declaration, closing, name, selfClosing, text] = match;
		if (declaration !== undefined) throw new XmlRpcParseError('DTDs and declarations are refused');
		const top = this.frames[this.frames.length - 1];
		if (cdata !== undefined || text !== undefined) {
			if (top && (top.tag === 'scalar' || top.tag === 'text' || top.tag === 'value'))
				top.text += cdata ?? decodeEntities(text!);
			return;
		}
		if (name === undefined) return; // processing instruction or comment
		if (closing) {
			if (this.names[this.names.length - 1] !== name)
				throw new XmlRpcParseError(`unexpected </${name}>`);
			this.names.pop();
			this.closeFrame(this.frames.pop()!);
			return;
		}
		if (this.names.length === 0) this.doc.root = name;
		const frame = this.openFrame(name);
		if (selfClosing) this.closeFrame(frame);
		else {
			this.names.push(name);
			this.frames.push(frame);
		}
	}

	private parent(): Frame | undefined {
		return this.frames[this.frames.length - 1];
	}

	private deliver(value: unknown): void {
		const parent = this.parent();
		if (!parent) throw new XmlRpcParseError('<value> outside the document');
		if (parent.tag === 'array') parent.items.push(value);
		else if (parent.tag === 'member') {
			parent.value = value;
			parent.hasValue = true;
		} else if (parent.tag === 'other') parent.values.push(value);
		else throw new XmlRpcParseError(`<value> inside <${parent.tag}>`);
	}

	private setTyped(value: unknown): void {
		const parent = this.parent();
		if (!parent || parent.tag !== 'value')
			throw new XmlRpcParseError('a typed element outside <value>');
		if (parent.typed) throw new XmlRpcParseError('<value> with two types');
		parent.value = value;
		parent.typed = true;
	}

	private openFrame(name: string): Frame {
		if (name === 'value') return { tag: 'value', value: undefined, typed: false, text: '' };
		if (name === 'array') return { tag: 'array', items: [] };
		if (name === 'struct') return { tag: 'struct', members: {} };
		if (name === 'member') return { tag: 'member', hasValue: false };
		if (SCALARS.has(name)) return { tag: 'scalar', type: name, text: '' };
		if (name === 'nil') return { tag: 'scalar', type: 'nil', text: '' };
		if (name === 'name' || name === 'methodName') return { tag: 'text', name, text: '' };
		if (name === 'fault') this.doc.fault = true;
		return { tag: 'other', name, values: [] };
	}

	private closeFrame(frame: Frame): void {
		switch (frame.tag) {
			case 'value':
				// An untyped <value>text</value> is a string.
				return this.deliver(frame.typed ? frame.value : frame.text);
			case 'scalar':
				return this.setTyped(frame.type === 'nil' ? null : scalar(frame.type, frame.text));
			case 'array':
				return this.setTyped(frame.items);
			case 'struct':
				return this.setTyped(frame.members);
			case 'member':
				return this.closeMember(frame);
			case 'text':
				return this.closeText(frame);
			case 'other':
				return this.closeOther(frame);
		}
	}

	private closeMember(frame: Extract<Frame, { tag: 'member' }>): void {
		const parent = this.parent();
		if (!parent || parent.tag !== 'struct') throw new XmlRpcParseError('<member> outside <struct>');
		if (frame.name === undefined) throw new XmlRpcParseError('<member> has no <name>');
		if (!frame.hasValue) throw new XmlRpcParseError('<member> has no <value>');
		parent.members[frame.name] = frame.value;
	}

	private closeText(frame: Extract<Frame, { tag: 'text' }>): void {
		const parent = this.parent();
		if (frame.name === 'methodName') this.doc.methodName = frame.text.trim();
		else if (parent && parent.tag === 'member') parent.name = frame.text;
		else throw new XmlRpcParseError('<name> outside <member>');
	}

	/** <param> and <fault> pass their one value up to the document; the rest only contain. */
	private closeOther(frame: Extract<Frame, { tag: 'other' }>): void {
		if (frame.name === 'param' || frame.name === 'fault') {
			if (frame.values.length !== 1) throw new XmlRpcParseError(`<${frame.name}> has no <value>`);
			this.doc.values.push(frame.values[0]);
		} else if (frame.name === 'data') {
			const parent = this.parent();
			if (!parent || parent.tag !== 'array') throw new XmlRpcParseError('<data> outside <array>');
			parent.items.push(...frame.values);
		}
	}
}

function parseDocument(xml: string): Document {
	return new DocumentParser().parse(xml);
}

/** Decodes a methodResponse; throws XmlRpcFault for a `<fault>`. */
export function decodeMethodResponse(xml: string): unknown {
	const doc = parseDocument(xml);
	if (doc.root !== 'methodResponse') throw new XmlRpcParseError('<#root> has no <methodResponse>');
	if (doc.fault) {
		const body = (doc.values[0] ?? {}) as { faultCode?: number | string; faultString?: string };
		throw new XmlRpcFault(body.faultCode ?? 1, String(body.faultString ?? ''));
	}
	if (doc.values.length === 0) throw new XmlRpcParseError('<methodResponse> has no <param>');
	return doc.values[0];
}

/** Decodes a methodCall (used by the emulator). */
export function decodeMethodCall(xml: string): { method: string; params: unknown[] } {
	const doc = parseDocument(xml);
	if (doc.root !== 'methodCall') throw new XmlRpcParseError('<#root> has no <methodCall>');
	if (doc.methodName === undefined) throw new XmlRpcParseError('<methodCall> has no <methodName>');
	return { method: doc.methodName, params: doc.values };
}
