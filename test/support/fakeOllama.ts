// A fake Ollama: a real node:http server that speaks the subset of Ollama's REST API the
// extension uses (see /work/shared/ollama-api.md), so tests can drive the real ollama-js client.
import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

export interface FakeModel { name: string; size: number; capabilities: string[]; family?: string; parameterSize?: string }
export interface GenerateScript {
  /** The streamed pieces. A 1 MB single token is just `tokens: ['x'.repeat(1 << 20)]`. */
  tokens?: string[];
  /**
   * Answer with this status and a JSON `{"error"}` body before any token (400, 404, 500, 503…).
   * Ollama's `error` is a string; another shape (`{message}`, a number) is what a proxy may send.
   */
  status?: number; error?: string | object | number;
  /** An `{"error"}` NDJSON line after `count` tokens; the HTTP status stays 200 (Ollama's mid-stream error). */
  errorAfterTokens?: { count: number; error: string | object | number };
  doneReason?: 'stop' | 'length';
  /** Hang mid-stream: send the tokens, then nothing (no final line) until the client goes away. */
  neverEnd?: boolean;
  timeToFirstTokenMs?: number; perTokenMs?: number; // per-request overrides of `latency`
  // ---- faults (not Ollama's behaviour: what a broken server, runner or proxy does)
  /** Never answer, not even headers, until the client goes away. */
  hangBeforeHeaders?: boolean;
  /** A proxy's error page instead of Ollama's answer: `text/html`, before any token. */
  htmlError?: { status: number; body?: string };
  /** One line that is not JSON (a truncated object) after `count` tokens; the stream then goes on. */
  malformedLineAfterTokens?: number;
  /** One token line whose `response` holds bytes that are not UTF-8, after `count` tokens. */
  invalidUtf8AfterTokens?: number;
  /** The server destroys the socket after `count` tokens (a crash or a proxy cutting the stream). */
  destroyAfterTokens?: number;
}

/** An HTML error page as nginx sends it for an upstream that is down. */
export const PROXY_ERROR_PAGE = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n';
/** The bytes sent by `invalidUtf8AfterTokens`: a lone continuation byte, a truncated sequence, 0xFF. */
export const INVALID_UTF8 = Buffer.from([0x80, 0xc3, 0x28, 0xff]);

/**
 * A reply that does not end (fault): `head`, then `repeat` again and again (as fast as the client
 * reads, or one every `dripMs`) and never a newline in it, until the client goes away, or until
 * `limitBytes` were written (then `tail`: a client that reads everything still gets an end).
 */
export interface EndlessBody {
  status?: number;       // default 200
  contentType?: string;  // default JSON
  head?: string;
  repeat: string;
  tail?: string;
  dripMs?: number;
  limitBytes?: number;   // default ENDLESS_LIMIT_BYTES
}
export const ENDLESS_LIMIT_BYTES = 64 * 1024 * 1024;

/** What became of a recorded request, for accounting (see `outcomeOf`). */
export type RequestOutcome = 'completed' | 'aborted' | 'failed' | 'open';
export interface Latency { timeToFirstTokenMs: number; perTokenMs: number }
export interface PullScript { totalBytes: number; chunks: number; chunkDelayMs: number; failAtPercent?: number; error?: string }
export interface RecordedRequest {
  id: number; method: string; path: string; body: any;
  arrivedAt: number; endedAt?: number;
  headersSent: boolean;
  clientDisconnected: boolean;
  disconnectPhase?: 'beforeHeaders' | 'streaming';
  tokensSent: number; promptEvalCount?: number; status?: number;
  serverStopped?: boolean; // connection cut by stop(), not by the client
  errorLine?: boolean; // an {"error"} line was sent mid-stream
  serverDestroyed?: boolean; // the socket was destroyed by a `destroyAfterTokens` fault
  /** Bytes of an `endless` body the client took (written, and drained to the socket) before it went away. */
  endlessBytes?: number;
}

/**
 * Completed: the response ended normally with a status < 400 and no error line. Aborted: the client
 * went away first. Failed: an error status, an error line, or the server cut the connection.
 */
export function outcomeOf(r: RecordedRequest): RequestOutcome {
  if (r.endedAt === undefined) return 'open';
  if (r.clientDisconnected) return 'aborted';
  if (r.serverStopped || r.serverDestroyed || r.errorLine || (r.status ?? 0) >= 400) return 'failed';
  return 'completed';
}
export interface FakeOllamaOptions {
  port?: number; models?: FakeModel[]; latency?: Partial<Latency>;
  /** The address to listen on (default 127.0.0.1): another one makes the fake a host "not this machine". */
  host?: string;
  registry?: FakeModel[]; pullScript?: Partial<PullScript>; versionString?: string;
}

export const DEFAULT_MODELS: readonly FakeModel[] = [
  { name: 'codellama:7b-code', size: 3825910662, capabilities: ['completion', 'insert'], family: 'llama', parameterSize: '7B' },
  { name: 'codellama:7b-instruct', size: 3825910662, capabilities: ['completion'], family: 'llama', parameterSize: '7B' },
];
/** Models /api/pull can fetch, on top of the installed ones. */
export const DEFAULT_REGISTRY: readonly FakeModel[] = [
  ...DEFAULT_MODELS,
  { name: 'codellama:13b-code', size: 7365960935, capabilities: ['completion', 'insert'], family: 'llama', parameterSize: '13B' },
  { name: 'codellama:34b', size: 19052049085, capabilities: ['completion'], family: 'llama', parameterSize: '34B' },
];
export const DEFAULT_TOKENS: readonly string[] = [' return', ' a', ' +', ' b', ';'];

// ---- tokenizer: llama-tokenizer-js (ESM, loaded with import()), else a deterministic word split
type Encode = (text: string) => number[];
let encoderPromise: Promise<Encode> | undefined;
const fallbackEncode: Encode = (text) =>
  [1, ...(text.match(/\s+|\w+|[^\w\s]/g) ?? []).map((w) => createHash('md5').update(w).digest().readUInt16BE(0))];
export function loadEncoder(): Promise<Encode> {
  encoderPromise ??= import('llama-tokenizer-js').then((m) => {
    const tok: any = (m.default as any)?.encode ? m.default : (m.default as any).default; // CJS/ESM interop
    return lineMemoized((text: string, first: boolean) => tok.encode(text, false, first, false) as number[]);
  }, () => fallbackEncode);
  return encoderPromise;
}

/**
 * `encode(text, bos, precedingSpace)` of the Llama tokenizer, one line at a time with a cache: no
 * vocabulary piece contains "\n" (it is the byte token <0x0A>), so no merge crosses a line break and
 * the result is exactly the whole-text encoding, while the tokenizer's superlinear cost on long
 * prompts (~50 ms for 4k tokens, 1.5 s for 50k) drops to map lookups for lines seen before.
 */
const lineCaches = new Set<Map<string, number[]>>();
/** Empty the tokenizer's line cache (a soak test measuring the heap does, so the fake's cache does not count). */
export function clearEncoderCache(): void {
  for (const cache of lineCaches) cache.clear();
}

function lineMemoized(encodeLine: (line: string, first: boolean) => number[]): Encode {
  const newline = encodeLine('\n', false);
  const cache = new Map<string, number[]>();
  lineCaches.add(cache);
  const cached = (line: string, first: boolean): number[] => {
    const key = first ? `\u0000${line}` : line;
    let ids = cache.get(key);
    if (!ids) {
      if (cache.size >= 100_000) cache.clear();
      ids = line || first ? encodeLine(line, first) : [];
      if (first && !line) ids = encodeLine(' ', false); // the preceding space alone: "▁"
      cache.set(key, ids);
    }
    return ids;
  };
  return (text) => {
    if (text === '') return [];
    const out = [1]; // BOS
    text.split('\n').forEach((line, i) => {
      if (i > 0) out.push(...newline);
      for (const id of cached(line, i === 0)) out.push(id);
    });
    return out;
  };
}

const normName = (n: string) => (n.slice(n.lastIndexOf('/') + 1).includes(':') ? n : `${n}:latest`);
const digestOf = (n: string) => createHash('sha256').update(normName(n)).digest('hex');
const validName = (n: unknown): n is string => typeof n === 'string' && /^[\w][\w.\-/]*(:[\w.-]+)?$/.test(n);
const ns = (ms: number) => Math.max(1, Math.round(ms * 1e6));
const FOREVER = Date.parse('2318-01-01T00:00:00Z');
/** keep_alive → ms (Infinity when negative = keep forever). */
function keepAliveMs(v: unknown): number {
  if (typeof v === 'number') return v < 0 ? Infinity : v * 1000;
  const m = typeof v === 'string' ? /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim()) : null;
  if (!m) return 5 * 60_000;
  const n = Number(m[1]);
  return n < 0 ? Infinity : n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
}

export class FakeOllama extends EventEmitter {
  models: FakeModel[];
  registry: FakeModel[];
  latency: Latency;
  generate: (body: any) => GenerateScript = () => ({ tokens: [...DEFAULT_TOKENS] });
  chat: (body: any) => GenerateScript = () => ({ tokens: ['This', ' code', ' adds', ' two', ' numbers', '.'] });
  pullScript: PullScript;
  versionString: string;
  /** Replies that do not end, by path (`/api/tags`, `/api/pull`…): served instead of the route. */
  readonly endless = new Map<string, EndlessBody>();
  readonly requests: RecordedRequest[] = [];
  /** Bytes already downloaded per model (normalised name) by interrupted pulls. */
  readonly partialPulls = new Map<string, number>();
  /** Last prompt tokens per model: the runner's prompt cache. */
  readonly promptCache = new Map<string, number[]>();
  private readonly loaded = new Map<string, number>(); // model → expires at (epoch ms)
  private server: http.Server | undefined;
  private _port: number;
  private seq = 0;
  private readonly open = new Map<RecordedRequest, AbortController>();
  private readonly sockets = new Set<net.Socket>();
  private dead: net.Server | undefined;
  /**
   * TCP connections accepted, counted at the socket ('connection' event): by the HTTP server, and by
   * the dead listener of `playDead()`. A stopped server refuses in the kernel and counts nothing.
   * Each one also emits 'connection' with `{ dead: boolean }`.
   */
  connections = 0;
  /** Connections accepted (and at once destroyed) by the dead listener. */
  deadConnections = 0;
  private maxSeen = new Map<string, number>();

  /** The address it listens on. */
  readonly host: string;

  constructor(opts: FakeOllamaOptions = {}) {
    super();
    this._port = opts.port ?? 0;
    this.host = opts.host ?? '127.0.0.1';
    this.models = (opts.models ?? DEFAULT_MODELS).map((m) => ({ ...m }));
    this.registry = (opts.registry ?? DEFAULT_REGISTRY).map((m) => ({ ...m }));
    this.latency = { timeToFirstTokenMs: 20, perTokenMs: 5, ...opts.latency };
    this.pullScript = { totalBytes: 1_000_000, chunks: 10, chunkDelayMs: 5, ...opts.pullScript };
    this.versionString = opts.versionString ?? '0.12.6';
  }

  get port(): number { return this._port; }
  get url(): string {
    if (!this._port) throw new Error('FakeOllama: start() has not been called');
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this._port}`;
  }

  /** Open TCP connections to the HTTP server right now. */
  get openSockets(): number { return this.sockets.size; }

  async start(): Promise<void> {
    if (this.server) return;
    await this.closeDead();
    await loadEncoder(); // so the first request is not slowed by loading the vocabulary
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.changed('connection', { dead: false });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this._port, this.host, () => { server.off('error', reject); resolve(); });
    });
    this._port = (server.address() as AddressInfo).port; // later start() calls reuse it
    this.server = server;
  }

  /** Like Ollama being killed: open streams are cut, the port stops listening. */
  async stop(): Promise<void> {
    await this.closeDead();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const [rec, ac] of this.open) { rec.serverStopped = true; ac.abort(); }
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  }

  /**
   * Ollama gone, but the port still accepts: a plain `net` listener takes each connection, counts
   * it and destroys it at once (the client sees a reset, as with a refused connection, "fetch
   * failed"). Unlike a stopped server, every attempt is counted at the socket. `start()` revives.
   */
  async playDead(): Promise<void> {
    await this.stop();
    if (this.dead) return;
    const dead = net.createServer((socket) => {
      this.connections++;
      this.deadConnections++;
      socket.on('error', () => undefined);
      socket.destroy();
      this.changed('connection', { dead: true });
    });
    await new Promise<void>((resolve, reject) => {
      dead.once('error', reject);
      dead.listen(this._port, this.host, () => { dead.off('error', reject); resolve(); });
    });
    this._port = (dead.address() as AddressInfo).port;
    this.dead = dead;
  }

  private async closeDead(): Promise<void> {
    const dead = this.dead;
    if (!dead) return;
    this.dead = undefined;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
  }

  requestsTo(path: string): RecordedRequest[] { return this.requests.filter((r) => r.path === path); }
  inFlight(path?: string): number { return [...this.open.keys()].filter((r) => !path || r.path === path).length; }
  maxInFlight(path?: string): number { return this.maxSeen.get(path ?? '*') ?? 0; }
  reset(): void {
    this.requests.length = 0;
    this.maxSeen = new Map();
    for (const r of this.open.keys()) this.bumpMax(r.path);
  }

  /** Resolves with the first truthy value of `predicate`, re-checked on every request start/end/token. */
  waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = () => { clearTimeout(timer); this.off('change', check); };
      const check = () => {
        try {
          const v = predicate();
          if (v) { finish(); resolve(v); }
        } catch (e) { finish(); reject(e); }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`FakeOllama.waitFor: condition not met within ${timeoutMs}ms: ${predicate.toString()}\n` +
          `requests so far:\n${this.describe() || '  (none)'}`));
      }, timeoutMs);
      this.on('change', check);
      check();
    });
  }

  describe(): string {
    return this.requests.map((r) => `  #${r.id} ${r.method} ${r.path} status=${r.status ?? '-'} tokens=${r.tokensSent}` +
      (r.clientDisconnected ? ` disconnected(${r.disconnectPhase})` : '') + (r.endedAt === undefined ? ' open' : '')).join('\n');
  }

  private changed(event: string, ...args: unknown[]): void { this.emit(event, ...args); this.emit('change'); }
  private bumpMax(path: string): void {
    for (const k of ['*', path]) this.maxSeen.set(k, Math.max(this.maxSeen.get(k) ?? 0, this.inFlight(k === '*' ? undefined : k)));
  }
  private findModel(name: unknown): FakeModel | undefined {
    return typeof name === 'string' && name ? this.models.find((m) => normName(m.name) === normName(name)) : undefined;
  }
  private json(res: http.ServerResponse, status: number, obj: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(obj));
  }
  /** One NDJSON line; headers go out with the first line, as in Ollama's streamResponse. */
  private line(res: http.ServerResponse, obj: unknown): void {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    res.write(JSON.stringify(obj) + '\n');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rec: RecordedRequest = {
      id: ++this.seq, method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], body: undefined,
      arrivedAt: performance.now(), headersSent: false, clientDisconnected: false, tokensSent: 0,
    };
    const ac = new AbortController();
    this.requests.push(rec);
    this.open.set(rec, ac);
    this.bumpMax(rec.path);
    // 'close' before the response ended = the peer went away: stop the work (timers use ac.signal).
    res.on('close', () => {
      rec.endedAt = performance.now();
      rec.headersSent = res.headersSent;
      if (res.headersSent) rec.status = res.statusCode;
      if (!res.writableEnded) {
        rec.clientDisconnected = !rec.serverStopped && !rec.serverDestroyed;
        rec.disconnectPhase = res.headersSent ? 'streaming' : 'beforeHeaders';
        ac.abort();
      }
      this.open.delete(rec);
      this.changed('end', rec);
    });
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      let bad: string | undefined;
      if (raw.trim()) { try { rec.body = JSON.parse(raw); } catch (e) { bad = (e as Error).message; } }
      this.changed('request', rec);
      if (bad !== undefined) return this.json(res, 400, { error: bad });
      await this.route(rec, res, ac.signal);
    } catch (e) {
      if (ac.signal.aborted || res.destroyed) return; // disconnect or stop(): nothing to answer
      if (!res.headersSent) this.json(res, 500, { error: (e as Error).message });
      else res.end(JSON.stringify({ error: (e as Error).message }) + '\n');
    }
  }

  private async route(rec: RecordedRequest, res: http.ServerResponse, signal: AbortSignal): Promise<void> {
    const key = `${rec.method === 'HEAD' ? 'GET' : rec.method} ${rec.path}`;
    const needsBody = key.startsWith('POST ');
    const body = rec.body;
    const endless = this.endless.get(rec.path);
    if (endless) return this.sendEndless(rec, res, endless, signal);
    if (needsBody && (body === null || typeof body !== 'object' || Array.isArray(body))) {
      return this.json(res, 400, { error: 'missing request body' });
    }
    switch (key) {
      case 'GET /':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        return void res.end('Ollama is running');
      case 'GET /api/version': return this.json(res, 200, { version: this.versionString });
      case 'GET /api/tags': return this.json(res, 200, { models: this.models.map((m) => this.tagEntry(m)) });
      case 'GET /api/ps': {
        const now = Date.now();
        const models = this.models.filter((m) => (this.loaded.get(normName(m.name)) ?? 0) > now).map((m) => {
          const exp = this.loaded.get(normName(m.name))!;
          return { ...this.tagEntry(m), expires_at: new Date(exp === Infinity ? FOREVER : exp).toISOString(), size_vram: m.size };
        });
        return this.json(res, 200, { models });
      }
      case 'POST /api/show': {
        const name = body.model ?? body.name;
        const m = this.findModel(name);
        if (!m) return this.json(res, 404, { error: `model '${name}' not found` });
        const insert = m.capabilities.includes('insert');
        return this.json(res, 200, {
          modelfile: `# Modelfile generated by "ollama show"\nFROM ${m.name}\n`,
          parameters: 'rope_frequency_base            1e+06',
          template: insert ? '{{- if .Suffix }}<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>{{- else }}{{ .Prompt }}{{- end }}' : '{{ .Prompt }}',
          details: this.tagEntry(m).details,
          model_info: { 'general.architecture': 'llama', 'llama.context_length': 16384, 'llama.rope.freq_base': 1000000 },
          capabilities: m.capabilities,
          modified_at: new Date(0).toISOString(),
        });
      }
      case 'POST /api/generate': return this.completion('generate', rec, res, signal);
      case 'POST /api/chat': return this.completion('chat', rec, res, signal);
      case 'POST /api/pull': return this.pull(rec, res, signal);
      default:
        res.writeHead(404, { 'Content-Type': 'text/plain' }); // gin's NoRoute reply
        return void res.end('404 page not found');
    }
  }

  private tagEntry(m: FakeModel) {
    const family = m.family ?? 'llama';
    return {
      name: m.name, model: m.name, modified_at: new Date(0).toISOString(), size: m.size, digest: digestOf(m.name),
      details: { parent_model: '', format: 'gguf', family, families: [family], parameter_size: m.parameterSize ?? '7B', quantization_level: 'Q4_0' },
    };
  }

  /** /api/generate and /api/chat: validation, prompt-cache accounting, token streaming. */
  private async completion(kind: 'generate' | 'chat', rec: RecordedRequest, res: http.ServerResponse, signal: AbortSignal): Promise<void> {
    const body = rec.body; // checks in GenerateHandler's order: model, raw, capabilities, empty prompt
    const m = this.findModel(body.model);
    if (!m) return this.json(res, 404, { error: `model "${body.model ?? ''}" not found, try pulling it first` });
    if (kind === 'generate' && body.raw && (body.template || body.system || (Array.isArray(body.context) && body.context.length))) {
      return this.json(res, 400, { error: 'raw mode does not support template, system, or context' });
    }
    if (kind === 'generate' && body.suffix && !m.capabilities.includes('insert')) {
      const full = m.name.includes('/') ? normName(m.name) : `registry.ollama.ai/library/${normName(m.name)}`;
      return this.json(res, 400, { error: `${full} does not support insert` });
    }
    const model = body.model as string;
    const key = normName(m.name);
    const created_at = () => new Date().toISOString();
    const piece = (text: string) => (kind === 'generate' ? { response: text } : { message: { role: 'assistant', content: text } });
    const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
    const empty = kind === 'generate' ? !body.prompt : messages.length === 0;
    if (empty) { // load / unload only; a single JSON object even when streaming (c.JSON in Ollama)
      const unload = keepAliveMs(body.keep_alive) === 0;
      if (unload) this.loaded.delete(key); else this.loaded.set(key, Date.now() + keepAliveMs(body.keep_alive));
      return this.json(res, 200, { model, created_at: created_at(), ...piece(''), done: true, done_reason: unload ? 'unload' : 'load' });
    }

    const script = (kind === 'generate' ? this.generate : this.chat)(body);
    if (script.hangBeforeHeaders) return this.hang(signal);
    if (script.htmlError) {
      res.writeHead(script.htmlError.status, { 'Content-Type': 'text/html' });
      return void res.end(script.htmlError.body ?? PROXY_ERROR_PAGE);
    }
    if (script.status) return this.json(res, script.status, { error: script.error ?? 'error' });
    const stream = body.stream !== false;
    const opts = body.options ?? {};
    const stops: string[] = Array.isArray(opts.stop) ? opts.stop.filter((s: unknown) => typeof s === 'string' && s) : [];
    const limit = typeof opts.num_predict === 'number' && opts.num_predict > 0 ? opts.num_predict : Infinity;
    const tokens = script.tokens ?? [];
    const wasLoaded = (this.loaded.get(key) ?? 0) > Date.now();

    // Prompt evaluation: nothing is sent until the first token, so errors so far keep their status.
    await delay(script.timeToFirstTokenMs ?? this.latency.timeToFirstTokenMs, undefined, { signal });
    const promptText = kind === 'chat' ? messages.map((x) => `${x.role}: ${x.content}`).join('\n')
      : body.raw || !body.suffix ? `${body.system ? body.system + '\n' : ''}${body.prompt}`
      : `<PRE> ${body.prompt} <SUF>${body.suffix} <MID>`; // codellama's insert template
    const promptTokens = (await loadEncoder())(promptText);
    const cached = this.promptCache.get(key) ?? [];
    let common = 0;
    while (common < cached.length && common < promptTokens.length && cached[common] === promptTokens[common]) common++;
    rec.promptEvalCount = Math.max(1, promptTokens.length - common); // the runner always evaluates >= 1 token
    this.promptCache.set(key, promptTokens);
    this.loaded.set(key, Date.now() + keepAliveMs(body.keep_alive));
    const firstTokenAt = performance.now();

    let out = '';
    let pending: string[] = []; // pieces held back while they could be the start of a stop string
    let evalCount = 0;
    let doneReason: string = script.doneReason ?? 'stop';
    let ranOut = false;
    const flush = () => {
      for (const p of pending) {
        if (!p) continue;
        out += p;
        if (stream) this.line(res, { model, created_at: created_at(), ...piece(p), done: false });
        rec.tokensSent++;
        this.changed('token', rec, p);
      }
      pending = [];
    };
    let malformedSent = false;
    let invalidSent = false;
    for (let i = 0; ; i++) {
      const failure = script.errorAfterTokens;
      if (failure && evalCount >= failure.count) {
        flush();
        if (!stream) return this.json(res, 500, { error: failure.error });
        this.line(res, { error: failure.error });
        rec.errorLine = true;
        return void res.end();
      }
      if (stream && script.destroyAfterTokens !== undefined && evalCount >= script.destroyAfterTokens) {
        flush();
        if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        rec.serverDestroyed = true;
        res.socket?.destroySoon(); // mid-stream, once what was written is out: no final chunk, no error line
        return;
      }
      if (stream && !malformedSent && script.malformedLineAfterTokens !== undefined && evalCount >= script.malformedLineAfterTokens) {
        flush();
        malformedSent = true;
        if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        res.write(`{"model":"${model}","created_at":"${created_at()}","response":"tru\n`); // cut short
      }
      if (stream && !invalidSent && script.invalidUtf8AfterTokens !== undefined && evalCount >= script.invalidUtf8AfterTokens) {
        flush();
        invalidSent = true;
        if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        const [head, tail] = JSON.stringify({ model, created_at: created_at(), ...piece('\u0000'), done: false }).split('\\u0000');
        res.write(Buffer.concat([Buffer.from(head), INVALID_UTF8, Buffer.from(tail + '\n')]));
        rec.tokensSent++;
      }
      if (evalCount >= limit) { doneReason = 'length'; break; } // Ollama checks num_predict before sampling again
      if (i >= tokens.length) { ranOut = true; break; }
      const perTokenMs = script.perTokenMs ?? this.latency.perTokenMs;
      if (i > 0 && perTokenMs > 0) await delay(perTokenMs, undefined, { signal }); // 0: all at once
      pending.push(tokens[i]);
      evalCount++;
      const text = pending.join('');
      const hits = stops.map((s) => text.indexOf(s)).filter((x) => x >= 0);
      if (hits.length) { // cut at the earliest stop string; it and what follows are never sent
        let keep = Math.min(...hits);
        pending = pending.map((p) => { const k = p.slice(0, Math.max(0, keep)); keep -= p.length; return k; });
        flush();
        doneReason = 'stop';
        break;
      }
      if (!stops.some((s) => [...Array(s.length - 1).keys()].some((n) => text.endsWith(s.slice(0, n + 1))))) flush();
    }
    flush();
    if (ranOut && script.neverEnd) await this.hang(signal);
    const end = performance.now();
    const promptMs = firstTokenAt - rec.arrivedAt;
    const loadMs = wasLoaded ? 0 : promptMs / 2;
    const final = {
      model, created_at: created_at(), ...piece(stream ? '' : out), done: true, done_reason: doneReason,
      ...(kind === 'generate' && !body.raw ? { context: promptTokens } : {}),
      total_duration: ns(end - rec.arrivedAt), load_duration: ns(loadMs), prompt_eval_count: rec.promptEvalCount,
      prompt_eval_duration: ns(promptMs - loadMs), eval_count: evalCount, eval_duration: ns(end - firstTokenAt),
    };
    if (!stream) return this.json(res, 200, final);
    this.line(res, final);
    res.end();
  }

  /** An `EndlessBody`: written while the client reads it (waiting for 'drain'), counted in `endlessBytes`. */
  private async sendEndless(rec: RecordedRequest, res: http.ServerResponse, body: EndlessBody, signal: AbortSignal): Promise<void> {
    res.writeHead(body.status ?? 200, { 'Content-Type': body.contentType ?? 'application/json; charset=utf-8' });
    const limit = body.limitBytes ?? ENDLESS_LIMIT_BYTES;
    const repeat = Buffer.from(body.repeat);
    rec.endlessBytes = 0;
    const write = async (chunk: Buffer) => {
      const drained = res.write(chunk);
      if (!drained) {
        await new Promise<void>((resolve) => {
          const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
          res.on('drain', done);
          res.on('close', done);
        });
      }
      if (!res.destroyed) rec.endlessBytes! += chunk.length;
    };
    if (body.head) await write(Buffer.from(body.head));
    while (rec.endlessBytes < limit && !res.destroyed && !signal.aborted) {
      if (body.dripMs !== undefined) await delay(body.dripMs, undefined, { signal });
      await write(repeat);
      this.changed('endless', rec);
    }
    if (res.destroyed || signal.aborted) return;
    res.end(body.tail ?? '');
  }

  /** Hang until the client goes away or stop() (the request's signal aborts). */
  private hang(signal: AbortSignal): Promise<never> {
    return new Promise<never>((_, reject) => {
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  /** /api/pull: manifest, one layer in `chunks` steps (resuming interrupted downloads), then success. */
  private async pull(rec: RecordedRequest, res: http.ServerResponse, signal: AbortSignal): Promise<void> {
    const name = rec.body.model || rec.body.name;
    if (!validName(name)) return this.json(res, 400, { error: 'invalid model name' });
    const stream = rec.body.stream !== false;
    const send = (obj: object) => { if (stream) this.line(res, obj); };
    const fail = (error: string) => { if (stream) { this.line(res, { error }); res.end(); } else this.json(res, 500, { error }); };
    send({ status: 'pulling manifest' });
    const key = normName(name);
    const entry = this.registry.find((m) => normName(m.name) === key) ?? this.findModel(name);
    if (!entry) return fail('pull model manifest: file does not exist');
    const { totalBytes: total, chunks, chunkDelayMs, failAtPercent, error } = this.pullScript;
    const digest = `sha256:${digestOf(name)}`;
    const progress = (completed: number) => send({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed });
    let completed = this.findModel(name) ? total : Math.min(total, this.partialPulls.get(key) ?? 0);
    progress(completed);
    const step = Math.max(1, Math.ceil(total / Math.max(1, chunks)));
    while (completed < total) {
      await delay(chunkDelayMs, undefined, { signal }); // a disconnect stops here; partialPulls keeps the bytes
      const next = Math.min(total, completed + step);
      if (failAtPercent !== undefined && completed * 100 < failAtPercent * total && next * 100 >= failAtPercent * total) {
        return fail(error ?? 'max retries exceeded: unexpected EOF');
      }
      completed = next;
      this.partialPulls.set(key, completed);
      progress(completed);
      this.changed('pullProgress', rec, completed);
    }
    for (const status of ['verifying sha256 digest', 'writing manifest', 'removing any unused layers']) send({ status });
    if (!this.findModel(name)) this.models.push({ ...entry, name: entry.name });
    this.partialPulls.delete(key);
    if (stream) { this.line(res, { status: 'success' }); res.end(); } else this.json(res, 200, { status: 'success' });
  }
}
