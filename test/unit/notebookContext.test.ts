import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectWindow } from '../../src/completion/contextWindow';
import type { LineSource } from '../../src/text/lineSource';
import { withPrecedingCells } from '../../src/completion/notebookContext';
import { buildFimPrompt } from '../../src/completion/fimPrompt';
import { CountingLines } from '../support/countingLines';

/** A cell over its text that counts every lineAt call. */
class Cell extends CountingLines {
  constructor(text: string) {
    super(text.split('\n'));
  }
}

/** Yields `cells` and counts how many were taken. */
function counted(cells: LineSource[]): { iterable: Iterable<LineSource>; taken: () => number } {
  let taken = 0;
  return {
    iterable: {
      *[Symbol.iterator]() {
        for (const cell of cells) {
          taken++;
          yield cell;
        }
      },
    },
    taken: () => taken,
  };
}

function allLines(source: LineSource): string[] {
  return Array.from({ length: source.lineCount }, (_, i) => source.lineAt(i));
}

describe('withPrecedingCells', () => {
  test('the cells above come first, farthest at the top, one empty line between cells', () => {
    const first = new Cell('import math\nx = 1');
    const second = new Cell('def f(a):\n    return a');
    const cell = new Cell('y = \nprint(y)');
    const ctx = withPrecedingCells(cell, { line: 0, character: 4 }, [second, first], 1000);
    assert.deepEqual(allLines(ctx.lines),
      ['import math', 'x = 1', '', 'def f(a):', '    return a', '', 'y = ', 'print(y)']);
    assert.deepEqual(ctx.cursor, { line: 6, character: 4 });
    assert.equal(ctx.cellsBefore, 2);
  });

  test('the prompt: preceding cells in the prefix, the suffix stays within the cell', () => {
    const ctx = withPrecedingCells(new Cell('y = \nprint(y)'), { line: 0, character: 4 },
      [new Cell('import math\nx = 1')], 1000);
    const window = selectWindow(ctx.lines, ctx.cursor, 3000);
    assert.equal(window.prefix, 'import math\nx = 1\n\ny = ');
    assert.equal(window.suffix, '\nprint(y)');
    assert.equal(window.linePrefix, 'y = ');
    assert.equal(buildFimPrompt(window.prefix, window.suffix, 'spm').prompt,
      '<PRE> <SUF>\nprint(y) <MID> import math\nx = 1\n\ny = ');
  });

  test('the cursor line and everything after it are the cell\'s own lines, unchanged', () => {
    const cell = new Cell('a = 1\nb = 2\nc = 3');
    const ctx = withPrecedingCells(cell, { line: 1, character: 3 }, [new Cell('x\ny\nz'), new Cell('w')], 1000);
    for (let i = 0; i < cell.lineCount; i++) assert.equal(ctx.lines.lineAt(ctx.cursor.line - 1 + i), cell.lines[i]);
    assert.equal(ctx.lines.lineCount, ctx.cursor.line - 1 + cell.lineCount);
    assert.equal(ctx.cursor.character, 3);
  });

  test('no preceding cells: the cell itself, cursor untouched', () => {
    const cell = new Cell('y = ');
    const ctx = withPrecedingCells(cell, { line: 0, character: 4 }, [], 1000);
    assert.equal(ctx.lines, cell);
    assert.deepEqual(ctx.cursor, { line: 0, character: 4 });
    assert.equal(ctx.cellsBefore, 0);
  });

  test('empty cells are skipped, not left as blank runs', () => {
    const ctx = withPrecedingCells(new Cell('y'), { line: 0, character: 1 }, [new Cell(''), new Cell('x')], 1000);
    assert.deepEqual(allLines(ctx.lines), ['x', '', 'y']);
    assert.equal(ctx.cellsBefore, 1);
  });

  test('cells are taken only until they hold maxLines lines (bounded work per keystroke)', () => {
    const cells = Array.from({ length: 10_000 }, (_, i) => new Cell(`a${i} = ${i}\nb${i} = ${i}`));
    const { iterable, taken } = counted(cells);
    const ctx = withPrecedingCells(new Cell('y = '), { line: 0, character: 4 }, iterable, 30);
    // Each cell gives 3 lines (two and the separator): 10 cells reach 30.
    assert.equal(taken(), 10);
    assert.equal(ctx.cellsBefore, 10);
    assert.equal(ctx.cursor.line, 30);
    assert.equal(cells.reduce((n, c) => n + c.reads, 0), 0, 'no line read before the window asks');
  });

  test('the window reads only what fits the budget, however many cells there are', () => {
    const cells = Array.from({ length: 3000 }, (_, i) => new Cell(`value_${i} = compute(${i}, "some text")`));
    const budget = 400;
    const ctx = withPrecedingCells(new Cell('y = '), { line: 0, character: 4 }, cells, Math.floor(budget * 0.75));
    assert.ok(ctx.cellsBefore <= 150, `took ${ctx.cellsBefore} cells`);
    // Taking a one-line cell reads its line (to skip empty cells): bounded by maxLines, like the cells.
    assert.ok(cells.reduce((n, c) => n + c.reads, 0) <= 150);
    for (const c of cells) c.reads = 0;
    const window = selectWindow(ctx.lines, ctx.cursor, budget);
    const reads = cells.reduce((n, c) => n + c.reads, 0);
    const linesInPrompt = window.prefix.split('\n').length;
    assert.ok(window.prefixTokens + window.suffixTokens <= budget);
    // The window reads a line a few times (sizing, then building), never lines it does not use.
    assert.ok(reads <= 4 * linesInPrompt && linesInPrompt < 100, `read ${reads} lines for ${linesInPrompt}`);
    assert.ok(window.prefix.endsWith('value_0 = compute(0, "some text")\n\ny = '));
    assert.ok(!window.prefix.includes('value_149 '), 'far cells stay out of the prompt');
  });

  test('maxLines 0 takes no cell', () => {
    const { iterable, taken } = counted([new Cell('x')]);
    const ctx = withPrecedingCells(new Cell('y'), { line: 0, character: 1 }, iterable, 0);
    assert.equal(taken(), 0);
    assert.equal(ctx.cellsBefore, 0);
  });

  test('a line outside the joined lines is refused, as a document would', () => {
    const ctx = withPrecedingCells(new Cell('y'), { line: 0, character: 1 }, [new Cell('x')], 10);
    assert.throws(() => ctx.lines.lineAt(3), RangeError);
    assert.throws(() => ctx.lines.lineAt(-1), RangeError);
  });
});
