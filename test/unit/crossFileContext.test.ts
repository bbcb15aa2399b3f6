import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CrossFileContext, LOOKUP_DEADLINE_MS, REGION_LINES, type ContextDocument } from '../../src/crossFile/crossFileContext';
import { EMPTY_BLOCK, type ContextBlock } from '../../src/crossFile/contextBlock';
import { realTimers, type Timers } from '../../src/ollama/connectionHealth';
import { silentLogger } from '../../src/util/log';
import { ManualClock, flush } from '../support/manualClock';
import { MemorySources, type MemoryFile } from '../support/memorySources';

const B_TS = [
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '',
  'export interface Point {',
  '  x: number;',
  '  y: number;',
  '}',
].join('\n');

const ADD_BLOCK = '// Path: src/b.ts\n// export function add(a: number, b: number): number {\n//   return a + b;\n// }\n';
const POINT_BLOCK = '// Path: src/b.ts\n// export interface Point {\n//   x: number;\n//   y: number;\n// }\n';

/** A document whose lines are counted as they are read. */
function documentOf(text: string, key = 'file:///ws/src/a.ts', path = 'src/a.ts', languageId = 'typescript', version = 1) {
  const lines = text.split('\n');
  const counter = { reads: 0 };
  const doc: ContextDocument = {
    key, version, languageId, path,
    lines: { lineCount: lines.length, lineAt: (i) => { counter.reads++; return lines[i]; } },
  };
  return { doc, counter, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

function setup(files: readonly MemoryFile[], options: { budget?: number; timers?: Timers } = {}) {
  const sources = new MemorySources(files);
  const blocks: ContextBlock[] = [];
  const context = new CrossFileContext({
    sources, budget: () => options.budget ?? 1000, log: silentLogger, timers: options.timers ?? realTimers,
    onBlock: (block) => blocks.push(block),
  });
  return { sources, context, blocks };
}

describe('CrossFileContext: what goes into the block', () => {
  test('the declaration of a name used near the cursor, from another file, in the documented layout', async () => {
    const { sources, context } = setup([{ path: 'src/b.ts', text: B_TS }]);
    sources.declared.set('add', ['src/b.ts', 0]);
    const { doc, end } = documentOf('const total = add(1, 2);\nconst next = ');
    assert.equal(context.blockFor(doc.key), EMPTY_BLOCK, 'nothing before it is gathered');
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key).text, ADD_BLOCK);
    assert.deepEqual(sources.lookedUp, ['next', 'add', 'total']);
  });

  test('what the file imports from a local module: the declarations of the imported names', async () => {
    const { context } = setup([{ path: 'src/b.ts', text: B_TS }]);
    const { doc, end } = documentOf("import { Point } from './b';\n\nconst p: ");
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key).text, POINT_BLOCK);
  });

  test('a definition already shown through an import is not repeated', async () => {
    const { sources, context } = setup([{ path: 'src/b.ts', text: B_TS }]);
    sources.declared.set('add', ['src/b.ts', 0]);
    const { doc, end } = documentOf("import { add } from './b';\nconst total = add(1, 2);\n");
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key).text, ADD_BLOCK);
  });

  test('the most similar window of an open file of the same language', async () => {
    const other = ['function area(width: number, height: number) {', '  return width * height;', '}'].join('\n');
    const { sources, context } = setup([{ path: 'src/shapes.ts', text: other }, { path: 'src/unrelated.ts', text: 'let q = 1;' }]);
    sources.neighbourPaths = ['src/unrelated.ts', 'src/shapes.ts'];
    const { doc, end } = documentOf('const width = 3;\nconst height = 4;\nconst a = ');
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key).text,
      '// Path: src/shapes.ts\n// function area(width: number, height: number) {\n//   return width * height;\n// }\n');
  });

  test('never from an excluded file (not even read), another language, outside the workspace, or the file itself', async () => {
    const secret = 'export const apiKey = "sk-123";\nexport function add() {}';
    const { sources, context } = setup([
      { path: 'secrets.ts', text: secret, excluded: true },
      { path: 'src/b.py', text: 'def add(a, b):\n    return a + b', languageId: 'python' },
      { path: '/elsewhere/c.ts', text: 'export function add(x) { return x; }', outside: true },
      { path: 'src/a.ts', text: 'export function add() {}' },
    ]);
    sources.declared.set('add', ['secrets.ts', 1]);
    sources.declared.set('apiKey', ['secrets.ts', 0]);
    sources.neighbourPaths = ['secrets.ts', 'src/b.py', '/elsewhere/c.ts', 'src/a.ts'];
    const { doc, end } = documentOf("import { apiKey } from '../secrets';\nconst k = apiKey + add(1, 2);\n");
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key), EMPTY_BLOCK);
    assert.ok(!sources.read.has('secrets.ts'), 'the excluded file is never read');
  });

  test('TypeScript and TSX are one language', async () => {
    const { sources, context } = setup([{ path: 'src/b.ts', text: B_TS }]);
    sources.declared.set('add', ['src/b.ts', 0]);
    const { doc, end } = documentOf('add(1, 2);\n', 'file:///ws/src/a.tsx', 'src/a.tsx', 'typescriptreact');
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key).text, ADD_BLOCK);
  });

  test('a language without a known comment syntax gets no context, and nothing is looked up', async () => {
    const { sources, context } = setup([{ path: 'src/b.ts', text: B_TS }]);
    const { doc, end } = documentOf('add(1, 2)\n', 'file:///ws/x.weird', 'x.weird', 'weird-language');
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key), EMPTY_BLOCK);
    assert.deepEqual(sources.lookedUp, []);
  });

  test('the block stays within its budget', async () => {
    const big = Array.from({ length: 40 }, (_, i) => `export function f${i}(value: number): number { return value * ${i}; }`).join('\n');
    const { sources, context } = setup([{ path: 'src/big.ts', text: big }], { budget: 60 });
    for (let i = 0; i < 40; i++) sources.declared.set(`f${i}`, ['src/big.ts', i]);
    const { doc, end } = documentOf('f1(1); f2(2); f3(3); f4(4);\nf5(5); f6(6); f7(7); f8(8);\n');
    context.update(doc, end);
    await context.settled();
    const block = context.blockFor(doc.key);
    assert.ok(block.tokens > 0 && block.tokens <= 60, `${block.tokens} tokens`);
  });
});

describe('CrossFileContext: stable between boundaries', () => {
  const files = [{ path: 'src/b.ts', text: B_TS }];
  const text = 'const total = add(1, 2);\nconst next = ';

  test('typing on the same line without a new name: the same block, nothing looked up again', async () => {
    const { sources, context, blocks } = setup(files);
    sources.declared.set('add', ['src/b.ts', 0]);
    let { doc, end } = documentOf(text);
    context.update(doc, end);
    await context.settled();
    const first = context.blockFor(doc.key);
    const lookups = sources.lookedUp.length;
    for (const typed of ['t', 'to', 'tot', 'total ', 'total +', 'total + 1']) {
      ({ doc, end } = documentOf(text + typed));
      context.update(doc, end);
      await context.settled();
      assert.equal(context.blockFor(doc.key), first, typed);
    }
    // `total` was already looked up; `t`, `to`, `tot` were the word being typed.
    assert.equal(sources.lookedUp.length, lookups);
    assert.equal(blocks.length, 1);
  });

  test('a new name whose definition is in a file the block lacks: one new block with it', async () => {
    const { sources, context, blocks } = setup(files);
    sources.declared.set('add', ['src/b.ts', 0]);
    sources.declared.set('Point', ['src/b.ts', 4]);
    let { doc, end } = documentOf(text);
    context.update(doc, end);
    await context.settled();
    assert.deepEqual(sources.lookedUp, ['next', 'add', 'total']);
    // A newer version of the document (look-ups are cached per version): only the new names are asked for.
    ({ doc, end } = documentOf(text + 'origin as Point;', undefined, undefined, undefined, 2));
    context.update(doc, end);
    await context.settled();
    assert.deepEqual(sources.lookedUp, ['next', 'add', 'total', 'Point', 'origin']);
    // The newest definition is the most useful: it sits next to the file's own code.
    assert.equal(context.blockFor(doc.key).text, ADD_BLOCK + POINT_BLOCK);
    assert.equal(blocks.length, 2);
    // A name with no definition elsewhere changes nothing.
    const before = context.blockFor(doc.key);
    ({ doc, end } = documentOf(text + 'origin as Point; unknownName;'));
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key), before);
    assert.equal(blocks.length, 2);
  });

  test('moving more than REGION_LINES away, another document, and a save each make a new block', async () => {
    const { sources, context, blocks } = setup(files);
    sources.declared.set('add', ['src/b.ts', 0]);
    const lines = Array.from({ length: 100 }, (_, i) => `const v${i} = add(${i}, 1);`);
    const { doc } = documentOf(lines.join('\n'));
    context.update(doc, { line: 10, character: 0 });
    await context.settled();
    context.update(doc, { line: 10 + REGION_LINES, character: 0 });
    await context.settled();
    assert.equal(blocks.length, 1, 'still the same region');
    context.update(doc, { line: 11 + REGION_LINES, character: 0 });
    await context.settled();
    assert.equal(blocks.length, 2, 'another region');
    const other = documentOf('add(1, 2);\n', 'file:///ws/src/c.ts', 'src/c.ts');
    context.update(other.doc, other.end);
    assert.equal(context.blockFor(other.doc.key), EMPTY_BLOCK, 'not ready yet: the request goes without');
    await context.settled();
    assert.equal(context.blockFor(other.doc.key).text, ADD_BLOCK);
    assert.equal(context.blockFor(doc.key), EMPTY_BLOCK, 'the block is for the document it was made for');
    assert.equal(blocks.length, 3);
    context.update(other.doc, other.end);
    await context.settled();
    assert.equal(blocks.length, 3);
    context.invalidate();
    context.update(other.doc, other.end);
    await context.settled();
    assert.equal(blocks.length, 4, 'after a save');
  });

  test('keystrokes while a gathering runs queue nothing more for the same region', async () => {
    const { sources, context, blocks } = setup(files);
    sources.declared.set('add', ['src/b.ts', 0]);
    let release!: () => void;
    sources.hold = new Promise((resolve) => { release = resolve; });
    let { doc, end } = documentOf(text);
    context.update(doc, end);
    for (const typed of ['a', 'ab', 'abc']) {
      ({ doc, end } = documentOf(text + typed));
      context.update(doc, end);
    }
    release();
    await context.settled();
    assert.equal(blocks.length, 1);
  });
});

describe('CrossFileContext: off the hot path', () => {
  test('update reads only the lines near the cursor when no boundary is crossed', async () => {
    const { context } = setup([{ path: 'src/b.ts', text: B_TS }]);
    const lines = Array.from({ length: 100_000 }, (_, i) => `const v${i} = ${i};`);
    const first = documentOf(lines.join('\n'));
    context.update(first.doc, { line: 50_000, character: 0 });
    await context.settled();
    const again = documentOf(lines.join('\n'));
    context.update(again.doc, { line: 50_001, character: 5 });
    assert.ok(again.counter.reads <= 4, `${again.counter.reads} lines read`);
  });

  test('a language server that never answers is given up after LOOKUP_DEADLINE_MS: the other sources are used', async () => {
    const clock = new ManualClock();
    const other = ['function area(width: number, height: number) {', '  return width * height;', '}'].join('\n');
    const { sources, context } = setup([{ path: 'src/shapes.ts', text: other }], { timers: clock });
    sources.hold = new Promise(() => undefined);
    sources.neighbourPaths = ['src/shapes.ts'];
    const { doc, end } = documentOf('const width = 3;\nconst height = area(width, 4);\n');
    context.update(doc, end);
    await flush();
    assert.equal(context.busy, true);
    await clock.advanceTo(LOOKUP_DEADLINE_MS - 1);
    assert.equal(context.busy, true);
    await clock.advanceTo(LOOKUP_DEADLINE_MS);
    await context.settled();
    assert.ok(context.blockFor(doc.key).text.startsWith('// Path: src/shapes.ts\n'));
  });

  test('a source that throws gives no block and no unhandled rejection', async () => {
    const { sources, context } = setup([{ path: 'src/b.ts', text: B_TS }]);
    sources.neighbours = () => { throw new Error('boom'); };
    const { doc, end } = documentOf('const width = 3;\n');
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key), EMPTY_BLOCK);
  });
});

describe('CrossFileContext: imports by use', () => {
  test('of many imported names, those used above the cursor come first (nearest the code)', async () => {
    const types = ['export interface Alpha {', '  a: number;', '}', 'export interface Beta {', '  b: string;', '}',
      'export interface Gamma {', '  g: boolean;', '}'].join('\n');
    const { context } = setup([{ path: 'src/types.ts', text: types }]);
    const { doc, end } = documentOf("import { Alpha, Beta, Gamma } from './types';\n\nfunction f(g: Gamma) {\n  return ");
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key).text,
      '// Path: src/types.ts\n// export interface Beta {\n//   b: string;\n// }\n' +
      '// Path: src/types.ts\n// export interface Alpha {\n//   a: number;\n// }\n' +
      '// Path: src/types.ts\n// export interface Gamma {\n//   g: boolean;\n// }\n');
  });
});

describe('CrossFileContext: Python imports', () => {
  test('`from . import shapes` follows the submodule; `from .geometry import area` the name in the module', async () => {
    const shapes = 'class Square:\n    def __init__(self, side):\n        self.side = side\n';
    const geometry = 'import math\n\ndef area(width, height):\n    return width * height\n\ndef unused():\n    pass\n';
    const sources = new MemorySources([
      { path: 'pkg/shapes.py', text: shapes, languageId: 'python' },
      { path: 'pkg/geometry.py', text: geometry, languageId: 'python' },
    ]);
    const context = new CrossFileContext({ sources, budget: () => 1000, log: silentLogger, timers: realTimers });
    const { doc, end } = documentOf('from . import shapes\nfrom .geometry import area\n\nx = ',
      'file:///ws/pkg/main.py', 'pkg/main.py', 'python');
    context.update(doc, end);
    await context.settled();
    assert.equal(context.blockFor(doc.key).text,
      '# Path: pkg/geometry.py\n# def area(width, height):\n#     return width * height\n' +
      '# Path: pkg/shapes.py\n# class Square:\n#     def __init__(self, side):\n#         self.side = side\n');
  });
});

describe('CrossFileContext: a file opened at its top', () => {
  test('a block made with no code above the cursor is made again once the cursor moves down', async () => {
    const other = ['function area(width: number, height: number) {', '  return width * height;', '}'].join('\n');
    const { sources, context, blocks } = setup([{ path: 'src/shapes.ts', text: other }]);
    sources.neighbourPaths = ['src/shapes.ts'];
    const { doc } = documentOf('const width = 3;\nconst height = 4;\nconst a = \n');
    context.update(doc, { line: 0, character: 0 });
    await context.settled();
    assert.equal(context.blockFor(doc.key), EMPTY_BLOCK, 'nothing above the cursor to rank by');
    context.update(doc, { line: 0, character: 5 });
    await context.settled();
    assert.equal(blocks.length, 1, 'the same line: no boundary');
    context.update(doc, { line: 2, character: 10 });
    await context.settled();
    assert.equal(blocks.length, 2);
    assert.ok(context.blockFor(doc.key).text.startsWith('// Path: src/shapes.ts\n'));
    context.update(doc, { line: 3, character: 0 });
    await context.settled();
    assert.equal(blocks.length, 2, 'made with code above: moving down within the region is no boundary');
  });
});
