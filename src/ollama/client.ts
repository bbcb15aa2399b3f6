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
// - every body read with a size limit (ollama-js reads an error body or a JSON reply whole, and
//   buffers a line until its newline): a server that never ends a body or a line fails the request
//   instead of filling the extension host's memory. The deadlines above bound the time.

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

/** Map anything ollama-js or fetch throws to an OllamaError. */
export function toOllamaError(err: unknown, signal?: AbortSignal): OllamaError {
  if (err instanceof OllamaError) return err;
  const e = err as { name?: string; message?: string; status_code?: number; error?: unknown; cause?: unknown };
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
    return new OllamaError(statusKind(e.status_code), readableError(errorText(e.error) || e.message || '', e.status_code),
      e.status_code);
  }
  // fetch's TypeError('fetch failed') with a system error as cause; a dropped body is an "terminated".
  if (e?.name === 'TypeError' || /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|socket|terminated/i.test(
    `${e?.message} ${(e?.cause as { code?: string; message?: string } | undefined)?.code ?? ''}`)) {
    return new OllamaError('unreachable', `Cannot reach Ollama: ${causeText(e)}`);
  }
  return new OllamaError('server', e?.message || String(err));
}

function statusKind(status: number): OllamaErrorKind {
  return status === 404 ? 'modelMissing' : status === 400 ? 'badRequest' : status === 503 ? 'busy' : 'server';
}

/**
 * The text of an `error` field of any shape: Ollama sends a string, but a proxy or another server
 * may send `{"error": {"message": …}}`, a number or a list.
 */
export function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error === undefined || error === null) return '';
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
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

/** Most bytes of an error reply read: Ollama's is one short JSON line, a proxy's page a few kB. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Most bytes of a whole JSON reply (/api/tags, /api/show, /api/version). */
export const MAX_JSON_BODY_BYTES = 8 * 1024 * 1024;
/**
 * Longest NDJSON line: a token, a progress report, or generate's final line with its `context`. Above a
 * 1 MB token (which the callers' answer caps drop without an error), below what would hurt.
 */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

const kB = (bytes: number) => bytes >= 1 << 20 ? `${bytes / (1 << 20)} MB` : `${bytes / 1024} kB`;

/**
 * An ollama-js client whose every fetch is also cancelled by `signal`, and whose every body is read
 * with a size limit: an error body here (ollama-js would read it whole), a JSON reply as it is
 * consumed, an NDJSON reply line by line, checked.
 */
export function clientFor(host: string, signal?: AbortSignal): Ollama {
  const boundFetch: typeof fetch = async (input, init) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => !!s);
    const response = await fetch(input, signals.length ? { ...init, signal: AbortSignal.any(signals) } : init);
    if (!response.body) return response;
    const endpoint = new URL(String(input)).pathname;
    if (!response.ok) return boundedError(response, response.body, endpoint);
    const body = response.headers.get('content-type')?.includes('application/x-ndjson')
      ? checkedNdjson(response.body) : capped(response.body, MAX_JSON_BODY_BYTES, endpoint);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return new Ollama({ host, fetch: boundFetch });
}

/**
 * An error reply read here, up to MAX_ERROR_BODY_BYTES, and handed to ollama-js as a whole (it
 * makes the ResponseError from it); a longer one is not read further and fails at once.
 */
async function boundedError(response: Response, body: ReadableStream<Uint8Array>, endpoint: string): Promise<Response> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > MAX_ERROR_BODY_BYTES) {
      void reader.cancel().catch(() => undefined);
      throw new OllamaError(statusKind(response.status), `HTTP ${response.status} from ${endpoint} with an error ` +
        `reply over ${kB(MAX_ERROR_BODY_BYTES)}: not read further (is this Ollama?)`, response.status);
    }
  }
  // Bytes read from fetch are backed by an ArrayBuffer (never shared memory).
  return new Response(joined(chunks) as Uint8Array<ArrayBuffer>, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** `body`, ending with an error once more than `limit` bytes came. */
function capped(body: ReadableStream<Uint8Array>, limit: number, endpoint: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let size = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      size += value.length;
      if (size <= limit) return controller.enqueue(value);
      void reader.cancel().catch(() => undefined);
      controller.error(new OllamaError('server', `The reply to ${endpoint} is over ${kB(limit)}: not read further (is this Ollama?)`));
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/**
 * Pass an NDJSON body through line by line, ending it with an error at the first line that is not
 * UTF-8, not JSON, an `{"error"}` line (of any shape: ollama-js would show an object as
 * "[object Object]") or longer than MAX_LINE_BYTES: a damaged reply is not shown as if it were the
 * model's text. The lines before the bad one are delivered first (pull-based, so none is dropped
 * when the stream errors). The part of a line not yet ended is kept as its chunks (joined once at
 * its newline): copying it at each chunk would be quadratic in its length.
 */
function checkedNdjson(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let partial: Uint8Array[] = [];
  let partialBytes = 0;
  let failure: OllamaError | undefined;
  const ready: Uint8Array[] = [];
  /** The checked complete lines of `bytes` (after `partial`) go to `ready`; a bad line sets `failure`. */
  const take = (bytes: Uint8Array, final: boolean) => {
    const good: Uint8Array[] = [];
    const check = (line: Uint8Array, newline: boolean) => {
      failure = badLine(line, decoder);
      if (!failure) good.push(newline ? joined([line, NEWLINE]) : line);
    };
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(0x0a, start);
      if (nl === -1) break;
      const line = joined([...partial, bytes.subarray(start, nl)]);
      partial = [];
      partialBytes = 0;
      check(line, true);
      start = nl + 1;
      if (failure) break;
    }
    if (!failure && start < bytes.length) {
      partial.push(bytes.slice(start));
      partialBytes += bytes.length - start;
      if (partialBytes > MAX_LINE_BYTES) failure = lineTooLong();
    }
    if (!failure && final && partialBytes > 0) {
      const line = joined(partial);
      partial = [];
      partialBytes = 0;
      check(line, false);
    }
    if (good.length) ready.push(joined(good));
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

const NEWLINE = new Uint8Array([0x0a]);

const lineTooLong = () =>
  new OllamaError('server', `Ollama sent a reply line over ${kB(MAX_LINE_BYTES)}: not read further`);

function joined(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Why one NDJSON line cannot be passed on, if it cannot. */
function badLine(line: Uint8Array, decoder: TextDecoder): OllamaError | undefined {
  if (line.length > MAX_LINE_BYTES) return lineTooLong();
  let text: string;
  try {
    text = decoder.decode(line);
  } catch {
    return new OllamaError('server', 'Ollama sent text that is not valid UTF-8');
  }
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new OllamaError('server', 'Ollama sent a reply line that is not JSON');
  }
  // Ollama's error in the middle of a stream (the status stays 200).
  if (value !== null && typeof value === 'object' && 'error' in value) {
    return new OllamaError('server', readableError(errorText(value.error), 200));
  }
  return undefined;
}

/**
 * Deadlines of a streamed call: for the response headers (Ollama sends them with the first token,
 * after loading the model and evaluating the prompt) and for the silence between two lines.
 */
export interface StreamTimeouts {
  readonly headersMs: number;
  readonly idleMs: number;
}

/**
 * The deadlines of a stream whose caller sets none (a pull, a measurement): generous, since a pull
 * may be silent while Ollama verifies gigabytes and a model may take minutes to load, but a server
 * that stops answering, or drips a line that never ends, does not hold the request forever.
 */
export const SLOW_STREAM_TIMEOUTS: StreamTimeouts = { headersMs: 5 * 60_000, idleMs: 5 * 60_000 };

export interface StreamGenerateRequest extends Omit<GenerateRequest, 'stream' | 'options'> {
  options: Partial<Options>;
}

/**
 * Run a streaming call. Aborting `signal` closes the HTTP connection in every phase; leaving the
 * loop early (break/return/throw) aborts it too, which ollama-js alone does not do.
 */
async function* streamed<T>(host: string, signal: AbortSignal,
  call: (client: Ollama) => Promise<AsyncIterable<T>>, timeouts = SLOW_STREAM_TIMEOUTS): AsyncGenerator<T> {
  const own = new AbortController();
  const both = AbortSignal.any([signal, own.signal]);
  const expire = (message: string) => () => own.abort(new OllamaError('timeout', message));
  let timer = setTimeout(expire(`Ollama did not start answering within ${seconds(timeouts.headersMs)}`),
    timeouts.headersMs);
  try {
    const stream = await call(clientFor(host, both));
    clearTimeout(timer);
    // Refreshed at each complete line: bytes of a line that never ends do not count.
    timer = setTimeout(expire(`Ollama stopped answering (nothing for ${seconds(timeouts.idleMs)})`), timeouts.idleMs);
    for await (const part of stream) {
      timer.refresh();
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
export function pullModel(host: string, model: string, signal: AbortSignal,
  timeouts = SLOW_STREAM_TIMEOUTS): AsyncGenerator<ProgressResponse> {
  return streamed(host, signal, (c) => c.pull({ model, stream: true }), timeouts);
}
