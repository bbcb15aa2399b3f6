// Soak: 10,000 completions through the real engine with random faults mixed in (seeded), on a
// simulated clock for the engine (back-offs and probes) over real HTTP. Checks that the heap and
// the open sockets stay bounded, that no timer is left behind, and that every request the fake
// server saw ended as completed, aborted or failed.

import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { CompletionCache } from '../../src/completion/completionCache';
import { seededRandom } from '../support/seededRandom';
import { FakeDocument } from '../support/fakeDocument';
import {
  clearEncoderCache, outcomeOf, type GenerateScript, type RecordedRequest, type RequestOutcome,
} from '../support/fakeOllama';
import { until } from '../support/until';
import { ManualClock, rig, settleWithin, unhandled } from './harness';

const COMPLETIONS = Number(process.env.SOAK_COMPLETIONS) || 10_000;
const CHECKPOINT = 1_000;
const STEP_MS = 100; // simulated time between keystrokes
const MB = 1024 * 1024;
/** Shorter deadlines than the suite's: a hang costs 150 ms of real time here. */
const SOAK_TIMEOUTS = { headersMs: 150, idleMs: 150 };

type FaultKind = 'none' | 'status500' | 'status503' | 'status400' | 'status404' | 'errorLine' | 'malformed' | 'utf8'
  | 'html' | 'destroy' | 'hangHeaders' | 'hangMid' | 'bigToken' | 'slowFirst';
/** Relative weights: about 6% of requests get a fault. */
const FAULTS: [FaultKind, number][] = [
  ['none', 940], ['status500', 6], ['status503', 6], ['status400', 4], ['status404', 2], ['errorLine', 6], ['malformed', 5],
  ['utf8', 5], ['html', 4], ['destroy', 4], ['hangHeaders', 3], ['hangMid', 3], ['bigToken', 2], ['slowFirst', 10],
];
const TOTAL_WEIGHT = FAULTS.reduce((n, [, w]) => n + w, 0);

function scriptFor(kind: FaultKind, n: number): GenerateScript {
  const tokens = [` v${n}`, ' + 1', '\n'];
  switch (kind) {
    case 'none': return { tokens };
    case 'status500': return { status: 500, error: 'CUDA error: out of memory' };
    case 'status503': return { status: 503, error: 'server busy, please try again.  maximum pending requests exceeded' };
    case 'status400': return { status: 400, error: 'the input length exceeds the context length' };
    case 'status404': return { status: 404, error: 'model "codellama:7b-code" not found, try pulling it first' };
    case 'errorLine': return { tokens, errorAfterTokens: { count: 1, error: 'runner crashed' } };
    case 'malformed': return { tokens, malformedLineAfterTokens: 1 };
    case 'utf8': return { tokens, invalidUtf8AfterTokens: 1 };
    case 'html': return { htmlError: { status: 502 } };
    case 'destroy': return { tokens, destroyAfterTokens: 1 };
    case 'hangHeaders': return { hangBeforeHeaders: true };
    case 'hangMid': return { tokens: tokens.slice(0, 1), neverEnd: true };
    case 'bigToken': return { tokens: ['x'.repeat(MB)] };
    case 'slowFirst': return { tokens, timeToFirstTokenMs: 40 };
  }
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, 'run with node --expose-gc (npm run test:faults does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Checkpoint { completions: number; heapMB: number; cacheMB: number; fakeSockets: number; processSockets: number; timers: number }
const checkpoints: Checkpoint[] = [];
const tally: Record<RequestOutcome, number> = { completed: 0, aborted: 0, failed: 0, open: 0 };
const byFault = new Map<string, Record<RequestOutcome, number>>();
let served = 0;
let injected = 0;

after(() => {
  console.log(`\nSoak: ${COMPLETIONS} completions, ${served} served, ${injected} faults injected`);
  console.table(checkpoints);
  console.log('Requests at the fake server by outcome:', tally);
  console.table(Object.fromEntries(byFault));
});

it(`soak: ${COMPLETIONS} completions with random faults`, { timeout: 240_000 }, async () => {
  const clock = new ManualClock();
  const timersBefore = timeouts();
  const cache = new CompletionCache(); // the engine's, measured here
  const r = await rig({ timers: clock, latency: { timeToFirstTokenMs: 0, perTokenMs: 0 }, timeouts: SOAK_TIMEOUTS, cache });
  const random = seededRandom(20261126);
  const faultOf = new WeakMap<object, FaultKind>();
  let n = 0;
  r.fake.generate = (body) => {
    let pick = random() * TOTAL_WEIGHT;
    const kind = FAULTS.find(([, w]) => (pick -= w) < 0)![0];
    faultOf.set(body, kind);
    if (kind !== 'none') injected++;
    if (kind === 'status404') { // the model is there again for the recheck (/api/tags) a few seconds later
      return scriptFor(kind, n);
    }
    return scriptFor(kind, n++);
  };
  /** Fold finished requests into the tally and drop them (their prompts would fill the heap). */
  const account = () => {
    const keep: RecordedRequest[] = [];
    for (const q of r.fake.requests) {
      const outcome = outcomeOf(q);
      if (outcome === 'open') { keep.push(q); continue; }
      if (q.path !== '/api/generate') continue;
      tally[outcome]++;
      const kind = faultOf.get(q.body) ?? 'rejected before the script';
      const row = byFault.get(kind) ?? { completed: 0, aborted: 0, failed: 0, open: 0 };
      row[outcome]++;
      byFault.set(kind, row);
      // What each fault must end as, at the server.
      if (kind === 'none' || kind === 'slowFirst') assert.notEqual(outcome, 'failed', `#${q.id} ${kind}`);
      if (kind.startsWith('status') || kind === 'html' || kind === 'errorLine' || kind === 'destroy') {
        assert.notEqual(outcome, 'completed', `#${q.id} ${kind}`);
      }
      if (kind === 'hangHeaders' || kind === 'hangMid') assert.equal(outcome, 'aborted', `#${q.id} ${kind}`);
    }
    r.fake.requests.length = 0;
    r.fake.requests.push(...keep);
    clearEncoderCache(); // the fake's, not the extension's
    r.states.length = 0;
    r.problems.length = 0;
    r.notices.length = 0;
  };
  const quiet = async () => {
    await until(() => r.fake.inFlight() === 0, 5000, 'no request in flight');
    account();
  };
  const checkpoint = async (completions: number) => {
    await quiet();
    checkpoints.push({
      completions,
      heapMB: +(heapAfterGc() / MB).toFixed(2),
      cacheMB: +(cache.bytes / MB).toFixed(2),
      fakeSockets: r.fake.openSockets,
      processSockets: sockets(),
      timers: timeouts(),
    });
  };

  const settled = () => clock.pending > 0 || r.engine.state.kind !== 'unreachable';
  const doc = new FakeDocument('import math\n\ndef area(r):\n    return math.pi * r * r\n\nx = █\n');
  let previous: AbortController | undefined;
  for (let i = 1; i <= COMPLETIONS; i++) {
    await clock.advanceTo(i * STEP_MS, settled);
    previous?.abort();
    if (i % 40 === 0) doc.type('\nx = ');
    else doc.type('abcdefghij'[Math.floor(random() * 10)]);
    const controller = new AbortController();
    previous = controller;
    const call = r.engine.complete(doc.request(), controller.signal);
    // One keystroke in five comes before the answer: VS Code cancels the call.
    if (random() < 0.2) {
      await tick();
      controller.abort();
    }
    const [got] = await settleWithin([call], 5000);
    if (got.length > 0) served++;
    if (i === CHECKPOINT || i === COMPLETIONS) await checkpoint(i);
    else if (i % 500 === 0) await quiet();
  }
  previous?.abort();
  // The cache's real footprint: the heap with it emptied (it is bounded by design, not a leak).
  const withCache = heapAfterGc();
  cache.clear();
  const withoutCache = heapAfterGc();
  const cacheHeldMB = (withCache - withoutCache) / MB;
  await until(() => r.fake.inFlight() === 0, 5000, 'no request in flight');
  await r.dispose();
  // At once, not polled: a deadline timer left behind by a finished request would still be here.
  const timersAfter = timeouts();
  assert.equal(timersAfter, timersBefore, 'timers left after dispose');

  const [first, last] = checkpoints;
  const heapGrowth = (last.heapMB - first.heapMB) * MB;
  const cacheGrowth = (last.cacheMB - first.cacheMB) * MB;
  console.log(`heap growth 1,000 → ${COMPLETIONS}: ${(heapGrowth / MB).toFixed(2)} MB; the completion cache counts ` +
    `${(cacheGrowth / MB).toFixed(2)} MB more against its 8 MB bound and holds ${cacheHeldMB.toFixed(2)} MB of heap; ` +
    `timers before ${timersBefore}, after dispose ${timersAfter}`);
  // Everything but the completion cache: the heap at the end with the cache emptied, against the
  // heap after 1,000 (its cache, then ~0.5 MB, included).
  const leaked = withoutCache - first.heapMB * MB;
  console.log(`heap at ${COMPLETIONS} with the cache emptied minus heap at ${CHECKPOINT}: ${(leaked / MB).toFixed(2)} MB`);
  assert.ok(leaked < 10 * MB, `heap grew ${(leaked / MB).toFixed(2)} MB beyond the cache`);
  assert.ok(last.cacheMB <= 8, 'the cache keeps to its bound');
  assert.ok(cacheHeldMB < 12, `the cache holds ${cacheHeldMB.toFixed(2)} MB of heap for its nominal 8 MB`);
  assert.ok(last.fakeSockets <= 4 && first.fakeSockets <= 4, `open sockets at the server: ${first.fakeSockets}, ${last.fakeSockets}`);
  assert.ok(last.processSockets <= first.processSockets + 2, `process sockets: ${first.processSockets} → ${last.processSockets}`);
  assert.equal(tally.open, 0);
  assert.equal(tally.completed + tally.aborted + tally.failed, [...byFault.values()]
    .reduce((n, row) => n + row.completed + row.aborted + row.failed, 0));
  // Every fault kind came up, and the engine kept serving between them (back-offs and outages,
  // simulated, keep some keystrokes from asking at all).
  assert.deepEqual([...byFault.keys()].sort(), FAULTS.map(([k]) => k).sort());
  assert.ok(tally.failed > 0 && tally.aborted > 0 && tally.completed > COMPLETIONS / 3, JSON.stringify(tally));
  assert.ok(served > COMPLETIONS / 3, `served ${served}`);
  assert.deepEqual(unhandled, []);
});
