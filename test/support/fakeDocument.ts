// A plain-text document with a cursor, for driving the completion engine as typing would.
// `█` in the initial text marks the cursor.

import type { CompletionRequest } from '../../src/completion/completionEngine';
import type { LineSource } from '../../src/completion/contextWindow';

export class FakeDocument {
  lines: string[];
  line = 0;
  character = 0;
  /** lineAt calls since the last request: proves the engine reads only a window. */
  reads = 0;

  constructor(text: string, readonly key = 'file:///work/doc.txt') {
    const at = text.indexOf('█');
    const clean = at === -1 ? text : text.slice(0, at) + text.slice(at + 1);
    this.lines = clean.split(/\r?\n/);
    const before = (at === -1 ? clean : clean.slice(0, at)).split(/\r?\n/);
    this.line = before.length - 1;
    this.character = before[before.length - 1].length;
  }

  /** Insert text at the cursor, as typing (or accepting a suggestion) would. */
  type(text: string): this {
    const current = this.lines[this.line];
    const inserted = (current.slice(0, this.character) + text).split('\n');
    const rest = current.slice(this.character);
    this.lines.splice(this.line, 1, ...inserted.slice(0, -1), inserted[inserted.length - 1] + rest);
    this.line += inserted.length - 1;
    this.character = inserted[inserted.length - 1].length;
    return this;
  }

  backspace(count = 1): this {
    for (let i = 0; i < count; i++) {
      if (this.character > 0) {
        const current = this.lines[this.line];
        this.lines[this.line] = current.slice(0, this.character - 1) + current.slice(this.character);
        this.character--;
      }
    }
    return this;
  }

  get text(): string {
    return this.lines.join('\n');
  }

  request(explicit = false): CompletionRequest {
    this.reads = 0;
    const lines: LineSource = {
      lineCount: this.lines.length,
      lineAt: (i) => {
        this.reads++;
        return this.lines[i];
      },
    };
    return { documentKey: this.key, lines, cursor: { line: this.line, character: this.character }, explicit };
  }
}
