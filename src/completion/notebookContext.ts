// A notebook cell's context: the code of the cells above it, then the cell itself.
//
// A cell alone is a poor prompt: its imports, functions and variables live in the cells above.
// So the cells before the current one (those the caller hands over: code cells of the same
// language, nearest first) are put in front of it, an empty line between cells, as one LineSource
// the context window reads like a file. The suffix stays within the cell: its end is where the
// answer should stop.
//
// Bounded work per keystroke: cells are taken from the iterator only until they hold `maxLines`
// lines. Every line costs at least one token (its line break), so more lines than the prompt budget
// in tokens could never fit; the lines themselves are read lazily, only as far as the window needs.

import type { LineSource } from '../text/lineSource';
import type { Cursor } from './contextWindow';

export interface CellContext {
  /** The preceding cells, then the cell: what the context window reads. */
  readonly lines: LineSource;
  /** The cursor in `lines` (the cell's cursor moved down by the lines put in front of it). */
  readonly cursor: Cursor;
  /** How many preceding cells were included. */
  readonly cellsBefore: number;
}

interface Segment {
  readonly start: number;
  readonly source: LineSource;
}

/**
 * The cell at `cursor` with the cells before it in front. `before` yields the preceding cells
 * nearest first; it is read only until `maxLines` lines are gathered (pass the prompt budget in
 * tokens: the prefix may take all of it when the cell's suffix is short). Empty cells are skipped. Inserting at the result's cursor is inserting at the cell's.
 */
export function withPrecedingCells(cell: LineSource, cursor: Cursor, before: Iterable<LineSource>,
  maxLines: number): CellContext {
  const taken: LineSource[] = [];
  let lines = 0;
  if (maxLines > 0) {
    for (const source of before) {
      if (source.lineCount === 0 || (source.lineCount === 1 && source.lineAt(0) === '')) continue;
      taken.push(source);
      lines += source.lineCount + 1; // and the empty line that separates it from the next cell
      if (lines >= maxLines) break;
    }
  }
  if (taken.length === 0) return { lines: cell, cursor, cellsBefore: 0 };

  // Top to bottom: the farthest cell first; each followed by one empty line.
  const segments: Segment[] = [];
  let start = 0;
  for (let i = taken.length - 1; i >= 0; i--) {
    segments.push({ start, source: taken[i] });
    start += taken[i].lineCount + 1;
  }
  const offset = start;
  segments.push({ start: offset, source: cell });
  const lineCount = offset + cell.lineCount;

  return {
    lines: {
      lineCount,
      lineAt(line: number): string {
        if (line < 0 || line >= lineCount) throw new RangeError(`line ${line} is outside 0..${lineCount - 1}`);
        // The last segment whose start is at or before `line` (binary search: up to maxLines cells).
        let lo = 0;
        let hi = segments.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (segments[mid].start <= line) lo = mid; else hi = mid - 1;
        }
        const { start: first, source } = segments[lo];
        const index = line - first;
        return index < source.lineCount ? source.lineAt(index) : ''; // the separator after a cell
      },
    },
    cursor: { line: offset + cursor.line, character: cursor.character },
    cellsBefore: taken.length,
  };
}
