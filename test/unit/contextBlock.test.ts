// The context block: which snippets fit the budget, how they are cut, in which order they are
// rendered, and that the same snippets always give the same bytes.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commentBlock, type CommentSyntax } from '../../src/crossFile/commentSyntax';
import { EMPTY_BLOCK, MIN_SNIPPET_LINES, renderContextBlock } from '../../src/crossFile/contextBlock';
import type { Snippet, SnippetKind } from '../../src/crossFile/snippet';
import { estimateTokens } from '../../src/text/tokenEstimate';
import { seededRandom } from '../support/seededRandom';

const SLASHES: CommentSyntax = { line: '//' };

function snippet(kind: SnippetKind, path: string, line: number, lines: string[]): Snippet {
  return { kind, path, line, lines };
}

const add = snippet('definition', 'src/math.ts', 0, ['export function add(a: number, b: number): number;']);
const user = snippet('import', 'src/user.ts', 3, ['export interface User {', '  name: string;', '  age: number;', '}']);
const similar = snippet('similar', 'src/other.ts', 10, ['const total = add(price, tax);', '', 'log(total);']);

const tokens = (...blocks: string[]) => estimateTokens(blocks.join(''));

describe('renderContextBlock', () => {
  it('renders the taken snippets lowest priority first, so the first given sits next to the code', () => {
    const block = renderContextBlock(SLASHES, [add, user, similar], 10_000);
    const text = '// Path: src/other.ts\n// const total = add(price, tax);\n//\n// log(total);\n'
      + '// Path: src/user.ts\n// export interface User {\n//   name: string;\n//   age: number;\n// }\n'
      + '// Path: src/math.ts\n// export function add(a: number, b: number): number;\n';
    assert.equal(block.text, text);
    assert.equal(block.tokens, estimateTokens(text));
    assert.deepEqual(block.snippets, [similar, user, add]);
  });

  it('a declaration taken before and shown whole by a later window of its file goes: said once', () => {
    const decl = snippet('definition', 'src/geo.ts', 2, ['export function origin() {', '  return 0;', '}']);
    const window = snippet('similar', 'src/geo.ts', 0, ['// geometry', '', 'export function origin() {', '  return 0;', '}']);
    const block = renderContextBlock(SLASHES, [decl, add, window], 10_000);
    assert.deepEqual(block.snippets, [window, add]);
    assert.equal(block.text, '// Path: src/geo.ts\n// // geometry\n//\n// export function origin() {\n//   return 0;\n// }\n'
      + '// Path: src/math.ts\n// export function add(a: number, b: number): number;\n');
    // Its tokens are free again: with a budget that held all three, the window fits after it goes.
    const exact = tokens(commentBlock(SLASHES, window.path, window.lines), commentBlock(SLASHES, add.path, add.lines));
    assert.deepEqual(renderContextBlock(SLASHES, [decl, add, window], exact).snippets, [window, add]);
  });

  it('block syntax: one comment per snippet', () => {
    const block = renderContextBlock({ open: '/*', close: '*/' }, [snippet('similar', 'a.css', 0, ['a { }', '/* x */'])], 1000);
    assert.equal(block.text, '/* Path: a.css\na { }\n/* x * /\n*/\n');
  });

  it('is the same bytes for the same snippets (the prompt cache)', () => {
    const a = renderContextBlock(SLASHES, [add, user, similar], 500);
    const b = renderContextBlock(SLASHES, [{ ...add }, { ...user, lines: [...user.lines] }, { ...similar }], 500);
    assert.equal(a.text, b.text);
  });

  it('a budget of 0 or less, no snippets, or only empty ones: the empty block', () => {
    assert.equal(renderContextBlock(SLASHES, [add], 0), EMPTY_BLOCK);
    assert.equal(renderContextBlock(SLASHES, [add], -5), EMPTY_BLOCK);
    assert.equal(renderContextBlock(SLASHES, [add], NaN), EMPTY_BLOCK);
    assert.equal(renderContextBlock(SLASHES, [], 1000), EMPTY_BLOCK);
    assert.equal(renderContextBlock(SLASHES, [snippet('similar', 'a.ts', 0, [])], 1000), EMPTY_BLOCK);
    assert.deepEqual(EMPTY_BLOCK, { text: '', tokens: 0, snippets: [] });
  });

  it('takes in priority order while they fit; one that does not fit whole is skipped when too short to cut', () => {
    const wide = snippet('import', 'src/wide.ts', 0, Array.from({ length: 4 }, (_, i) =>
      `export function veryLongFunctionName${i}(firstArgument: SomeType, secondArgument: OtherType): Result;`));
    const addBlock = commentBlock(SLASHES, add.path, add.lines);
    const similarBlock = commentBlock(SLASHES, similar.path, similar.lines);
    // Room for add and similar; wide (4 lines) does not fit whole, nor cut to 3 lines.
    const budget = tokens(addBlock, similarBlock);
    assert.ok(budget < tokens(addBlock, commentBlock(SLASHES, wide.path, wide.lines.slice(0, 3))));
    const block = renderContextBlock(SLASHES, [add, wide, similar], budget);
    assert.equal(block.text, similarBlock + addBlock);
    assert.deepEqual(block.snippets, [similar, add]);
    // One token less: similar no longer fits, and it is too short to cut.
    assert.equal(renderContextBlock(SLASHES, [add, wide, similar], budget - 1).text, addBlock);
  });

  it('cuts a snippet that does not fit to its first lines that do, at least MIN_SNIPPET_LINES', () => {
    assert.equal(MIN_SNIPPET_LINES, 3);
    const long = snippet('similar', 'src/long.ts', 20, Array.from({ length: 10 }, (_, i) => `const value${i} = compute(${i});`));
    const four = commentBlock(SLASHES, long.path, long.lines.slice(0, 4));
    const block = renderContextBlock(SLASHES, [long], estimateTokens(four) + 2);
    assert.equal(block.text, four);
    assert.deepEqual(block.snippets, [{ ...long, lines: long.lines.slice(0, 4) }]);
    const three = commentBlock(SLASHES, long.path, long.lines.slice(0, 3));
    assert.equal(renderContextBlock(SLASHES, [long], estimateTokens(three)).text, three);
    assert.equal(renderContextBlock(SLASHES, [long], estimateTokens(three) - 1), EMPTY_BLOCK);
  });

  it('a cut snippet leaves room for the ones after it only if they fit what is left', () => {
    const long = snippet('definition', 'a.ts', 0, Array.from({ length: 8 }, (_, i) => `line${i}();`));
    const small = snippet('similar', 'b.ts', 0, ['x();']);
    const smallBlock = commentBlock(SLASHES, small.path, small.lines);
    const fiveBlock = commentBlock(SLASHES, long.path, long.lines.slice(0, 5));
    const block = renderContextBlock(SLASHES, [long, small], tokens(fiveBlock, smallBlock));
    // The cut takes as many lines as fit the whole budget left (7 here), then small no longer fits.
    const seven = commentBlock(SLASHES, long.path, long.lines.slice(0, 7));
    assert.ok(tokens(seven) <= tokens(fiveBlock, smallBlock));
    assert.ok(tokens(commentBlock(SLASHES, long.path, long.lines)) > tokens(fiveBlock, smallBlock));
    assert.equal(block.text, seven);
  });

  it('skips a snippet whose lines are all inside one taken before from the same file', () => {
    const whole = snippet('similar', 'src/a.ts', 10, ['a1', 'a2', 'a3', 'a4', 'a5']);
    const inner = snippet('definition', 'src/a.ts', 11, ['a2', 'a3']);
    const same = snippet('definition', 'src/a.ts', 10, ['a1', 'a2', 'a3', 'a4', 'a5']);
    const overlapping = snippet('definition', 'src/a.ts', 13, ['a4', 'a5', 'a6']);
    const otherFile = snippet('definition', 'src/b.ts', 11, ['a2', 'a3']);
    const block = renderContextBlock(SLASHES, [whole, inner, same, overlapping, otherFile], 10_000);
    assert.deepEqual(block.snippets, [otherFile, overlapping, whole]);
    // Taken first, the inner one does not keep the whole one out: it goes for it (said once).
    assert.deepEqual(renderContextBlock(SLASHES, [inner, whole], 10_000).snippets, [whole]);
  });

  it('inside means inside what was taken: lines cut off a snippet are not covered', () => {
    const long = snippet('definition', 'a.ts', 0, ['l0();', 'l1();', 'l2();', `y(${'1, '.repeat(1000)});`, 'l4();', 'l5();']);
    const tail = snippet('similar', 'a.ts', 4, ['l4();', 'l5();']);
    const threeBlock = commentBlock(SLASHES, 'a.ts', long.lines.slice(0, 3));
    const tailBlock = commentBlock(SLASHES, 'a.ts', tail.lines);
    // The long line does not fit, so long is cut to its first 3 lines; tail's lines are outside those.
    const block = renderContextBlock(SLASHES, [long, tail], tokens(threeBlock, tailBlock));
    assert.equal(block.text, tailBlock + threeBlock);
    assert.deepEqual(block.snippets.map((s) => [s.line, s.lines.length]), [[4, 2], [0, 3]]);
  });

  it('never exceeds the budget, and its tokens are those of its text (seeded random snippets)', () => {
    const random = seededRandom(1414);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const words = ['const', 'x', '=', 'foo(bar);', 'return', '{', '}', 'naïve', '😀', '漢字', '*/', '-->', '\t', '  '];
    const syntaxes: CommentSyntax[] = [{ line: '//' }, { line: '#' }, { open: '/*', close: '*/' }, { open: '<!--', close: '-->' }];
    for (let round = 0; round < 300; round++) {
      const syntax = pick(syntaxes);
      const snippets = Array.from({ length: Math.floor(random() * 6) }, () => snippet(
        pick(['definition', 'import', 'similar'] as const), pick(['a.ts', 'b/c.ts', 'd.ts']), Math.floor(random() * 20),
        Array.from({ length: Math.floor(random() * 12) },
          () => Array.from({ length: Math.floor(random() * 8) }, () => pick(words)).join(' '))));
      const budget = Math.floor(random() * 300);
      const block = renderContextBlock(syntax, snippets, budget);
      assert.ok(block.tokens <= budget, `round ${round}: ${block.tokens} > ${budget}`);
      assert.equal(block.tokens, estimateTokens(block.text), `round ${round}`);
      assert.equal(block.text, block.snippets.map((s) => commentBlock(syntax, s.path, s.lines)).join(''), `round ${round}`);
      for (const s of block.snippets) {
        const original = snippets.find((o) => o.path === s.path && o.line === s.line && o.lines.length >= s.lines.length
          && s.lines.every((l, i) => o.lines[i] === l));
        assert.ok(original !== undefined, `round ${round}: a taken snippet is the first lines of a given one`);
        assert.ok(s.lines.length === original.lines.length || s.lines.length >= MIN_SNIPPET_LINES, `round ${round}`);
      }
      // The same input renders the same bytes.
      assert.equal(renderContextBlock(syntax, snippets, budget).text, block.text);
    }
  });
});
