/**
 * A streaming splitter over decoded XML text: it follows the markup just far enough to track element
 * depth, and hands over the exact source text of each record element (a direct child of the root),
 * so the document is never held whole. Text may be fed in pieces cut anywhere — inside tags, quoted
 * attribute values, comments, CDATA, processing instructions or character data.
 *
 * Every character is looked at once: the scanner keeps its state between pieces (the mode, the tag
 * name so far, the open quote) and carries over at most a few characters, and a record's text is
 * gathered as a list of slices joined once at its end, so time and memory are linear in the size
 * of the input however large one element is. A record element larger than `maxElementChars`, or
 * nested deeper than `maxDepth` below the record element, is refused on its own (its text is not
 * kept) and the records after it are still read.
 *
 * It checks what lies outside the records (prolog, root name, nesting, text after the root) and that
 * every end tag matches its start tag; the record texts themselves are validated and parsed by the
 * caller. Any DTD declaration (`<!DOCTYPE`, `<!ENTITY`, …) is refused wherever it appears.
 */

export const FORBIDDEN_DECLARATION = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;
const FORBIDDEN_NAMES = new Set(['DOCTYPE', 'ENTITY', 'ELEMENT', 'ATTLIST', 'NOTATION']);
/** Long enough to hold `<!` + some blanks + the longest keyword, so a marker split across pieces is still seen. */
const SCAN_TAIL = 24;
const NAME = /^[A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7-\uFFFF]*$/;
/** Element names longer than this are refused (the scanner keeps a name whole while reading it). */
const NAME_MAX = 1000;
/** Characters of a refused record kept, so the caller can still name its key. */
const REFUSED_HEAD = 4096;

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

/** A record element refused without its text: too large or nested too deep. */
export interface XmlRecordRefusal {
	index: number;
	line: number;
	column: number;
	reason: string;
	/** The first characters of the record's text, to find its key. */
	head: string;
}

export interface XmlSplitLimits {
	/** Largest record element, in characters. */
	maxElementChars: number;
	/** Deepest nesting below the record element. */
	maxDepth: number;
}

type Mode = 'text' | 'markup' | 'startTag' | 'endTag' | 'comment' | 'cdata' | 'pi';

const TERMINATORS: Partial<Record<Mode, [string, string]>> = {
	comment: ['-->', 'a comment'],
	cdata: [']]>', 'a CDATA section'],
	pi: ['?>', 'a processing instruction'],
};

const isBlank = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
const endsName = (c: number) => isBlank(c) || c === 47 /* / */ || c === 62; /* > */

/** The text of the element being captured (a record, or a depth-1 start tag that may open one). */
class Capture {
	parts: string[] = [];
	size = 0;
	/** Index in the current text where the not yet gathered part starts. */
	from = 0;
	line = 0;
	column = 0;
	refused?: string;
	head = '';

	take(text: string, to: number): void {
		if (to <= this.from) return;
		const part = text.slice(this.from, to);
		this.from = to;
		this.size += part.length;
		if (this.refused) return;
		this.parts.push(part);
	}

	refuse(reason: string): void {
		if (this.refused) return;
		this.refused = reason;
		this.head = this.parts.join('').slice(0, REFUSED_HEAD);
		this.parts = [];
	}

	text(): string {
		return this.parts.join('');
	}
}

export class XmlRecordSplitter {
	private mode: Mode = 'text';
	private carry = '';
	/** Absolute offset of the current text's first character. */
	private base = 0;
	private text = '';
	private scanTail = '';
	/** Names of the open elements, outermost first (up to the depth limit inside a record). */
	private readonly stack: string[] = [];
	/** Open elements deeper than the limit, counted but not named. */
	private overflow = 0;
	private rootSeen = false;
	private rootClosed = false;
	private records = 0;
	private recordOpen = false;
	private capture?: Capture;
	/** The tag being read: name so far, whether the name is complete, open quote, last character seen. */
	private tagName = '';
	private nameDone = false;
	private quote = '';
	private lastInTag = 0;
	private tagStart = 0;
	/** Line and column of the current tag's `<`. */
	private tagAt = { line: 1, column: 1 };
	private line = 1;
	private lineStart = 0;
	private countedTo = 0;
	/** Absolute offset of the next line feed at or after countedTo in the current text (-1: not looked for yet). */
	private nextLineFeed = -1;

	constructor(
		private readonly rootElement: string,
		private readonly recordElement: string,
		private readonly onRecord: (record: XmlRecordText) => void,
		private readonly onRefused: (refusal: XmlRecordRefusal) => void = () => undefined,
		private readonly limits: XmlSplitLimits = { maxElementChars: Infinity, maxDepth: Infinity },
	) {}

	/** Feeds the next piece of text; complete records are handed over before this returns. */
	feed(piece: string): void {
		if (piece.length === 0) return;
		// Cheap pre-scan: refuses a declaration anywhere, also inside comments and CDATA.
		const window = this.scanTail + piece;
		const found = FORBIDDEN_DECLARATION.exec(window);
		if (found) throw new XmlSplitError({ kind: 'forbidden', keyword: found[1].toUpperCase() });
		this.scanTail = window.length > SCAN_TAIL ? window.slice(-SCAN_TAIL) : window;
		this.scan(this.carry + piece, false);
	}

	/** Ends the input: anything unfinished is an error. */
	end(): void {
		this.scan(this.carry, true);
		const end = this.base + this.text.length;
		if (this.mode !== 'text') {
			const what = TERMINATORS[this.mode]?.[1] ?? 'a tag';
			this.fail(end, `the document ends inside ${what}`);
		}
		if (this.stack.length)
			this.fail(
				end,
				`the document ends before </${this.stack[this.stack.length - 1]}> (unclosed <${this.stack.join('>, <')}>)`,
			);
		if (!this.rootSeen) this.fail(end, 'the document has no root element');
	}

	private scan(text: string, atEnd: boolean): void {
		this.base += this.text.length - this.carry.length;
		this.text = text;
		this.carry = '';
		this.nextLineFeed = -1;
		if (this.capture) this.capture.from = 0;
		const len = text.length;
		let i = 0;
		while (i < len) {
			const next = this.step(text, i, atEnd);
			if (next < 0) {
				this.carry = text.slice(-next - 1);
				break;
			}
			i = next;
		}
		const consumed = len - this.carry.length;
		this.capture?.take(text, consumed);
		this.checkCaptureSize();
		this.lineOf(this.base + consumed);
	}

	/** Scans from `i` in the current mode; the index to go on from, or -(from + 1) to wait for more text from `from`. */
	private step(text: string, i: number, atEnd: boolean): number {
		switch (this.mode) {
			case 'text':
				return this.scanText(text, i);
			case 'markup':
				return this.scanMarkup(text, i, atEnd);
			case 'startTag':
				return this.scanStartTag(text, i);
			case 'endTag':
				return this.scanEndTag(text, i);
			default:
				return this.scanUntil(text, i, TERMINATORS[this.mode]![0]);
		}
	}

	private scanText(text: string, i: number): number {
		const lt = text.indexOf('<', i);
		const stop = lt < 0 ? text.length : lt;
		if (this.stack.length === 0) {
			for (let j = i; j < stop; j++)
				if (!isBlank(text.charCodeAt(j)))
					this.fail(
						this.base + j,
						this.rootClosed ? 'text after the root element' : 'text before the root element',
					);
		}
		if (lt < 0) return text.length;
		this.tagStart = this.base + lt;
		this.tagAt = this.lineOf(this.tagStart);
		if (this.stack.length === 1 && !this.recordOpen) this.beginCapture(lt);
		this.mode = 'markup';
		return lt;
	}

	/** At `<`: decides what kind of markup starts here. */
	private scanMarkup(text: string, i: number, atEnd: boolean): number {
		const available = text.length - i;
		if (available < 2)
			return atEnd ? this.fail(this.base + i, 'the document ends inside a tag') : -(i + 1);
		const next = text.charCodeAt(i + 1);
		if (next === 63 /* ? */) return this.enter('pi', i + 2);
		if (next === 47 /* / */) {
			this.tagName = '';
			return this.enter('endTag', i + 2);
		}
		if (next !== 33 /* ! */) {
			this.tagName = '';
			this.nameDone = false;
			this.quote = '';
			this.lastInTag = 0;
			this.mode = 'startTag';
			return i + 1;
		}
		if (text.startsWith('<!--', i)) return this.enter('comment', i + 4);
		if (text.startsWith('<![CDATA[', i)) {
			if (!this.stack.length) this.fail(this.base + i, 'CDATA outside the root element');
			return this.enter('cdata', i + 9);
		}
		const head = text.slice(i, i + 9);
		const maybe =
			('<!--'.startsWith(head) && available < 4) || ('<![CDATA['.startsWith(head) && available < 9);
		if (maybe && !atEnd) return -(i + 1);
		let nameEnd = i + 2;
		while (nameEnd < text.length && nameEnd - i < 20 && /[A-Za-z]/.test(text[nameEnd])) nameEnd++;
		if (nameEnd === text.length && !atEnd) return -(i + 1);
		const keyword = text.slice(i + 2, nameEnd).toUpperCase();
		if (FORBIDDEN_NAMES.has(keyword)) throw new XmlSplitError({ kind: 'forbidden', keyword });
		return this.fail(
			this.base + i,
			`unexpected markup "${text.slice(i, Math.min(nameEnd + 1, i + 12))}"`,
		);
	}

	private enter(mode: Mode, at: number): number {
		// Only a start tag at depth 1 can open a record: anything else ends a tentative capture.
		if (!this.recordOpen && mode !== 'startTag') this.capture = undefined;
		this.mode = mode;
		return at;
	}

	/** Reads a start tag's name, then its attributes to `>`, skipping quoted values whole. */
	private scanStartTag(text: string, i: number): number {
		const len = text.length;
		if (!this.nameDone) {
			let j = i;
			while (j < len && !endsName(text.charCodeAt(j))) j++;
			this.tagName += text.slice(i, j);
			if (this.tagName.length > NAME_MAX)
				this.fail(this.base + j, `an element name longer than ${NAME_MAX} characters`);
			if (j === len) return len;
			this.nameDone = true;
			if (!NAME.test(this.tagName))
				this.fail(this.tagStart, `invalid element name "${this.tagName}"`);
			i = j;
		}
		for (; i < len; i++) {
			if (this.quote) {
				const close = text.indexOf(this.quote, i);
				if (close < 0) return len;
				i = close;
				this.quote = '';
				this.lastInTag = 34;
				continue;
			}
			const c = text.charCodeAt(i);
			if (c === 62 /* > */) {
				this.mode = 'text';
				this.open(this.tagName, i + 1, this.lastInTag === 47);
				return i + 1;
			}
			if (c === 34 || c === 39) this.quote = text[i];
			else if (c === 60 /* < */) this.fail(this.base + i, `"<" inside the tag <${this.tagName}>`);
			if (!isBlank(c)) this.lastInTag = c;
		}
		return len;
	}

	private scanEndTag(text: string, i: number): number {
		const gt = text.indexOf('>', i);
		this.tagName += text.slice(i, gt < 0 ? text.length : gt);
		if (this.tagName.length > NAME_MAX)
			this.fail(this.base + i, `an element name longer than ${NAME_MAX} characters`);
		if (gt < 0) return text.length;
		this.mode = 'text';
		this.close(this.tagName.trimEnd(), gt + 1);
		return gt + 1;
	}

	/** Skips to just past `terminator`; keeps the last characters that could start it for the next piece. */
	private scanUntil(text: string, i: number, terminator: string): number {
		const at = text.indexOf(terminator, i);
		if (at >= 0) {
			this.mode = 'text';
			return at + terminator.length;
		}
		const keep = Math.max(i, text.length - (terminator.length - 1));
		return keep < text.length ? -(keep + 1) : text.length;
	}

	private open(name: string, end: number, selfClosing: boolean): void {
		const depth = this.stack.length + this.overflow;
		if (depth === 0) {
			if (this.rootClosed)
				this.fail(this.tagStart, `a second root element <${name}> after </${this.rootElement}>`);
			if (name !== this.rootElement) throw new XmlSplitError({ kind: 'root', found: name });
			this.rootSeen = true;
		} else if (depth === 1) {
			if (name === this.recordElement) this.openRecord();
			else this.capture = undefined;
		} else if (depth - 1 > this.limits.maxDepth && !selfClosing) {
			const deep = `elements are nested more than ${this.limits.maxDepth} deep inside the record`;
			if (!this.recordOpen)
				this.fail(this.tagStart, deep.replace('the record', `<${this.stack[1]}>`));
			// Keep the record's first characters (with its key) before its text is let go.
			this.capture?.take(this.text, end);
			this.capture?.refuse(deep);
			this.overflow++;
			return;
		}
		if (!selfClosing) {
			this.stack.push(name);
			return;
		}
		if (depth === 0) this.rootClosed = true;
		else if (depth === 1 && this.recordOpen) this.emit(end);
	}

	private openRecord(): void {
		this.records++;
		this.recordOpen = true;
	}

	private close(name: string, end: number): void {
		if (this.overflow > 0) {
			this.overflow--;
			return;
		}
		const open = this.stack[this.stack.length - 1];
		if (open === undefined) this.fail(this.tagStart, `</${name}> without a matching start tag`);
		if (name !== open) this.fail(this.tagStart, `</${name}> does not close <${open}>`);
		this.stack.pop();
		const depth = this.stack.length;
		if (depth === 0) this.rootClosed = true;
		else if (depth === 1 && this.recordOpen) this.emit(end);
	}

	private beginCapture(at: number): void {
		const capture = new Capture();
		capture.from = at;
		capture.line = this.tagAt.line;
		capture.column = this.tagAt.column;
		this.capture = capture;
	}

	private checkCaptureSize(): void {
		const capture = this.capture;
		if (capture && !capture.refused && capture.size > this.limits.maxElementChars)
			capture.refuse(
				`the record element is larger than ${this.limits.maxElementChars} characters (maxElementBytes)`,
			);
	}

	private emit(end: number): void {
		const capture = this.capture!;
		capture.take(this.text, end);
		this.checkCaptureSize();
		this.capture = undefined;
		this.recordOpen = false;
		const { line, column } = capture;
		if (capture.refused)
			return this.onRefused({
				index: this.records,
				line,
				column,
				reason: capture.refused,
				head: capture.head,
			});
		this.onRecord({ text: capture.text(), index: this.records, line, column });
	}

	/**
	 * 1-based line and column of an absolute offset at or after the last one asked for. Each line
	 * feed is looked for once (the next one is remembered), so asking at every tag stays linear.
	 */
	private lineOf(offset: number): { line: number; column: number } {
		while (offset > this.countedTo) {
			if (this.nextLineFeed < this.countedTo) {
				const at = this.text.indexOf('\n', Math.max(0, this.countedTo - this.base));
				this.nextLineFeed = at < 0 ? Infinity : this.base + at;
			}
			if (this.nextLineFeed >= offset) {
				this.countedTo = offset;
				break;
			}
			this.line++;
			this.lineStart = this.nextLineFeed + 1;
			this.countedTo = this.lineStart;
		}
		return { line: this.line, column: offset - this.lineStart + 1 };
	}

	private fail(offset: number, message: string): never {
		const { line, column } =
			offset === this.tagStart ? this.tagAt : this.lineOf(Math.max(offset, this.countedTo));
		throw new XmlSplitError({
			kind: 'malformed',
			message,
			line,
			column,
			record: this.recordOpen ? this.records : undefined,
		});
	}
}
