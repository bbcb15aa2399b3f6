// Shared rig of the fault suite: the real CompletionEngine, built as src/extension.ts builds it,
// against the fake Ollama over real HTTP, with the notification policy the extension uses.
// Not a test file itself (no `.test.ts`): the suite's files import it.

import assert from 'node:assert/strict';
import { setTimeout as pause } from 'node:timers/promises';
import type { EngineState } from '../../src/completion/completionEngine';
import { NoticePolicy, type Notice } from '../../src/completion/notices';
import type { StreamTimeouts } from '../../src/ollama/client';
export { ManualClock } from '../support/manualClock';
import type { Logger } from '../../src/util/log';
import { engineRig, type EngineRig, type EngineRigOptions } from '../support/engineRig';
import { never } from '../support/never';
import type { FakeDocument } from '../support/fakeDocument';

/**
 * The deadlines under test, shortened so a hang costs seconds, not the real 30 s / 10 s
 * (COMPLETION_TIMEOUTS) or 120 s / 30 s (EXPLAIN_TIMEOUTS): the mechanism is the same.
 */
export const TEST_TIMEOUTS: StreamTimeouts = { headersMs: 1500, idleMs: 1000 };
/** How long any complete() may take to settle in these tests: the header deadline and some. */
export const SETTLE_MS = TEST_TIMEOUTS.headersMs + 3000;

/** Every unhandled rejection of the process, collected (a test asserts there are none). */
export const unhandled: unknown[] = [];
export { never };
process.on('unhandledRejection', (reason) => unhandled.push(reason));

export interface Rig extends EngineRig {
  /** Every state the engine went through (what the status bar showed). */
  readonly states: EngineState[];
  /** The notifications the extension would show. */
  readonly notices: Notice[];
  /** Log lines at warn and error level. */
  readonly problems: string[];
}

/** An engine rig (no host blocked, TEST_TIMEOUTS unless given) that records states, notices and problems. */
export async function rig(options: Pick<EngineRigOptions, 'timers' | 'latency' | 'timeouts' | 'cache'> = {}): Promise<Rig> {
  const problems: string[] = [];
  const log: Logger = {
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => problems.push(`warn: ${m}`),
    error: (m) => problems.push(`error: ${m}`),
  };
  const base = await engineRig({ ...options, log, blockedReason: () => undefined, timeouts: options.timeouts ?? TEST_TIMEOUTS });
  const states: EngineState[] = [];
  base.engine.onState((s) => states.push(s));
  const notices: Notice[] = [];
  const subscription = new NoticePolicy((n) => notices.push(n)).attach(base.engine);
  const disposeBase = base.dispose.bind(base);
  return Object.assign(base, {
    states,
    notices,
    problems,
    async dispose() {
      subscription.dispose();
      await disposeBase();
    },
  });
}

/** Resolve with the values of `calls`, or fail if any has not settled within `ms` (a hang). */
export async function settleWithin<T>(calls: readonly Promise<T>[], ms = SETTLE_MS): Promise<T[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`complete() did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.all(calls), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Type `keys` one at a time as a user would (a keystroke every `gapMs`), each keystroke cancelling
 * the previous provider call's signal as VS Code does. The last call is not cancelled. Returns the
 * results of every call once all settled.
 */
export async function typeKeys(r: Rig, doc: FakeDocument, keys: string, gapMs = 15): Promise<string[][]> {
  const calls: Promise<string[]>[] = [];
  let previous: AbortController | undefined;
  for (const key of keys) {
    previous?.abort();
    doc.type(key);
    previous = new AbortController();
    calls.push(r.engine.complete(doc.request(), previous.signal));
    await pause(gapMs); // the typist's rhythm, not a synchronisation
  }
  return settleWithin(calls);
}

/** Keep typing (a key per round) until a completion is served; returns it. */
export async function typeUntilServed(r: Rig, doc: FakeDocument, timeoutMs = 8000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [got] = await settleWithin([r.engine.complete(doc.type(' ').request(), never)]);
    if (got.length > 0) return got;
    if (Date.now() > deadline) throw new Error(`no completion served within ${timeoutMs} ms; state ${JSON.stringify(r.engine.state)}`);
    await pause(50);
  }
}

/** Resolves when the engine is in a state of `kind` (now or later), or fails after `timeoutMs`. */
export function stateBecomes(r: Rig, kind: EngineState['kind'], timeoutMs = 8000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (r.engine.state.kind === kind) return resolve();
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`state did not become ${kind} within ${timeoutMs} ms (it is ${JSON.stringify(r.engine.state)})`));
    }, timeoutMs);
    const sub = r.engine.onState((s) => {
      if (s.kind !== kind) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** What holds after every fault: nothing unhandled, nothing stuck, nothing left open at the server. */
export async function assertHealthy(r: Rig): Promise<void> {
  assert.deepEqual(unhandled, [], 'unhandled rejections');
  assert.notEqual(r.engine.state.kind, 'generating', 'stuck in "generating"');
  await r.fake.waitFor(() => r.fake.inFlight('/api/generate') === 0, 3000);
  assert.deepEqual(r.problems.filter((p) => p.startsWith('error: completion failed')), [], 'complete() threw inside');
}

/** The notices shown, per distinct problem: each at most once. */
export function assertOncePerProblem(notices: readonly Notice[]): void {
  const keys = notices.map((n) => JSON.stringify(n));
  assert.equal(new Set(keys).size, keys.length, `a notification repeated: ${keys.join(', ')}`);
}

/** One line of the figures table printed at the end of a file (for the closing note). */
export interface Figure {
  case: string;
  survived: boolean;
  notifications: number;
  /** Generate requests that reached the server during the fault (aborted ones included). */
  requests?: number;
  /** Connection attempts at the socket per minute while the server was dead. */
  deadPerMinute?: string;
  /** Connection attempts at the socket in the first 20 s from the failure. */
  first20s?: number;
  /** From the server returning (or being fixed) to a completion served. */
  recoveryMs?: number;
}

export const figures: Figure[] = [];

export function printFigures(title: string): void {
  const rows = figures.map((f) => ({
    case: f.case, survived: f.survived ? 'yes' : 'NO', notifications: f.notifications,
    requests: f.requests ?? '', 'dead-server attempts/min': f.deadPerMinute ?? '',
    'first 20 s': f.first20s ?? '',
    'recovery ms': f.recoveryMs === undefined ? '' : Math.round(f.recoveryMs),
  }));
  console.log(`\n${title}`);
  console.table(rows);
}
