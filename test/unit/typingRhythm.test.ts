import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { adaptiveDelay, BURST_INTERVAL_MS, delay, isNaturalPause, TypingRhythm } from '../../src/completion/typingRhythm';

describe('adaptiveDelay', () => {
  test('base 0 means no delay, whatever the rhythm', () => {
    assert.equal(adaptiveDelay(0, [], false), 0);
    assert.equal(adaptiveDelay(0, [80, 90, 100], false), 0);
    assert.equal(adaptiveDelay(0, [], true), 0);
    assert.equal(adaptiveDelay(-5, [100], false), 0);
  });

  test('no history: the base', () => {
    assert.equal(adaptiveDelay(60, [], false), 60);
  });

  test('a natural pause halves the base, even inside a burst', () => {
    assert.equal(adaptiveDelay(60, [], true), 30);
    assert.equal(adaptiveDelay(60, [100, 100, 100], true), 30);
    assert.equal(adaptiveDelay(75, [], true), 38);
  });

  test('normal typing (median at or above the burst interval): the base', () => {
    assert.equal(adaptiveDelay(60, [300, 400, 250], false), 60);
    assert.equal(adaptiveDelay(60, [BURST_INTERVAL_MS, BURST_INTERVAL_MS], false), 60);
    // The median of an even count is the upper middle: [100, 200] → 200.
    assert.equal(adaptiveDelay(60, [100, 200], false), 60);
  });

  test('a burst waits about the typist\'s own interval (1.2 × median)', () => {
    // sorted [70, 80, 90, 100] → median 90 → 108
    assert.equal(adaptiveDelay(60, [100, 70, 90, 80], false), 108);
    assert.equal(adaptiveDelay(60, [100], false), 120);
  });

  test('a burst waits at least the base and at most 2.5 × base', () => {
    assert.equal(adaptiveDelay(60, [20, 20, 30], false), 60);
    assert.equal(adaptiveDelay(60, [140, 140, 149], false), 150);
    assert.equal(adaptiveDelay(40, [140], false), 100);
  });

  test('the input array is not reordered', () => {
    const intervals = [100, 70, 90, 80];
    adaptiveDelay(60, intervals, false);
    assert.deepEqual(intervals, [100, 70, 90, 80]);
  });
});

describe('isNaturalPause', () => {
  for (const linePrefix of ['foo();', 'if (x) {', '}', 'call(', 'a,', 'x =', 'obj.', '  ', '', 'items[', '=> ']) {
    test(`pause after ${JSON.stringify(linePrefix)}`, () => assert.equal(isNaturalPause(linePrefix, ''), true));
  }
  for (const linePrefix of ['retu', 'x = 1', 'foo(a']) {
    test(`no pause after ${JSON.stringify(linePrefix)}`, () => assert.equal(isNaturalPause(linePrefix, ''), false));
  }
  test('text after the cursor is never a natural pause', () => {
    assert.equal(isNaturalPause('foo(', ')'), false);
    assert.equal(isNaturalPause('', 'x'), false);
    assert.equal(isNaturalPause('foo(', '   '), true);
  });
});

describe('TypingRhythm', () => {
  test('records the intervals between keystrokes', () => {
    const r = new TypingRhythm();
    assert.deepEqual(r.recent(), []);
    r.note(1000);
    assert.deepEqual(r.recent(), []);
    r.note(1100);
    r.note(1250);
    assert.deepEqual([...r.recent()], [100, 150]);
  });

  test('keeps the last four intervals', () => {
    const r = new TypingRhythm();
    for (const t of [0, 10, 30, 60, 100, 150, 210]) r.note(t);
    assert.deepEqual([...r.recent()], [30, 40, 50, 60]);
  });

  test('a gap over 2 s starts a new rhythm', () => {
    const r = new TypingRhythm();
    for (const t of [0, 50, 100, 150]) r.note(t);
    assert.deepEqual([...r.recent()], [50, 50, 50]);
    r.note(2151); // 2001 ms later
    assert.deepEqual([...r.recent()], []);
    r.note(2251);
    assert.deepEqual([...r.recent()], [100]);
  });

  test('a gap of exactly 2 s still counts', () => {
    const r = new TypingRhythm();
    r.note(0);
    r.note(2000);
    assert.deepEqual([...r.recent()], [2000]);
  });
});

describe('delay', () => {
  test('an already aborted signal resolves false at once', async () => {
    const c = new AbortController();
    c.abort();
    assert.equal(await delay(60_000, c.signal), false);
    assert.equal(await delay(0, c.signal), false);
  });

  test('aborting while waiting resolves false at once and clears the timer', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const c = new AbortController();
    let settled: boolean | undefined;
    const p = delay(60_000, c.signal).then((v) => (settled = v));
    t.mock.timers.tick(59_999);
    await Promise.resolve();
    assert.equal(settled, undefined, 'still waiting');
    c.abort();
    assert.equal(await p, false);
    assert.equal(getEventListeners(c.signal, 'abort').length, 0);
  });

  test('resolves true after the full time and removes its abort listener', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const c = new AbortController();
    let settled: boolean | undefined;
    const p = delay(100, c.signal).then((v) => (settled = v));
    assert.equal(getEventListeners(c.signal, 'abort').length, 1);
    t.mock.timers.tick(99);
    await Promise.resolve();
    assert.equal(settled, undefined);
    t.mock.timers.tick(1);
    assert.equal(await p, true);
    assert.equal(getEventListeners(c.signal, 'abort').length, 0);
    c.abort(); // too late to matter
    assert.equal(settled, true);
  });

  test('zero or negative time resolves true without a timer', async () => {
    const c = new AbortController();
    assert.equal(await delay(0, c.signal), true);
    assert.equal(await delay(-1, c.signal), true);
    assert.equal(getEventListeners(c.signal, 'abort').length, 0);
  });
});
