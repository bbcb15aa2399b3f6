// A LineSource over an array that counts its lineAt calls: tests assert how much of a document
// the window selection reads.

import type { LineSource } from '../../src/text/lineSource';

export class CountingLines implements LineSource {
  reads = 0;
  constructor(readonly lines: string[]) {}
  get lineCount(): number {
    return this.lines.length;
  }
  lineAt(line: number): string {
    if (!Number.isInteger(line) || line < 0 || line >= this.lines.length) throw new RangeError(`line ${line}`);
    this.reads++;
    return this.lines[line];
  }
  /** Reads made by `fn`. */
  count<T>(fn: () => T): { value: T; reads: number } {
    const before = this.reads;
    const value = fn();
    return { value, reads: this.reads - before };
  }
}
