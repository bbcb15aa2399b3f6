// Replays a typing trace in real time against the real CompletionEngine (or the naive baseline) and
// a fake Ollama that answers the true continuation at a set latency, driving it as VS Code does: on
// every keystroke the previous provider call is cancelled (its AbortSignal aborts) and a new one
// is made. Records every keystroke (what was visible, when) and every request (who sent it, what it
// served, how it ended, from the fake's own log).

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompletionCache, type CacheEntry } from '../src/completion/completionCache';
import { CompletionEngine } from '../src/completion/completionEngine';
import { psmPrompt, spmPrompt } from '../src/completion/fimPrompt';
import { settingsFrom } from '../src/settings/settings';
import { silentLogger } from '../src/util/log';
import { FakeDocument } from '../test/support/fakeDocument';
import { FakeOllama, loadEncoder } from '../test/support/fakeOllama';
import { fileKey } from './packageSources';
import { asCall, instrumentFetch, observeCache, type Observer } from './instrument';
import { naiveComplete } from './naive';
import { oracleScript, promptPrefixOf, trueAnswer, type Pieces } from './oracle';
import { benchLanguage, ReplayContext, type ContextRecord } from './replayContext';
import type { Source } from './sources';
import { SETTLE_MS, type KeyKind, type PauseKind, type Trace, type TraceKind } from './trace';

/** `spm+context`: SPM with cross-file context, driven as the VS Code provider drives it (replayContext.ts). */
export type Mode = 'spm' | 'psm' | 'naive' | 'spm+context';
export const MODES: readonly Mode[] = ['spm', 'psm', 'naive', 'spm+context'];

export const TIME_TO_FIRST_TOKEN_MS = 200;
export const PER_TOKEN_MS = 15;

export interface CallRecord {
  readonly key: number;
  readonly kind: KeyKind;
  readonly pauseAfter?: PauseKind;
  /** When the key was pressed (ms since the replay started) and how late the timer fired. */
  readonly at: number;
  readonly lateMs: number;
  /** Document offset of the cursor, and whether everything typed so far is right. */
  readonly cursor: number;
  readonly onTrack: boolean;
  /** The true text after the cursor (ANSWER_LINES lines), when on track. */
  readonly expected: string;
  /** Typed text and (for typing-through) the suggestion visible before this key. */
  readonly text: string;
  resolvedAt?: number;
  suggestion?: string;
  /** Resolved with a suggestion before the next key cancelled the call: VS Code showed it. */
  visible: boolean;
  correct: boolean;
  requests: number[];
  cacheHitRequest?: number;
  servedBy?: number;
}

export interface RequestRecord {
  readonly id: number;
  readonly call: number;
  readonly sentAt: number;
  abortReason?: string;
  // From the fake's log:
  tokensSent: number;
  promptEvalCount?: number;
  clientDisconnected: boolean;
  disconnectPhase?: 'beforeHeaders' | 'streaming';
  /** Not in the fake's log with a body: cut while it was being sent. */
  neverArrived?: boolean;
  /** served a visible suggestion / answered but nothing to show / never shown (superseded) */
  outcome: 'shown' | 'empty' | 'superseded';
  /** Tokens of the text typed since the previous evaluated request (what an ideal prompt cache evaluates). */
  typedTokens?: number;
  /** Tokens of the text this request showed correctly, from its cursor to the end of the furthest such suggestion. */
  shownCorrectTokens: number;
}

export interface ReplayResult {
  readonly mode: Mode;
  readonly trace: TraceKind;
  readonly source: string;
  readonly language: string;
  readonly typedChars: number;
  readonly pauses: number;
  readonly durationMs: number;
  readonly calls: CallRecord[];
  readonly requests: RequestRecord[];
  /** Requests the fake could not place in the file (should be 0). */
  readonly unplaced: number;
  /** Typed characters that a visible, correct suggestion showed before they were typed (Tab would have saved them). */
  readonly charsAccepted: number;
  /** Requests to anything but /api/generate (the server is healthy throughout: there should be none). */
  readonly otherRequests: number;
  /** Mode spm+context: what the cross-file service did. */
  readonly context?: ContextRecord;
}

/** Replay `trace` in real time. Several replays may run at once: each has its own fake and engine. */
export async function replay(trace: Trace, mode: Mode, pieces: Pieces,
  beforeTyping: () => Promise<void> = async () => undefined): Promise<ReplayResult> {
  instrumentFetch();
  const source = trace.source;
  const text = source.text;
  const fake = new FakeOllama({ latency: { timeToFirstTokenMs: TIME_TO_FIRST_TOKEN_MS, perTokenMs: PER_TOKEN_MS } });
  await fake.start();
  (await loadEncoder())(text); // the fake tokenizes line by line with a cache: fill it now, not on the first keystrokes
  const settings = settingsFrom({ host: fake.url, promptFormat: mode === 'psm' ? 'psm' : 'spm' });
  const cache = new CompletionCache();
  observeCache(cache);
  const engine = mode === 'naive' ? undefined : new CompletionEngine({ settings: () => settings, log: silentLogger, cache });
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const context = mode === 'spm+context' ? new ReplayContext(source.path, benchLanguage(source.spec.language), settings, now) : undefined;

  const calls: CallRecord[] = [];
  const requests: RequestRecord[] = [];
  const befores: string[] = [];
  const byPrompt = new Map<string, number>();
  let unplaced = 0;

  const observer: Observer = {
    requestSent(call, body) {
      const id = requests.length;
      requests.push({ id, call, sentAt: now(), tokensSent: 0, clientDisconnected: false, outcome: 'superseded',
        shownCorrectTokens: 0 });
      calls[call].requests.push(id);
      byPrompt.set(String(body.prompt ?? ''), id);
      context?.noteRequest(id, promptPrefixOf(body));
      return id;
    },
    requestAborted(id, reason) {
      requests[id].abortReason ??= reason;
    },
    cacheHit(call, entry: CacheEntry) {
      const format = entry.optionsKey.split('|')[1];
      const prompt = format === 'psm' ? psmPrompt(entry.promptPrefix, entry.suffix) : spmPrompt(entry.promptPrefix, entry.suffix);
      calls[call].cacheHitRequest = byPrompt.get(prompt);
    },
  };
  fake.generate = oracleScript(source, pieces, (body) => befores[body.bench_call], () => unplaced++,
    context && ((prefix) => context.stripBlock(prefix)));

  const doc = new FakeDocument(text.slice(0, source.start) + '█' + text.slice(source.end),
    context ? fileKey(source.path) : `file:///bench/${source.spec.language}`);
  await context?.open(doc);
  // Replays of one process type at once: none starts while another is still opening its file.
  await beforeTyping();
  const started = now();
  let before = text.slice(0, source.start);
  let previous: AbortController | undefined;
  const pending: Promise<void>[] = [];
  let scheduled = 0;
  for (const [i, key] of trace.keys.entries()) {
    scheduled += key.delayMs;
    const wait = started + scheduled - now();
    if (wait > 0) await sleep(wait);
    const at = now();
    previous?.abort(); // VS Code cancels the previous provider call on each text change
    if (key.kind === 'backspace') {
      doc.backspace();
      before = before.slice(0, -1);
    } else {
      doc.type(key.text);
      before += key.text;
    }
    befores[i] = before;
    const onTrack = text.startsWith(before.slice(source.start), source.start);
    const call: CallRecord = {
      key: i, kind: key.kind, pauseAfter: key.pauseAfter, at, lateMs: at - started - scheduled, cursor: before.length, onTrack,
      expected: onTrack ? trueAnswer(source, before.length) : '', text: key.text, visible: false, correct: false,
      requests: [],
    };
    calls.push(call);
    const controller = new AbortController();
    previous = controller;
    context?.keystroke(i, doc);
    const request = context ? { ...doc.request(), crossFile: () => context.blockText(doc) } : doc.request();
    const result = asCall(observer, i, () => engine ? engine.complete(request, controller.signal)
      : naiveComplete(fake.url, request, controller.signal));
    pending.push(result.then((suggestions) => {
      call.resolvedAt = now();
      if (controller.signal.aborted || suggestions.length === 0) return;
      call.visible = true;
      call.suggestion = suggestions[0];
      call.correct = onTrack && matchesTruth(text, call.cursor, suggestions[0]);
    }));
  }
  await sleep(SETTLE_MS);
  await Promise.race([Promise.all(pending), sleep(10_000)]);
  await fake.waitFor(() => fake.inFlight('/api/generate') === 0, 10_000).catch(() => undefined);

  // Which request served each visible suggestion: the call's own request, the cached answer it
  // typed through, or (joining a stream) the latest request sent before it resolved.
  for (const call of calls) {
    if (!call.visible) continue;
    const own = call.requests[call.requests.length - 1];
    call.servedBy = call.cacheHitRequest ?? own ??
      requests.filter((r) => r.sentAt <= (call.resolvedAt ?? 0)).pop()?.id;
  }
  // What each request showed correctly: from the cursor it was asked at to the furthest correct
  // suggestion it served (typing through it shows the rest of the same answer).
  const shownEnd = new Map<number, number>();
  for (const call of calls) {
    if (!call.visible || !call.correct || call.servedBy === undefined) continue;
    shownEnd.set(call.servedBy, Math.max(shownEnd.get(call.servedBy) ?? 0, call.cursor + call.suggestion!.length));
  }
  for (const [id, end] of shownEnd) {
    const start = befores[requests[id].call].length;
    if (end > start) requests[id].shownCorrectTokens = pieces(text.slice(start, end)).length;
  }
  const log = new Map(fake.requestsTo('/api/generate').map((r) => [r.body?.bench_request as number, r]));
  for (const r of requests) {
    const rec = log.get(r.id);
    if (rec) {
      r.tokensSent = rec.tokensSent;
      r.promptEvalCount = rec.promptEvalCount;
      r.clientDisconnected = rec.clientDisconnected;
      r.disconnectPhase = rec.disconnectPhase;
    } else {
      // Aborted while its body was still being sent: the server never got to evaluate it.
      r.clientDisconnected = true;
      r.disconnectPhase = 'beforeHeaders';
      r.neverArrived = true;
    }
    const shown = calls.some((c) => c.servedBy === r.id);
    // Answered but not worth showing: its own call was still waiting when it was decided and got nothing.
    const own = calls[r.call];
    const decided = !r.clientDisconnected || r.abortReason === 'stream closed';
    const empty = decided && own.resolvedAt !== undefined && !own.visible &&
      (own.key === calls.length - 1 || own.resolvedAt < calls[own.key + 1].at);
    r.outcome = shown ? 'shown' : empty ? 'empty' : 'superseded';
  }
  // Typed since the previous request the server evaluated (one aborted before its first token left
  // Ollama's prompt cache as it was).
  let evaluated: RequestRecord | undefined;
  for (const r of requests) {
    if (r.promptEvalCount === undefined) continue;
    if (evaluated) {
      const was = befores[evaluated.call];
      const is = befores[r.call];
      let common = 0;
      while (common < was.length && common < is.length && was[common] === is[common]) common++;
      r.typedTokens = Math.max(1, pieces(is.slice(common)).length);
    }
    evaluated = r;
  }
  engine?.dispose();
  await context?.dispose();
  const otherRequests = fake.requests.filter((r) => r.path !== '/api/generate').length;
  await fake.stop();
  return {
    mode, trace: trace.kind, otherRequests, source: source.spec.name, language: source.spec.language, typedChars: trace.typedChars, pauses: trace.pauses,
    durationMs: now() - started, calls, requests, unplaced, charsAccepted: acceptedChars(source, calls),
    ...(context ? { context: context.record } : {}),
  };
}

/**
 * How many typed characters were shown correctly before the user typed them, each counted once
 * (typing through a suggestion shows the same characters again). The indentation that Enter
 * inserts is not typed, so it is not counted either.
 */
function acceptedChars(source: Source, calls: readonly CallRecord[]): number {
  const typed = new Uint8Array(source.end); // 1: a character the user types, 2: already counted
  let lineStart = true;
  for (let o = source.start; o < source.end; o++) {
    const ch = source.text[o];
    if (lineStart && (ch === ' ' || ch === '\t') && o > source.start) continue;
    lineStart = ch === '\n';
    typed[o] = 1;
  }
  let accepted = 0;
  for (const call of calls) {
    if (!call.visible || !call.correct) continue;
    for (let o = call.cursor; o < Math.min(source.end, call.cursor + call.suggestion!.length); o++) {
      if (typed[o] === 1) { typed[o] = 2; accepted++; }
    }
  }
  return accepted;
}

/** The suggestion is what the file really has after the cursor (line ends compared trimmed). */
export function matchesTruth(text: string, cursor: number, suggestion: string): boolean {
  const norm = (s: string) => s.split('\n').map((l) => l.trimEnd()).join('\n');
  const expected = norm(text.slice(cursor, cursor + suggestion.length + 200));
  return expected.startsWith(norm(suggestion));
}
