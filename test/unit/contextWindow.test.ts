import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HEADROOM, PREFIX_SHARE, selectWindow, type ContextWindow, type Cursor, type WindowEdges,
} from '../../src/completion/contextWindow';
import type { LineSource } from '../../src/text/lineSource';
import { spmPrompt, buildFimPrompt } from '../../src/completion/fimPrompt';
import { estimateLineTokens, estimateTokens } from '../../src/text/tokenEstimate';
import { CountingLines } from '../support/countingLines';
import { seededRandom } from '../support/seededRandom';

/** A document over an array that counts every lineAt call. */
const WORDS = ['const', 'x', '=', 'foo(bar);', 'return', 'if', '(a', '&&', 'b)', '{', '}', 'naïve', 'größe', '😀', '漢字',
  'value_2', '$el', '"str"', '//', 'comment', '=>', 'self.items[i]', '+=', '1;'];

function codeLine(r: () => number, long = true): string {
  const roll = r();
  if (roll < 0.06) return '';
  const target = long && roll > 0.99 ? 200 + Math.floor(r() * 1300) : Math.floor(r() * 70);
  let line = ' '.repeat(Math.floor(r() * 4) * 2);
  while (line.length < target) line += WORDS[Math.floor(r() * WORDS.length)] + ' ';
  return line.trimEnd();
}

function makeDoc(lines: number, seed: number, long = true): string[] {
  const r = seededRandom(seed);
  return Array.from({ length: lines }, () => codeLine(r, long));
}

function lastLineOf(doc: LineSource, w: ContextWindow): number {
  return doc.lineCount - 1 - w.edges.linesAfterEnd;
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** VS Code never places the cursor inside a surrogate pair. */
function notInsidePair(text: string, character: number): number {
  const c = text.charCodeAt(character);
  return character > 0 && c >= 0xdc00 && c <= 0xdfff ? character - 1 : character;
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The invariants every window must satisfy. */
function checkWindow(lines: string[], cursor: Cursor, budget: number, w: ContextWindow, label: string): void {
  const doc = new CountingLines(lines);
  const lineText = lines[cursor.line];
  const before = lineText.slice(0, cursor.character);
  const after = lineText.slice(cursor.character);
  assert.ok(estimateTokens(w.prefix) + estimateTokens(w.suffix) <= budget,
    `${label}: ${estimateTokens(w.prefix)} + ${estimateTokens(w.suffix)} > ${budget}`);
  assert.ok(w.prefixTokens + w.suffixTokens <= budget, `${label}: reported tokens over budget`);
  assert.ok(before.endsWith(w.linePrefix), `${label}: linePrefix is the end of the text before the cursor`);
  assert.ok(after.startsWith(w.lineSuffix), `${label}: lineSuffix is the start of the text after the cursor`);
  assert.ok(!hasLoneSurrogate(w.prefix) && !hasLoneSurrogate(w.suffix), `${label}: lone surrogate`);
  const first = w.edges.firstLine;
  const last = lastLineOf(doc, w);
  assert.ok(first <= cursor.line && cursor.line <= last, `${label}: edges ${first}..${last} around ${cursor.line}`);
  if (w.linePrefix === before) {
    // Cut at a line boundary: the prefix is whole lines from `first` up to the cursor.
    assert.equal(w.prefix, [...lines.slice(first, cursor.line), before].join('\n'), `${label}: prefix`);
  } else {
    assert.equal(w.prefix, w.linePrefix, `${label}: a cut cursor line leaves no room for lines above`);
  }
  if (w.lineSuffix === after) {
    assert.equal(w.suffix, [after, ...lines.slice(cursor.line + 1, last + 1)].join('\n'), `${label}: suffix`);
  } else {
    assert.equal(w.suffix, w.lineSuffix, `${label}: a cut cursor line leaves no room for lines below`);
  }
}

describe('selectWindow: small documents fit whole', () => {
  const lines = ['function add(a, b) {', '  return a + b;', '}', ''];

  test('exact prefix and suffix around the cursor', () => {
    const doc = new CountingLines(lines);
    const w = selectWindow(doc, { line: 1, character: 9 }, 1000);
    assert.equal(w.prefix, 'function add(a, b) {\n  return ');
    assert.equal(w.suffix, 'a + b;\n}\n');
    assert.equal(w.linePrefix, '  return ');
    assert.equal(w.lineSuffix, 'a + b;');
    assert.deepEqual(w.edges, { firstLine: 0, linesAfterEnd: 0 });
    assert.equal(w.prefixTokens, estimateLineTokens('function add(a, b) {') + estimateTokens('  return '));
    assert.equal(w.suffixTokens, estimateTokens('a + b;') + estimateLineTokens('}') + estimateLineTokens(''));
    assert.ok(doc.reads <= 3 * lines.length + 1, `reads ${doc.reads}`);
  });

  test('cursor at the very start and at the very end', () => {
    const doc = new CountingLines(lines);
    const start = selectWindow(doc, { line: 0, character: 0 }, 1000);
    assert.equal(start.prefix, '');
    assert.equal(start.suffix, lines.join('\n'));
    assert.deepEqual(start.edges, { firstLine: 0, linesAfterEnd: 0 });
    const end = selectWindow(doc, { line: 3, character: 0 }, 1000);
    assert.equal(end.prefix, lines.join('\n'));
    assert.equal(end.suffix, '');
    assert.deepEqual(end.edges, { firstLine: 0, linesAfterEnd: 0 });
  });

  test('one-line and empty documents', () => {
    const one = selectWindow(new CountingLines(['abc']), { line: 0, character: 1 }, 100);
    assert.equal(one.prefix, 'a');
    assert.equal(one.suffix, 'bc');
    const empty = selectWindow(new CountingLines(['']), { line: 0, character: 0 }, 100);
    assert.equal(empty.prefix, '');
    assert.equal(empty.suffix, '');
    assert.deepEqual(empty.edges, { firstLine: 0, linesAfterEnd: 0 });
  });

  test('a window with room to spare near the top lends the unused budget to the other side', () => {
    const doc = makeDoc(2000, 7, false);
    const budget = 2000;
    const w = selectWindow(new CountingLines(doc), { line: 3, character: 0 }, budget);
    assert.equal(w.edges.firstLine, 0);
    assert.ok(w.suffixTokens > budget * (1 - PREFIX_SHARE), `suffix got ${w.suffixTokens}`);
    const bottom = selectWindow(new CountingLines(doc), { line: 1996, character: 0 }, budget);
    assert.equal(bottom.edges.linesAfterEnd, 0);
    assert.ok(bottom.prefixTokens > budget * PREFIX_SHARE * (1 - HEADROOM) - 100, `prefix got ${bottom.prefixTokens}`);
  });
});

describe('selectWindow: bounded work on huge documents', () => {
  const lines = makeDoc(100_000, 1);
  const budget = 3500;

  test('a fresh window reads about the window, not the document', () => {
    for (const line of [0, 1, 50_000, 99_998, 99_999]) {
      const doc = new CountingLines(lines);
      const { value: w, reads } = doc.count(() => selectWindow(doc, { line, character: 0 }, budget));
      const windowLines = lastLineOf(doc, w) - w.edges.firstLine + 1;
      assert.ok(windowLines < 1000, `window of ${windowLines} lines`);
      // fillUp/fillDown read each taken line plus one, and the text is read once more.
      assert.ok(reads <= 3 * windowLines + 6, `line ${line}: ${reads} reads for a ${windowLines}-line window`);
      checkWindow(lines, { line, character: 0 }, budget, w, `line ${line}`);
    }
  });

  test('kept edges and rejected edges also read only about the window', () => {
    const doc = new CountingLines(lines);
    const w0 = selectWindow(doc, { line: 50_000, character: 3 }, budget);
    const windowLines = lastLineOf(doc, w0) - w0.edges.firstLine + 1;
    const kept = doc.count(() => selectWindow(doc, { line: 50_000, character: 4 }, budget, w0.edges));
    assert.deepEqual(kept.value.edges, w0.edges);
    assert.ok(kept.reads <= 2 * windowLines + 2, `kept: ${kept.reads} reads`);
    // Next to the top edge: the kept prefix is too small (MIN_USE), so the edges are recomputed.
    const nearTop = doc.count(() => selectWindow(doc, { line: w0.edges.firstLine + 1, character: 0 }, budget, w0.edges));
    assert.notDeepEqual(nearTop.value.edges, w0.edges);
    assert.ok(nearTop.reads <= 5 * windowLines + 8, `rejected: ${nearTop.reads} reads`);
    const far = doc.count(() => selectWindow(doc, { line: 10, character: 0 }, budget, w0.edges));
    assert.ok(far.reads <= 3 * windowLines + 8, `far: ${far.reads} reads`);
  });

  test('100k empty lines (1 token each): reads stay about the budget', () => {
    const blank = new CountingLines(new Array<string>(100_000).fill(''));
    const { value: w, reads } = blank.count(() => selectWindow(blank, { line: 50_000, character: 0 }, 1000));
    assert.ok(reads <= 3 * 1000 + 6, `${reads} reads`);
    assert.ok(estimateTokens(w.prefix) + estimateTokens(w.suffix) <= 1000);
    assert.ok(w.prefix.length > 500, 'the prefix uses its share');
  });
});

describe('selectWindow: budget and shape (property-style, deterministic)', () => {
  const lines = makeDoc(3000, 42);

  test('fresh windows fit the budget and cut at line boundaries, for many cursors and budgets', () => {
    const r = seededRandom(99);
    let checked = 0;
    for (const budget of [20, 64, 200, 777, 2048, 6000, 30_000]) {
      for (let k = 0; k < 120; k++) {
        const line = Math.floor(r() * lines.length);
        const text = lines[line];
        const character = notInsidePair(text, Math.floor(r() * (text.length + 1)));
        const cursor = { line, character };
        const w = selectWindow(new CountingLines(lines), cursor, budget);
        checkWindow(lines, cursor, budget, w, `budget ${budget} cursor ${line}:${character}`);
        checked++;
      }
    }
    assert.equal(checked, 7 * 120);
  });

  test('the same holds along a random walk that reuses the previous edges and edits the document', () => {
    const doc = makeDoc(3000, 5);
    const r = seededRandom(2024);
    for (const budget of [100, 1500, 4000]) {
      let cursor: Cursor = { line: 1500, character: 0 };
      let previous: WindowEdges | undefined;
      for (let step = 0; step < 400; step++) {
        const roll = r();
        if (roll < 0.4) {
          // type a character at the cursor
          const text = doc[cursor.line];
          doc[cursor.line] = text.slice(0, cursor.character) + 'k' + text.slice(cursor.character);
          cursor = { line: cursor.line, character: cursor.character + 1 };
        } else if (roll < 0.5) {
          // Enter
          const text = doc[cursor.line];
          doc.splice(cursor.line, 1, text.slice(0, cursor.character), text.slice(cursor.character));
          cursor = { line: cursor.line + 1, character: 0 };
        } else if (roll < 0.55) {
          // delete the line below
          if (cursor.line + 1 < doc.length) doc.splice(cursor.line + 1, 1);
        } else if (roll < 0.85) {
          const line = Math.max(0, Math.min(doc.length - 1, cursor.line + Math.floor(r() * 21) - 10));
          cursor = { line, character: notInsidePair(doc[line], Math.min(doc[line].length, cursor.character)) };
        } else {
          const line = Math.floor(r() * doc.length);
          cursor = { line, character: 0 };
        }
        const w = selectWindow(new CountingLines(doc), cursor, budget, previous);
        checkWindow(doc, cursor, budget, w, `budget ${budget} step ${step}`);
        previous = w.edges;
      }
    }
  });

  test('the prefix gets the larger share in the middle of a document', () => {
    const budget = 2000;
    const w = selectWindow(new CountingLines(lines), { line: 1500, character: 0 }, budget);
    assert.ok(w.suffixTokens > 0);
    assert.ok(w.prefixTokens > 2 * w.suffixTokens, `prefix ${w.prefixTokens} vs suffix ${w.suffixTokens}`);
    assert.ok(w.prefixTokens <= Math.floor(budget * PREFIX_SHARE));
  });
});

describe('selectWindow: a giant single line (minified code)', () => {
  // About 1 MB of one line, with emoji (surrogate pairs), accented and CJK characters.
  const unit = 'v.a="é😀漢";f(v);';
  const giant = unit.repeat(Math.ceil(1_000_000 / unit.length));
  const lines = ['// header', giant, 'tail();'];

  test('the cut is inside the line, within budget, and never splits a surrogate pair', () => {
    let cuts = 0;
    for (const budget of [1000, 1001, 1002, 1003, 1004, 1005, 4093, 4096, 9999]) {
      for (const character of [500_000, 500_001, 500_003, 500_004, 500_005, 777_777 - (777_777 % unit.length) + 5]) {
        const doc = new CountingLines(lines);
        const cursor = { line: 1, character };
        const { value: w, reads } = doc.count(() => selectWindow(doc, cursor, budget));
        const label = `budget ${budget} char ${character}`;
        assert.ok(reads <= 5, `${label}: ${reads} reads`);
        assert.ok(!w.prefix.includes('// header') && !w.suffix.includes('tail();'), label);
        assert.ok(w.prefix.length < character, `${label}: cut inside the line`);
        assert.ok(w.suffix.length < giant.length - character, label);
        checkWindow(lines, cursor, budget, w, label);
        const c0 = w.prefix.charCodeAt(0);
        assert.ok(!(c0 >= 0xdc00 && c0 <= 0xdfff), `${label}: prefix starts with a low surrogate`);
        const cn = w.suffix.charCodeAt(w.suffix.length - 1);
        assert.ok(!(cn >= 0xd800 && cn <= 0xdbff), `${label}: suffix ends with a high surrogate`);
        // The cut takes (nearly) all the room there is: the longest tail/head that fits.
        const prefixBudget = Math.floor(budget * PREFIX_SHARE);
        assert.ok(estimateTokens(w.prefix) > prefixBudget - 8, `${label}: prefix ${estimateTokens(w.prefix)}/${prefixBudget}`);
        assert.ok(estimateTokens(w.suffix) > budget - prefixBudget - 8, `${label}: suffix too short`);
        assert.ok(estimateTokens(lines[1].slice(character - w.prefix.length - 2, character)) > prefixBudget,
          `${label}: one more character would not fit`);
        cuts++;
      }
    }
    assert.equal(cuts, 9 * 6);
  });

  test('a giant line above the cursor stops the window there', () => {
    const doc = new CountingLines(['a();', giant, 'b();', 'c();']);
    const w = selectWindow(doc, { line: 3, character: 2 }, 2000);
    assert.equal(w.prefix, 'b();\nc(');
    assert.equal(w.edges.firstLine, 2);
    assert.ok(doc.reads <= 10);
  });
});

describe('selectWindow: stable edges while typing', () => {
  /** Types `keys` at the cursor ('\n' is Enter); checks each step against the previous window. */
  function simulate(lines: string[], start: Cursor, budget: number, keys: string) {
    let cursor = start;
    let w = selectWindow(new CountingLines(lines), cursor, budget);
    let jumps = 0;
    let stableSteps = 0;
    let tokensAtJump = w.prefixTokens + w.suffixTokens;
    const growthBetweenJumps: number[] = [];
    for (const key of keys) {
      const text = lines[cursor.line];
      if (key === '\n') {
        lines.splice(cursor.line, 1, text.slice(0, cursor.character), text.slice(cursor.character));
        cursor = { line: cursor.line + 1, character: 0 };
      } else {
        lines[cursor.line] = text.slice(0, cursor.character) + key + text.slice(cursor.character);
        cursor = { line: cursor.line, character: cursor.character + 1 };
      }
      const doc = new CountingLines(lines);
      const next = selectWindow(doc, cursor, budget, w.edges);
      checkWindow(lines, cursor, budget, next, `after ${JSON.stringify(key)}`);
      const sameEdges = next.edges.firstLine === w.edges.firstLine && next.edges.linesAfterEnd === w.edges.linesAfterEnd;
      if (sameEdges) {
        stableSteps++;
        assert.equal(next.suffix, w.suffix, 'the suffix is identical while the edges stay');
        assert.equal(next.prefix, w.prefix + key, 'the prefix only grows by the typed key');
        const a = spmPrompt(w.prefix, w.suffix);
        const b = spmPrompt(next.prefix, next.suffix);
        assert.ok(commonPrefixLength(a, b) >= a.length, 'the earlier SPM prompt is a prefix of the next one');
        const ha = buildFimPrompt(w.prefix, w.suffix, 'spm').prompt;
        const hb = buildFimPrompt(next.prefix, next.suffix, 'spm').prompt;
        assert.ok(commonPrefixLength(ha, hb) >= ha.length - 2, 'healed prompts share their start too');
      } else {
        jumps++;
        assert.ok(next.edges.firstLine > w.edges.firstLine, 'the top edge jumps down when the prefix outgrows the budget');
        const grown = w.prefixTokens + w.suffixTokens - tokensAtJump;
        growthBetweenJumps.push(grown);
        tokensAtJump = next.prefixTokens + next.suffixTokens;
      }
      w = next;
    }
    return { jumps, stableSteps, growthBetweenJumps, last: w };
  }

  const keys = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += i % 40 === 39 ? '\n' : i % 6 === 5 ? ' ' : 'abcdefghij'[i % 10];
    return s;
  };

  test('typing at the end of a line in the middle of a big document: edges stay, then jump', () => {
    const lines = makeDoc(20_000, 3, false);
    const budget = 2000;
    const { jumps, stableSteps, growthBetweenJumps } = simulate(lines, { line: 10_000, character: lines[10_000].length },
      budget, keys(1500));
    assert.ok(jumps >= 2, `the headroom gets used up (${jumps} jumps)`);
    assert.ok(jumps <= 1500 / 100, `edges jump, not per keystroke (${jumps} jumps)`);
    assert.ok(stableSteps >= 1500 - jumps);
    for (const grown of growthBetweenJumps) {
      assert.ok(grown >= budget * HEADROOM * 0.5, `a jump after only ${grown} tokens of typing`);
    }
  });

  test('typing in the middle of a line (text after the cursor) keeps the suffix identical', () => {
    const lines = makeDoc(5000, 11, false);
    lines[2500] = '    result = compute(alpha, beta);';
    const { jumps, stableSteps } = simulate(lines, { line: 2500, character: 'result = compute('.length + 4 }, 1200,
      'gamma, delta, epsilon, zeta, eta, theta, '.repeat(3));
    assert.ok(stableSteps > 100 && jumps <= 2, `${stableSteps} stable, ${jumps} jumps`);
  });

  test('a cursor jumping far away recomputes the edges from scratch', () => {
    const lines = makeDoc(20_000, 8, false);
    const budget = 2000;
    const w0 = selectWindow(new CountingLines(lines), { line: 10_000, character: 0 }, budget);
    for (const line of [100, 19_990, 15_000, w0.edges.firstLine + 1, lastLineOf(new CountingLines(lines), w0) - 1]) {
      const cursor = { line, character: 0 };
      const kept = selectWindow(new CountingLines(lines), cursor, budget, w0.edges);
      const fresh = selectWindow(new CountingLines(lines), cursor, budget);
      assert.deepEqual(kept, fresh, `line ${line}`);
      assert.notDeepEqual(kept.edges, w0.edges);
    }
    // A small move inside the window keeps them (up: the prefix side is the larger one).
    for (const line of [9_997, 9_999, 10_001]) {
      const near = selectWindow(new CountingLines(lines), { line, character: 0 }, budget, w0.edges);
      assert.deepEqual(near.edges, w0.edges, `line ${line}`);
    }
  });
});
