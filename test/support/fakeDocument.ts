// A plain-text document with a cursor, for driving the completion engine as typing would.
// `█` in the initial text marks the cursor. Like VS Code, CRLF, LF and a lone CR all end a line, and
// a line's text never contains its line break.

import type { CompletionRequest } from '../../src/completion/completionEngine';
import type { LineSource } from '../../src/text/lineSource';

export class FakeDocument {
  lines: string[];
  line = 0;
  character = 0;
  /** lineAt calls since the last request: proves the engine reads only a window. */
  reads = 0;
  /** Characters of the lines returned by lineAt since the last request. */
  charsRead = 0;
  /** Grows with every edit, like TextDocument.version. */
  version = 1;

  constructor(text: string, readonly key = 'file:///work/doc.txt', readonly relativePath?: string) {
    const at = text.indexOf('█');
    const clean = at === -1 ? text : text.slice(0, at) + text.slice(at + 1);
    this.lines = clean.split(/\r\n|\r|\n/);
    const before = (at === -1 ? clean : clean.slice(0, at)).split(/\r\n|\r|\n/);
    this.line = before.length - 1;
    this.character = before[before.length - 1].length;
  }

  /** A document from its lines (no copy: for giant documents), cursor at line/character. */
  static fromLines(lines: string[], line: number, character: number, key?: string): FakeDocument {
    const doc = new FakeDocument('', key);
    doc.lines = lines;
    doc.line = line;
    doc.character = character;
    return doc;
  }

  /** Put the cursor somewhere else (no edit). */
  moveTo(line: number, character: number): this {
    this.line = line;
    this.character = character;
    return this;
  }

  /** Insert whole lines before `line` (an edit elsewhere, e.g. another cursor or a formatter). */
  insertLines(line: number, ...texts: string[]): this {
    this.lines.splice(line, 0, ...texts);
    if (line <= this.line) this.line += texts.length;
    this.version++;
    return this;
  }

  /** Insert text at the cursor, as typing (or accepting a suggestion) would. */
  type(text: string): this {
    const current = this.lines[this.line];
    const inserted = (current.slice(0, this.character) + text).split('\n');
    const rest = current.slice(this.character);
    this.lines.splice(this.line, 1, ...inserted.slice(0, -1), inserted[inserted.length - 1] + rest);
    this.line += inserted.length - 1;
    this.character = inserted[inserted.length - 1].length;
    this.version++;
    return this;
  }

  backspace(count = 1): this {
    for (let i = 0; i < count; i++) {
      if (this.character > 0) {
        const current = this.lines[this.line];
        this.lines[this.line] = current.slice(0, this.character - 1) + current.slice(this.character);
        this.character--;
        this.version++;
      }
    }
    return this;
  }

  get text(): string {
    return this.lines.join('\n');
  }

  request(explicit = false): CompletionRequest {
    this.reads = 0;
    this.charsRead = 0;
    const lines: LineSource = {
      lineCount: this.lines.length,
      lineAt: (i) => {
        if (i < 0 || i >= this.lines.length) throw new RangeError(`lineAt(${i}): the document has ${this.lines.length} lines`);
        this.reads++;
        this.charsRead += this.lines[i].length;
        return this.lines[i];
      },
    };
    const version = this.version;
    return {
      documentKey: this.key, lines, cursor: { line: this.line, character: this.character }, explicit,
      relativePath: this.relativePath, isCurrent: () => this.version === version,
    };
  }
}
