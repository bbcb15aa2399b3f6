// Every call to Ollama goes through ollama-js. This module adds what it lacks:
// - abort before the response headers: ollama-js creates its AbortController only after `fetch`
//   resolves, and Ollama sends headers with the first token (after model load and prompt
//   evaluation). A per-request client whose `fetch` also honours our own signal closes the socket
//   at any phase, so the server stops that request and nothing else (never `ollama.abort()`).
// - errors mapped to our own kinds, so callers need not know ollama-js's error shapes.
// - a deadline on calls that would otherwise hang on a stuck server, and for streams a deadline
//   for the headers and a limit on silence between lines (a hung server or runner).
// - streamed replies checked as they arrive: a line that is not JSON or bytes that are not UTF-8
//   fail the request (ollama-js would skip the line with a console warning, or show U+FFFD).

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
    if (signal.reason instanceof OllamaError) return signal.reason; // our own deadline
    const reason = signal.reason as { name?: string } | undefined;
    return reason?.name === 'TimeoutError'
      ? new OllamaError('timeout', 'Ollama did not answer in time')
      : new OllamaError('aborted', 'aborted');
  }
  if (e?.name === 'AbortError') return new OllamaError('aborted', 'aborted');
  if (e?.name === 'TimeoutError') return new OllamaError('timeout', 'Ollama did not answer in time');
  // ollama-js's ResponseError is not exported: recognise it by shape.
  if (e?.name === 'ResponseError' && typeof e.status_code === 'number') {
    const message = readableError(e.error || e.message || '', e.status_code);
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

/** Longest error message kept: it is shown in the status bar's tooltip and in notifications. */
export const MAX_ERROR_MESSAGE_CHARS = 300;

/**
 * An error body fit to show: ollama-js puts a non-JSON body in the message as it is, e.g. a
 * proxy's HTML error page. Such a page becomes its title; anything else becomes one short line.
 */
export function readableError(message: string, status: number): string {
  if (/<(!doctype|html|head|body)\b/i.test(message)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(message)?.[1]?.replace(/\s+/g, ' ').trim();
    return `HTTP ${status} from a server that is not Ollama (a proxy?)${title ? `: ${title.slice(0, 80)}` : ''}`;
  }
  const line = message.replace(/\s+/g, ' ').trim();
  if (!line) return `HTTP ${status}`;
  return line.length > MAX_ERROR_MESSAGE_CHARS ? `${line.slice(0, MAX_ERROR_MESSAGE_CHARS - 1)}…` : line;
}

function causeText(e: { message?: string; cause?: unknown }): string {
  const cause = e.cause as { code?: string; message?: string } | undefined;
  return cause?.code || cause?.message || e.message || 'unknown error';
}

/** An ollama-js client whose every fetch is also cancelled by `signal`; NDJSON replies are checked. */
export function clientFor(host: string, signal?: AbortSignal): Ollama {
  const boundFetch: typeof fetch = async (input, init) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => !!s);
    const response = await fetch(input, signals.length ? { ...init, signal: AbortSignal.any(signals) } : init);
    if (!response.ok || !response.body || !response.headers.get('content-type')?.includes('application/x-ndjson')) {
      return response;
    }
    return new Response(checkedNdjson(response.body),
      { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return new Ollama({ host, fetch: boundFetch });
}

/**
 * Pass an NDJSON body through line by line, ending it with an error at the first line that is not
 * UTF-8 or not JSON: a damaged reply is not shown as if it were the model's text. The lines before
 * the bad one are delivered first (pull-based, so none is dropped when the stream errors).
 */
function checkedNdjson(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest: Uint8Array = new Uint8Array(0);
  let failure: OllamaError | undefined;
  const ready: Uint8Array[] = [];
  /** The checked complete lines of `bytes` (with `rest` before them); the first bad line sets `failure`. */
  const take = (bytes: Uint8Array, final: boolean) => {
    const all = rest.length ? concat(rest, bytes) : bytes;
    let start = 0;
    let good = 0;
    for (;;) {
      const nl = all.indexOf(0x0a, start);
      if (nl === -1 && !(final && start < all.length)) break;
      const end = nl === -1 ? all.length : nl;
      failure = badLine(all.subarray(start, end), decoder);
      if (failure) break;
      start = good = nl === -1 ? all.length : nl + 1;
    }
    if (good > 0) ready.push(all.slice(0, good));
    rest = failure ? new Uint8Array(0) : all.slice(start);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const next = ready.shift();
        if (next) return controller.enqueue(next);
        if (failure) {
          void reader.cancel().catch(() => undefined);
          return controller.error(failure);
        }
        const { done, value } = await reader.read();
        if (done) {
          take(new Uint8Array(0), true);
          if (ready.length === 0 && !failure) return controller.close();
        } else {
          take(value, false);
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Why one NDJSON line cannot be passed on, if it cannot. */
function badLine(line: Uint8Array, decoder: TextDecoder): OllamaError | undefined {
  let text: string;
  try {
    text = decoder.decode(line);
  } catch {
    return new OllamaError('server', 'Ollama sent text that is not valid UTF-8');
  }
  if (!text.trim()) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return new OllamaError('server', 'Ollama sent a reply line that is not JSON');
  }
}

/**
 * Deadlines of a streamed call: for the response headers (Ollama sends them with the first token,
 * after loading the model and evaluating the prompt) and for the silence between two lines.
 */
export interface StreamTimeouts {
  readonly headersMs: number;
  readonly idleMs: number;
}

export interface StreamGenerateRequest extends Omit<GenerateRequest, 'stream' | 'options'> {
  options: Partial<Options>;
}

/**
 * Run a streaming call. Aborting `signal` closes the HTTP connection in every phase; leaving the
 * loop early (break/return/throw) aborts it too, which ollama-js alone does not do.
 */
async function* streamed<T>(host: string, signal: AbortSignal,
  call: (client: Ollama) => Promise<AsyncIterable<T>>, timeouts?: StreamTimeouts): AsyncGenerator<T> {
  const own = new AbortController();
  const both = AbortSignal.any([signal, own.signal]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expire = (message: string) => () => own.abort(new OllamaError('timeout', message));
  if (timeouts) {
    timer = setTimeout(expire(`Ollama did not start answering within ${seconds(timeouts.headersMs)}`),
      timeouts.headersMs);
  }
  try {
    const stream = await call(clientFor(host, both));
    if (timeouts) {
      clearTimeout(timer);
      timer = setTimeout(expire(`Ollama stopped answering (nothing for ${seconds(timeouts.idleMs)})`), timeouts.idleMs);
    }
    for await (const part of stream) {
      timer?.refresh();
      yield part;
    }
  } catch (err) {
    throw toOllamaError(err, both);
  } finally {
    clearTimeout(timer);
    own.abort();
  }
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** Stream /api/generate. */
export function streamGenerate(host: string, request: StreamGenerateRequest,
  signal: AbortSignal, timeouts?: StreamTimeouts): AsyncGenerator<GenerateResponse> {
  return streamed(host, signal, (c) => c.generate({ ...request, stream: true }), timeouts);
}

export interface StreamChatRequest extends Omit<ChatRequest, 'stream' | 'options'> {
  options: Partial<Options>;
}

/** Stream /api/chat. */
export function streamChat(host: string, request: StreamChatRequest, signal: AbortSignal,
  timeouts?: StreamTimeouts): AsyncGenerator<ChatResponse> {
  return streamed(host, signal, (c) => c.chat({ ...request, stream: true }), timeouts);
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
