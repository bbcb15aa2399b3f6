// Every call to Ollama goes through ollama-js. This module adds what it lacks:
// - abort before the response headers: ollama-js creates its AbortController only after `fetch`
//   resolves, and Ollama sends headers with the first token (after model load and prompt
//   evaluation). A per-request client whose `fetch` also honours our own signal closes the socket
//   at any phase, so the server stops that request and nothing else (never `ollama.abort()`).
// - errors mapped to our own kinds, so callers need not know ollama-js's error shapes.
// - a deadline on calls that would otherwise hang on a stuck server.

import { Ollama } from 'ollama';
import type {
  ChatRequest, ChatResponse, GenerateRequest, GenerateResponse, Options, ProgressResponse, ShowResponse,
} from 'ollama';

export type OllamaErrorKind =
  | 'aborted'       // we cancelled it: not a failure
  | 'unreachable'   // connection refused / reset / DNS: the server is not running there
  | 'modelMissing'  // 404: the model is not installed
  | 'badRequest'    // 400: e.g. "does not support insert", prompt too long
  | 'busy'          // 503: the server queue is full
  | 'timeout'       // our deadline passed
  | 'server';       // any other failure, including an error line in the middle of a stream

export class OllamaError extends Error {
  override readonly name = 'OllamaError';
  constructor(readonly kind: OllamaErrorKind, message: string, readonly status?: number) {
    super(message);
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof OllamaError ? err.kind === 'aborted' : (err as { name?: string })?.name === 'AbortError';
}

/** Map anything ollama-js or fetch throws to an OllamaError. */
export function toOllamaError(err: unknown, signal?: AbortSignal): OllamaError {
  if (err instanceof OllamaError) return err;
  const e = err as { name?: string; message?: string; status_code?: number; error?: string; cause?: unknown };
  if (signal?.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    return reason?.name === 'TimeoutError'
      ? new OllamaError('timeout', 'Ollama did not answer in time')
      : new OllamaError('aborted', 'aborted');
  }
  if (e?.name === 'AbortError') return new OllamaError('aborted', 'aborted');
  if (e?.name === 'TimeoutError') return new OllamaError('timeout', 'Ollama did not answer in time');
  // ollama-js's ResponseError is not exported: recognise it by shape.
  if (e?.name === 'ResponseError' && typeof e.status_code === 'number') {
    const message = e.error || e.message || `HTTP ${e.status_code}`;
    const kind: OllamaErrorKind = e.status_code === 404 ? 'modelMissing'
      : e.status_code === 400 ? 'badRequest'
      : e.status_code === 503 ? 'busy' : 'server';
    return new OllamaError(kind, message, e.status_code);
  }
  // fetch's TypeError('fetch failed') with a system error as cause; a dropped body is an "terminated".
  if (e?.name === 'TypeError' || /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|socket|terminated/i.test(
    `${e?.message} ${(e?.cause as { code?: string; message?: string } | undefined)?.code ?? ''}`)) {
    return new OllamaError('unreachable', `Cannot reach Ollama: ${causeText(e)}`);
  }
  return new OllamaError('server', e?.message || String(err));
}

function causeText(e: { message?: string; cause?: unknown }): string {
  const cause = e.cause as { code?: string; message?: string } | undefined;
  return cause?.code || cause?.message || e.message || 'unknown error';
}

/** An ollama-js client whose every fetch is also cancelled by `signal`. */
export function clientFor(host: string, signal?: AbortSignal): Ollama {
  if (!signal) return new Ollama({ host });
  const boundFetch: typeof fetch = (input, init) => {
    const signals = init?.signal ? [init.signal, signal] : [signal];
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };
  return new Ollama({ host, fetch: boundFetch });
}

export interface StreamGenerateRequest extends Omit<GenerateRequest, 'stream' | 'options'> {
  options: Partial<Options>;
}

/**
 * Run a streaming call. Aborting `signal` closes the HTTP connection in every phase; leaving the
 * loop early (break/return/throw) aborts it too, which ollama-js alone does not do.
 */
async function* streamed<T>(host: string, signal: AbortSignal,
  call: (client: Ollama) => Promise<AsyncIterable<T>>): AsyncGenerator<T> {
  const own = new AbortController();
  const both = AbortSignal.any([signal, own.signal]);
  try {
    for await (const part of await call(clientFor(host, both))) yield part;
  } catch (err) {
    throw toOllamaError(err, both);
  } finally {
    own.abort();
  }
}

/** Stream /api/generate. */
export function streamGenerate(host: string, request: StreamGenerateRequest,
  signal: AbortSignal): AsyncGenerator<GenerateResponse> {
  return streamed(host, signal, (c) => c.generate({ ...request, stream: true }));
}

export interface StreamChatRequest extends Omit<ChatRequest, 'stream' | 'options'> {
  options: Partial<Options>;
}

/** Stream /api/chat. */
export function streamChat(host: string, request: StreamChatRequest, signal: AbortSignal): AsyncGenerator<ChatResponse> {
  return streamed(host, signal, (c) => c.chat({ ...request, stream: true }));
}

/** Run a non-streaming call with a deadline (ollama-js cannot cancel those on its own). */
export async function withDeadline<T>(host: string, timeoutMs: number, call: (client: Ollama) => Promise<T>,
  signal?: AbortSignal): Promise<T> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    return await call(clientFor(host, both));
  } catch (err) {
    throw toOllamaError(err, both);
  }
}

export function serverVersion(host: string, timeoutMs = 2000, signal?: AbortSignal): Promise<string> {
  return withDeadline(host, timeoutMs, async (c) => (await c.version()).version, signal);
}

export function showModel(host: string, model: string, timeoutMs = 5000): Promise<ShowResponse> {
  return withDeadline(host, timeoutMs, (c) => c.show({ model }));
}

export async function installedModels(host: string, timeoutMs = 5000): Promise<string[]> {
  return (await listModels(host, timeoutMs)).map((m) => m.name);
}

/** Installed models (/api/tags) with their size on disk in bytes. */
export async function listModels(host: string, timeoutMs = 5000): Promise<{ name: string; size: number }[]> {
  const list = await withDeadline(host, timeoutMs, (c) => c.list());
  return list.models.map((m) => ({ name: m.name, size: m.size }));
}

/** Stream /api/pull progress; aborting `signal` disconnects, which stops the pull on the server. */
export function pullModel(host: string, model: string, signal: AbortSignal): AsyncGenerator<ProgressResponse> {
  return streamed(host, signal, (c) => c.pull({ model, stream: true }));
}
