// Observation hooks for the trace replay, so each request can be tied to the keystroke that sent it
// and to the suggestions it served, without changing what the pipeline does:
// - every provider call runs inside an AsyncLocalStorage context naming its replay and keystroke;
// - a global `fetch` wrapper tags each /api/generate body with `bench_request` / `bench_call` (the
//   fake Ollama records the body; real Ollama would ignore unknown fields) and notes why its
//   signal aborted (the engine's reason: "superseded", "no longer wanted"... or a plain AbortError
//   when the stream is closed because the answer is decided);
// - the engine's cache (given to it) has its lookup wrapped to learn which cached answer served a keystroke.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { CacheEntry, CompletionCache, TypingThroughHit } from '../src/completion/completionCache';

export interface Observer {
  /** A generate request is being sent for `call`; returns its id. */
  requestSent(call: number, body: Record<string, unknown>): number;
  requestAborted(id: number, reason: string): void;
  cacheHit(call: number, entry: CacheEntry): void;
}

interface CallContext { readonly observer: Observer; readonly call: number }

const context = new AsyncLocalStorage<CallContext>();

/** Run one provider call (and everything it starts) as keystroke `call` of `observer`'s replay. */
export function asCall<T>(observer: Observer, call: number, run: () => T): T {
  return context.run({ observer, call }, run);
}

function abortReason(reason: unknown): string {
  if (reason instanceof Error && reason.name === 'Error') return reason.message; // the engine's own reasons
  return (reason as { name?: string } | undefined)?.name === 'AbortError' ? 'stream closed' : String(reason);
}

let installed = false;

/** Install the fetch wrapper once per process. */
export function instrumentFetch(): void {
  if (installed) return;
  installed = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const ctx = context.getStore();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!ctx || !url.endsWith('/api/generate') || typeof init?.body !== 'string') return realFetch(input, init);
    const body = JSON.parse(init.body) as Record<string, unknown>;
    const id = ctx.observer.requestSent(ctx.call, body);
    const signal = init.signal;
    signal?.addEventListener('abort', () => ctx.observer.requestAborted(id, abortReason(signal.reason)), { once: true });
    return realFetch(input, { ...init, body: JSON.stringify({ ...body, bench_request: id, bench_call: ctx.call }) });
  };
}

/** Report the typing-through hits of `cache` (the engine's) to the observer of the calling keystroke. */
export function observeCache(cache: CompletionCache): void {
  const find = cache.findTypingThrough.bind(cache);
  cache.findTypingThrough = (...args): TypingThroughHit | undefined => {
    const hit = find(...args);
    const ctx = context.getStore();
    if (hit && ctx) ctx.observer.cacheHit(ctx.call, hit.entry);
    return hit;
  };
}
