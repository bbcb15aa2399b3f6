// Ranking other files' windows by Jaccard similarity of identifier sets: the best window, ties to
// the earliest, sliding by a step, short files, and no shared identifier at all.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identifierSet } from '../../src/crossFile/identifiers';
import { bestWindow, jaccard, WINDOW_LINES } from '../../src/crossFile/similarWindows';
import { seededRandom } from '../support/seededRandom';

const set = (...names: string[]) => new Set(names);

/** `count` lines of filler names that no query below uses (`v`: no keyword such as `f32` among them). */
function filler(count: number, tag = 'v'): string[] {
  return Array.from({ length: count }, (_, i) => `${tag}${i} = ${tag}${i + 1000}`);
}

describe('jaccard', () => {
  it('is |a ∩ b| / |a ∪ b|, symmetric, 0 for two empty sets', () => {
    assert.equal(jaccard(set('a', 'b', 'c'), set('b', 'c', 'd')), 2 / 4);
    assert.equal(jaccard(set('b', 'c', 'd'), set('a', 'b', 'c')), 2 / 4);
    assert.equal(jaccard(set('a'), set('a')), 1);
    assert.equal(jaccard(set('a'), set('b')), 0);
    assert.equal(jaccard(set(), set('b')), 0);
    assert.equal(jaccard(set(), set()), 0);
  });
});

describe('bestWindow', () => {
  it('finds the window with the most identifiers in common, relative to its size', () => {
    const lines = [...filler(100), 'total = price * quantity', 'discount = total * rate', ...filler(100, 'w')];
    const query = identifierSet('const total = price * quantity - discount;');
    const match = bestWindow(lines, query, 10);
    // Windows holding both lines have all 4 names of the query, `rate` and 16 filler names; the
    // window [91,101) has 3 of them and 18 filler names.
    assert.deepEqual(match, { start: 92, end: 102, score: 4 / 21 });
    assert.equal(jaccard(identifierSet(lines.slice(91, 101).join('\n')), query), 3 / 22);
  });

  it('prefers fewer unrelated names around the same shared ones', () => {
    const lines = ['alpha beta', 'x1 x2 x3 x4', 'x5 x6 x7 x8', 'y1', 'alpha beta', 'y2', 'y3'];
    // Windows of 3: [0,3) has alpha, beta and 8 others; [2,5) 5 others; [3,6) and [4,7) 2 others.
    assert.deepEqual(bestWindow(lines, set('alpha', 'beta'), 3), { start: 3, end: 6, score: 2 / 4 });
  });

  it('ties go to the earliest window', () => {
    const lines = ['a b', 'c', 'a b', 'c', 'a b'];
    assert.deepEqual(bestWindow(lines, set('a', 'b'), 1), { start: 0, end: 1, score: 1 });
    assert.deepEqual(bestWindow(lines, set('a', 'b', 'c'), 2), { start: 0, end: 2, score: 1 });
  });

  it('a file shorter than a window is one window', () => {
    assert.deepEqual(bestWindow(['a', 'b z', 'c'], set('z', 'q')), { start: 0, end: 3, score: 1 / 5 });
    assert.equal(WINDOW_LINES, 60);
    const lines = [...filler(59), 'needle'];
    assert.deepEqual(bestWindow(lines, set('needle')), { start: 0, end: 60, score: 1 / 119 });
  });

  it('is undefined when no window shares an identifier, for an empty file and for an empty query', () => {
    assert.equal(bestWindow(filler(200), set('needle')), undefined);
    assert.equal(bestWindow([], set('needle')), undefined);
    assert.equal(bestWindow(['needle'], set()), undefined);
    // Keywords are no identifiers, so they share nothing.
    assert.equal(bestWindow(['return this;'], set('return', 'this')), undefined);
  });

  it('slides by step; the last window ends at the end of the file', () => {
    const lines = [...filler(13), 'needle', ...filler(6, 'w')]; // 20 lines, needle on line 13
    // Windows of 5 by 4: [0,5) [4,9) [8,13) [12,17) [15,20); needle is in [12,17) and [15,20).
    assert.deepEqual(bestWindow(lines, set('needle'), 5, 4), { start: 12, end: 17, score: 1 / 9 });
    // By 10: [0,5) [10,15) [15,20).
    assert.deepEqual(bestWindow(lines, set('needle'), 5, 10), { start: 10, end: 15, score: 1 / 9 });
    const tail = [...filler(18), 'needle', 'w0'];
    // By 10: [0,5) [10,15) and the last, [15,20), which alone holds line 18.
    assert.deepEqual(bestWindow(tail, set('needle'), 5, 10), { start: 15, end: 20, score: 1 / 8 });
  });

  it('counts a name once however often it occurs in the window, and forgets it when its last line leaves', () => {
    const lines = ['a', 'a', 'a b', 'c', 'c', 'c'];
    // [0,3) is {a,b}; [1,4) and [2,5) {a,b,c}; [3,6) only {c} once a's last line has left.
    assert.deepEqual(bestWindow(lines, set('a', 'b'), 3), { start: 0, end: 3, score: 1 });
    assert.deepEqual(bestWindow(lines, set('c'), 3), { start: 3, end: 6, score: 1 });
    assert.deepEqual(bestWindow(lines, set('a', 'c'), 3), { start: 1, end: 4, score: 2 / 3 });
  });

  it('agrees with a direct Jaccard of every window (seeded random files)', () => {
    const random = seededRandom(14);
    const words = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'if', 'return', 'x1', 'y2'];
    for (let round = 0; round < 40; round++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 40) },
        () => Array.from({ length: Math.floor(random() * 4) }, () => words[Math.floor(random() * words.length)]).join(' '));
      const query = set(...words.filter(() => random() < 0.3));
      const size = 1 + Math.floor(random() * 12);
      const step = 1 + Math.floor(random() * 5);
      let expected: { start: number; end: number; score: number } | undefined;
      const last = Math.max(0, lines.length - size);
      for (let start = 0; ; start = Math.min(start + step, last)) {
        const end = Math.min(start + size, lines.length);
        const score = jaccard(identifierSet(lines.slice(start, end).join('\n')), query);
        if (score > 0 && (expected === undefined || score > expected.score)) expected = { start, end, score };
        if (start === last) break;
      }
      assert.deepEqual(bestWindow(lines, query, size, step), expected, `round ${round}`);
    }
  });

  it('takes linear time: 200,000 lines in well under a second', () => {
    const lines = filler(200_000);
    const started = performance.now();
    // v100500 is on line 100500 and (as 99500 + 1000) on line 99500: the first window holding it starts at 99441.
    assert.deepEqual(bestWindow(lines, set('v100500')), { start: 99_441, end: 99_501, score: 1 / 120 });
    assert.ok(performance.now() - started < 5000);
  });
});
