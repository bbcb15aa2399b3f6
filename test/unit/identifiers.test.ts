// Identifier extraction: the features windows are ranked by, and the names near the cursor whose
// definitions are looked up (bounded reads: the cursor line and a few above).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identifierSet, identifiersNearCursor, MAX_SCAN_CHARS } from '../../src/crossFile/identifiers';
import { CountingLines } from '../support/countingLines';

function sorted(set: Set<string>): string[] {
  return [...set].sort();
}

describe('identifierSet', () => {
  it('collects names once each, keywords and very common words left out', () => {
    assert.deepEqual(sorted(identifierSet('export const total = add(a, b) + add(c, this.d);\nreturn null;')),
      ['a', 'add', 'b', 'c', 'd', 'total']);
    assert.deepEqual(sorted(identifierSet('def area(self, r):\n    return None if r is None else PI * r ** 2')),
      ['PI', 'area', 'r']);
    assert.deepEqual(sorted(identifierSet('func (s *Server) Run(ctx context.Context) error { return nil }')),
      ['Context', 'Run', 'Server', 'context', 'ctx', 's']);
    assert.deepEqual(sorted(identifierSet('pub fn new(x: u32) -> Self { Self { x } }')), ['x']);
  });

  it('takes _ and $ as letters, digits inside names, and leaves numbers out', () => {
    assert.deepEqual(sorted(identifierSet('$el _private value_2 0x1F 2nd 3.14 1e9 a1b2')),
      ['$el', '_private', 'a1b2', 'value_2']);
  });

  it('is case-sensitive: None and True are keywords, none and TRUE are names', () => {
    assert.deepEqual(sorted(identifierSet('None True none TRUE Self self SELF')), ['SELF', 'TRUE', 'none']);
  });

  it('reads Unicode letters and combining marks as part of names', () => {
    assert.deepEqual(sorted(identifierSet('größe = naïve + 漢字 + café')), ['café', 'größe', 'naïve', '漢字']);
  });

  it('is empty for text with no names', () => {
    assert.deepEqual(sorted(identifierSet('')), []);
    assert.deepEqual(sorted(identifierSet('{ } ( ) 1 + 2;\n\n')), []);
  });

  it(`reads each line only up to ${MAX_SCAN_CHARS} characters`, () => {
    const long = `${'x '.repeat(MAX_SCAN_CHARS / 2 - 3)}near  far`;
    assert.equal(long.indexOf('near'), MAX_SCAN_CHARS - 6);
    assert.deepEqual(sorted(identifierSet(long)), ['near', 'x']);
    // A name cut by the limit is no name; the next line is read again from its start.
    assert.deepEqual(sorted(identifierSet(`${' '.repeat(MAX_SCAN_CHARS - 2)}abcdef\nnext`)), ['next']);
    assert.deepEqual(sorted(identifierSet(`${' '.repeat(MAX_SCAN_CHARS - 2)}ab cdef`)), ['ab']);
  });
});

describe('identifiersNearCursor', () => {
  const at = (lines: string[], line: number, character: number, above = 3, max = 10) =>
    identifiersNearCursor(new CountingLines(lines), { line, character }, above, max);

  it('goes right to left on the cursor line, then up; each name once, with its nearest position', () => {
    const lines = ['import { add } from "./math";', 'const total = add(x, y);', 'const more = total + add(█'];
    const cursorLine = lines[2].replace('█', '');
    const uses = at([lines[0], lines[1], cursorLine], 2, cursorLine.length);
    assert.deepEqual(uses, [
      { name: 'add', line: 2, character: 21 },
      { name: 'total', line: 2, character: 13 },
      { name: 'more', line: 2, character: 6 },
      { name: 'y', line: 1, character: 21 },
      { name: 'x', line: 1, character: 18 },
      { name: 'math', line: 0, character: 23 },
    ]);
  });

  it('leaves out the word the cursor is in or right after', () => {
    assert.deepEqual(at(['foo.ba'], 0, 6).map((u) => u.name), ['foo']);
    assert.deepEqual(at(['foo.bar'], 0, 5).map((u) => u.name), ['foo']);
    assert.deepEqual(at(['user.name = 1'], 0, 2).map((u) => u.name), []);
    // After a non-word character the name before it counts: `add(|`, `x.|`, `a |`.
    assert.deepEqual(at(['add('], 0, 4).map((u) => u.name), ['add']);
    assert.deepEqual(at(['x.'], 0, 2).map((u) => u.name), ['x']);
    assert.deepEqual(at(['a '], 0, 2).map((u) => u.name), ['a']);
  });

  it('leaves out keywords, and text after the cursor', () => {
    assert.deepEqual(at(['return this.items.map(item => item.id) + after'], 0, 38).map((u) => u.name),
      ['id', 'item', 'items']);
  });

  it('stops at max and reads only the lines it needs', () => {
    const lines = new CountingLines(['a0 b0', 'a1 b1', 'a2 b2', 'a3 b3', 'c4 d4 e4']);
    const { value, reads } = lines.count(() => identifiersNearCursor(lines, { line: 4, character: 8 }, 2, 10));
    assert.deepEqual(value.map((u) => u.name), ['d4', 'c4', 'b3', 'a3', 'b2', 'a2']);
    assert.equal(reads, 3);
    const few = lines.count(() => identifiersNearCursor(lines, { line: 4, character: 8 }, 100, 2));
    assert.deepEqual(few.value.map((u) => u.name), ['d4', 'c4']);
    assert.equal(few.reads, 1);
  });

  it('never reads above line 0 or past the document; nothing for max 0 or a cursor off the document', () => {
    assert.deepEqual(at(['x y'], 0, 3, 5).map((u) => u.name), ['x']);
    assert.deepEqual(at(['abc'], 0, 99, 5).map((u) => u.name), []);
    assert.deepEqual(at(['a b'], 0, 3, 5, 0), []);
    assert.deepEqual(at(['a b'], 1, 0), []);
    assert.deepEqual(at(['a b'], -1, 0), []);
    assert.deepEqual(at(['a b', 'c'], 1, 0, -4).map((u) => u.name), []);
  });

  it('gives UTF-16 offsets with astral characters before the name', () => {
    assert.deepEqual(at(['s = "😀" + größe + '], 0, 19), [
      { name: 'größe', line: 0, character: 11 },
      { name: 's', line: 0, character: 0 },
    ]);
  });

  it(`on a huge line scans only the ${MAX_SCAN_CHARS} characters before the cursor, and the lines above from their start`, () => {
    const huge = `head ${'x'.repeat(1_000_000)} mid ${' '.repeat(MAX_SCAN_CHARS)}tail `;
    const uses = at([`above ${'q'.repeat(1_000_000)}`, huge], 1, huge.length);
    assert.deepEqual(uses.map((u) => [u.name, u.line, u.character]), [['tail', 1, huge.length - 5], ['above', 0, 0]]);
  });

  it('a name cut by the scan window is not a name', () => {
    const line = `${'y'.repeat(MAX_SCAN_CHARS + 10)} z `;
    assert.deepEqual(at([line], 0, line.length).map((u) => u.name), ['z']);
  });
});
