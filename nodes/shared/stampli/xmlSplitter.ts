/**
 * A streaming splitter over decoded XML text: it follows the markup just far enough to track element
 * depth, and hands over the exact source text of each record element (a direct child of the root),
 * so the document is never held whole. Text may be fed in pieces cut anywhere — inside tags, quoted
 * attribute values, comments, CDATA, processing instructions or character data.
 *
 * It checks what lies outside the records (prolog, root name, nesting, text after the root) and that
 * every end tag matches its start tag everywhere; the record texts themselves are validated and parsed
 * by the caller. Any DTD declaration (`<!DOCTYPE`, `<!ENTITY`, …) is refused wherever it appears.
 */

export const FORBIDDEN_DECLARATION = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;
const FORBIDDEN_NAMES = new Set(['DOCTYPE', 'ENTITY', 'ELEMENT', 'ATTLIST', 'NOTATION']);
/** Long enough to hold `<!` + some blanks + the longest keyword, so a marker split across pieces is still seen. */
const SCAN_TAIL = 24;
const NAME = /^[A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7-\uFFFF]*$/;

export type XmlSplitProblem =
	/** A DTD declaration: `keyword` is DOCTYPE, ENTITY, ELEMENT, ATTLIST or NOTATION. */
	| { kind: 'forbidden'; keyword: string }
	/** The document element is not the expected one. */
	| { kind: 'root'; found: string | undefined }
	/** Not well-formed; `line`/`column` are 1-based, `record` the record element being read, if any. */
	| { kind: 'malformed'; message: string; line: number; column: number; record?: number };

export class XmlSplitError extends Error {
	constructor(readonly problem: XmlSplitProblem) {
		super(
			problem.kind === 'malformed'
				? `${problem.message} (line ${problem.line}, column ${problem.column})`
				: problem.kind,
		);
		this.name = 'XmlSplitError';
	}
}

export interface XmlRecordText {
	/** The record element's exact source text, start tag to end tag. */
	text: string;
	/** 1-based index among the record elements. */
	index: number;
	/** 1-based line and column of the record's `<`. */
	line: number;
	column: number;
}

export class XmlRecordSplitter {
	/** Unconsumed text; while a record is open it starts at the record's `<`. */
	private buf = '';
	private pos = 0;
	/** Where the open record starts in `buf`, or -1. */
	private recordStart = -1;
	private recordLine = 0;
	private recordColumn = 0;
	private records = 0;
	/** Names of the open elements, outermost first. */
	private readonly stack: string[] = [];
	private rootSeen = false;
	private rootClosed = false;
	/** Line bookkeeping: lines fully before `countedTo` (an index into `buf`) are counted in `line`. */
	private line = 1;
	private lineStart = 0;
	private countedTo = 0;
	/** An unfinished start tag: where to resume scanning and the quote we are inside. */
	private inStartTag = false;
	private resume = 0;
	private quote = 0;
	private scanTail = '';
	/** The comment, CDATA section or PI still waiting for its terminator (for the error at the end). */
	private waitingFor?: string;

	constructor(
		private readonly rootElement: string,
		private readonly recordElement: string,
		private readonly onRecord: (record: XmlRecordText) => void,
	) {}

	/** Feeds the next piece of text; complete records are handed to onRecord before this returns. */
	feed(piece: string): void {
		if (piece.length === 0) return;
		// Cheap pre-scan: refuses a declaration anywhere, also inside comments and CDATA.
		const window = this.scanTail + piece;
		const found = FORBIDDEN_DECLARATION.exec(window);
		if (found) throw new XmlSplitError({ kind: 'forbidden', keyword: found[1].toUpperCase() });
		this.scanTail = window.length > SCAN_TAIL ? window.slice(-SCAN_TAIL) : window;
		// compact() left only unconsumed text, usually none, so this rarely copies.
		this.buf += piece;
		this.scan(false);
		this.compact();
	}

	/** Ends the input: anything unfinished is an error. */
	end(): void {
		this.scan(true);
		if (this.pos < this.buf.length)
			this.fail(this.pos, `the document ends inside ${this.waitingFor ?? 'a tag'}`);
		if (this.stack.length)
			this.fail(
				this.buf.length,
				`the document ends before </${this.stack[this.stack.length - 1]}> (unclosed <${this.stack.join('>, <')}>)`,
			);
		if (!this.rootSeen) this.fail(this.buf.length, 'the document has no root element');
	}

	private scan(atEnd: boolean): void {
		const buf = this.buf;
		const len = buf.length;
		let pos = this.pos;
		while (pos < len) {
			if (this.inStartTag) {
				const next = this.finishStartTag(pos);
				if (next < 0) break;
				pos = next;
				continue;
			}
			const c = buf.charCodeAt(pos);
			if (c !== 60 /* < */) {
				let lt = buf.indexOf('<', pos);
				if (lt < 0) lt = len;
				this.text(pos, lt);
				pos = lt;
				continue;
			}
			if (pos + 1 >= len) break;
			const next = buf.charCodeAt(pos + 1);
			let end: number;
			if (next === 63 /* ? */) end = this.skipTo(pos + 2, '?>', 'a processing instruction');
			else if (next === 33 /* ! */) end = this.declaration(pos, atEnd);
			else if (next === 47 /* / */) end = this.endTag(pos);
			else {
				this.inStartTag = true;
				this.resume = pos + 1;
				this.quote = 0;
				end = this.finishStartTag(pos);
			}
			if (end < 0) break;
			pos = end;
		}
		this.pos = pos;
	}

	/** Character data between markup: only blanks outside the root. */
	private text(from: number, to: number): void {
		if (this.stack.length) return;
		for (let i = from; i < to; i++) {
			const c = this.buf.charCodeAt(i);
			if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
				this.fail(
					i,
					this.rootClosed ? 'text after the root element' : 'text before the root element',
				);
			}
		}
	}

	/** Index just past `terminator` (searched from `from`), or -1 to wait for more text. */
	private skipTo(from: number, terminator: string, what: string): number {
		const at = this.buf.indexOf(terminator, Math.max(from, this.resume));
		if (at < 0) {
			// Resume the search where an incomplete terminator could start.
			this.resume = Math.max(from, this.buf.length - terminator.length + 1);
			this.waitingFor = what;
			return -1;
		}
		this.resume = 0;
		this.waitingFor = undefined;
		return at + terminator.length;
	}

	/** `<!--`, `<![CDATA[` or a declaration (refused). */
	private declaration(pos: number, atEnd: boolean): number {
		const buf = this.buf;
		if (buf.startsWith('<!--', pos)) return this.skipTo(pos + 4, '-->', 'a comment');
		if (buf.startsWith('<![CDATA[', pos)) {
			if (!this.stack.length) this.fail(pos, 'CDATA outside the root element');
			return this.skipTo(pos + 9, ']]>', 'a CDATA section');
		}
		// Not yet decidable: a prefix of `<!--` or `<![CDATA[` still arriving.
		const available = buf.length - pos;
		if (
			!atEnd &&
			(('<!--'.startsWith(buf.slice(pos, pos + 4)) && available < 4) ||
				('<![CDATA['.startsWith(buf.slice(pos, pos + 9)) && available < 9))
		)
			return -1;
		let nameEnd = pos + 2;
		while (nameEnd < buf.length && /[A-Za-z]/.test(buf[nameEnd])) nameEnd++;
		if (nameEnd === buf.length && !atEnd) return -1;
		const keyword = buf.slice(pos + 2, nameEnd).toUpperCase();
		if (FORBIDDEN_NAMES.has(keyword)) throw new XmlSplitError({ kind: 'forbidden', keyword });
		return this.fail(pos, `unexpected markup "${buf.slice(pos, Math.min(nameEnd + 1, pos + 12))}"`);
	}

	/** Scans a start tag to its `>`, skipping quoted attribute values; -1 when it is not complete yet. */
	private finishStartTag(start: number): number {
		const buf = this.buf;
		const len = buf.length;
		let quote = this.quote;
		let i = this.resume;
		for (; i < len; i++) {
			const c = buf.charCodeAt(i);
			if (quote) {
				if (c === quote) quote = 0;
			} else if (c === 62 /* > */) break;
			else if (c === 34 /* " */ || c === 39 /* ' */) quote = c;
			else if (c === 60 /* < */)
				this.fail(i, `"<" inside the tag started at line ${this.lineOf(start).line}`);
		}
		if (i >= len) {
			this.quote = quote;
			this.resume = len;
			// Remember the tag's start: the caller keeps `pos` there.
			return -1;
		}
		this.inStartTag = false;
		this.quote = 0;
		this.resume = 0;
		const selfClosing = buf.charCodeAt(i - 1) === 47; /* / */
		let nameEnd = start + 1;
		while (nameEnd < i) {
			const c = buf.charCodeAt(nameEnd);
			if (c === 32 || c === 10 || c === 13 || c === 9 || c === 47 || c === 62) break;
			nameEnd++;
		}
		const name = buf.slice(start + 1, nameEnd);
		if (!NAME.test(name)) this.fail(start, `invalid element name "${name}"`);
		this.open(name, start, i + 1, selfClosing);
		return i + 1;
	}

	private open(name: string, start: number, end: number, selfClosing: boolean): void {
		const depth = this.stack.length;
		if (depth === 0) {
			if (this.rootClosed)
				this.fail(start, `a second root element <${name}> after </${this.rootElement}>`);
			if (name !== this.rootElement) throw new XmlSplitError({ kind: 'root', found: name });
			this.rootSeen = true;
		} else if (depth === 1 && name === this.recordElement) {
			this.records++;
			this.recordStart = start;
			const where = this.lineOf(start);
			this.recordLine = where.line;
			this.recordColumn = where.column;
		}
		if (!selfClosing) {
			this.stack.push(name);
			return;
		}
		if (depth === 0) this.rootClosed = true;
		else if (depth === 1 && this.recordStart >= 0) this.emit(end);
	}

	private endTag(pos: number): number {
		const gt = this.buf.indexOf('>', pos + 2);
		if (gt < 0) return -1;
		const name = this.buf.slice(pos + 2, gt).trimEnd();
		const open = this.stack[this.stack.length - 1];
		if (open === undefined) this.fail(pos, `</${name}> without a matching start tag`);
		if (name !== open) this.fail(pos, `</${name}> does not close <${open}>`);
		this.stack.pop();
		const depth = this.stack.length;
		if (depth === 0) this.rootClosed = true;
		else if (depth === 1 && this.recordStart >= 0) this.emit(gt + 1);
		return gt + 1;
	}

	private emit(end: number): void {
		const record: XmlRecordText = {
			text: this.buf.slice(this.recordStart, end),
			index: this.records,
			line: this.recordLine,
			column: this.recordColumn,
		};
		this.recordStart = -1;
		this.onRecord(record);
	}

	/** Drops the consumed text (keeping an open record's text), so memory holds one record at most. */
	private compact(): void {
		const keepFrom = this.recordStart >= 0 ? this.recordStart : this.pos;
		if (keepFrom === 0) return;
		this.advanceLines(keepFrom);
		this.buf = this.buf.slice(keepFrom);
		this.pos -= keepFrom;
		if (this.recordStart >= 0) this.recordStart -= keepFrom;
		if (this.resume) this.resume -= keepFrom;
		this.countedTo -= keepFrom;
		this.lineStart -= keepFrom;
	}

	/** Counts the line breaks of `buf` up to `to`. */
	private advanceLines(to: number): void {
		let at = this.buf.indexOf('\n', this.countedTo);
		while (at >= 0 && at < to) {
			this.line++;
			this.lineStart = at + 1;
			at = this.buf.indexOf('\n', at + 1);
		}
		if (to > this.countedTo) this.countedTo = to;
	}

	private lineOf(index: number): { line: number; column: number } {
		this.advanceLines(index);
		return { line: this.line, column: index - this.lineStart + 1 };
	}

	private fail(index: number, message: string): never {
		const { line, column } = this.lineOf(index);
		throw new XmlSplitError({
			kind: 'malformed',
			message,
			line,
			column,
			record: this.recordStart >= 0 ? this.records : undefined,
		});
	}
}
