// Proves the fake speaks the protocol the real ollama-js client expects, over real HTTP.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { Ollama } from 'ollama';
import {
  FakeOllama, INVALID_UTF8, loadEncoder, outcomeOf, PROXY_ERROR_PAGE, type FakeOllamaOptions,
} from '../support/fakeOllama';
import { rejection } from '../support/rejection';

const CODE = 'codellama:7b-code';

async function startFake(t: TestContext, opts: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const fake = new FakeOllama({ latency: { timeToFirstTokenMs: 5, perTokenMs: 1 }, ...opts });
  await fake.start();
  t.after(() => fake.stop());
  return fake;
}

/** Client whose requests can be aborted before headers arrive (ollama-js cannot, see ollama-api.md Gap 1). */
function abortableClient(host: string, signal: AbortSignal): Ollama {
  return new Ollama({
    host,
    fetch: (u, init) => fetch(u, { ...init, signal: AbortSignal.any([init?.signal, signal].filter((s): s is AbortSignal => !!s)) }),
  });
}

test('streamed generate: tokens, NDJSON chunks, final metrics', async (t) => {
  const fake = await startFake(t);
  fake.generate = () => ({ tokens: ['def', ' add', '(a, b):'] });
  const ollama = new Ollama({ host: fake.url });
  const parts: string[] = [];
  let last: any;
  for await (const chunk of await ollama.generate({ model: CODE, prompt: '# add', stream: true, raw: true })) {
    if (!chunk.done) parts.push(chunk.response ?? ''); else last = chunk;
  }
  assert.deepEqual(parts, ['def', ' add', '(a, b):']);
  assert.equal(last.done_reason, 'stop');
  assert.equal(last.eval_count, 3);
  for (const k of ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_duration']) {
    assert.ok(last[k] > 0, `${k} = ${last[k]}`);
  }
  assert.ok(last.total_duration >= 5e6, 'durations are in nanoseconds');
  assert.equal(last.context, undefined, 'raw responses carry no context');
  const [rec] = fake.requestsTo('/api/generate');
  assert.equal(rec.body.raw, true);
  assert.equal(rec.status, 200);
  assert.equal(rec.tokensSent, 3);
  assert.equal(rec.clientDisconnected, false);
  const res = await fetch(`${fake.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: CODE, prompt: 'x' }) });
  assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
  const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.done), [false, false, false, true]); // 3 tokens + final line
  assert.ok(Array.isArray(lines[3].context), 'templated responses carry context');
});

test('non-streamed generate and chat return one object', async (t) => {
  const fake = await startFake(t);
  const ollama = new Ollama({ host: fake.url });
  const r = await ollama.generate({ model: CODE, prompt: 'int add(int a, int b) {', suffix: '}' });
  assert.equal(r.response, ' return a + b;');
  assert.equal(r.done, true);
  assert.equal(r.eval_count, 5);
  const c = await ollama.chat({ model: 'codellama:7b-instruct', messages: [{ role: 'user', content: 'explain' }] });
  assert.equal(c.message.content, 'This code adds two numbers.');
  assert.equal(c.message.role, 'assistant');
});

test('errors before the first chunk keep their HTTP status (ResponseError)', async (t) => {
  const fake = await startFake(t);
  const ollama = new Ollama({ host: fake.url });
  const notFound = await rejection(ollama.generate({ model: 'nope:1b', prompt: 'x', stream: true }));
  assert.equal(notFound.name, 'ResponseError');
  assert.equal(notFound.status_code, 404);
  assert.equal(notFound.message, 'model "nope:1b" not found, try pulling it first');
  const noInsert = await rejection(ollama.generate({ model: 'codellama:7b-instruct', prompt: 'a', suffix: 'b' }));
  assert.equal(noInsert.status_code, 400);
  assert.match(noInsert.message, /does not support insert/);
  const raw = await rejection(ollama.generate({ model: CODE, prompt: 'a', raw: true, system: 's' }));
  assert.equal(raw.status_code, 400);
  assert.equal(raw.message, 'raw mode does not support template, system, or context');
  const show = await rejection(ollama.show({ model: 'nope' }));
  assert.equal(show.status_code, 404);
  assert.equal(show.message, "model 'nope' not found");
  fake.generate = () => ({ status: 503, error: 'server busy, please try again.  maximum pending requests exceeded' });
  const busy = await rejection(ollama.generate({ model: CODE, prompt: 'x', stream: true }));
  assert.equal(busy.status_code, 503);
  assert.equal((await fetch(`${fake.url}/api/nothing`)).status, 404);
});

test('a mid-stream {"error"} line is thrown as a plain Error after the earlier tokens', async (t) => {
  const fake = await startFake(t);
  fake.generate = () => ({ tokens: ['a', 'b', 'c', 'd'], errorAfterTokens: { count: 2, error: 'runner crashed' } });
  const ollama = new Ollama({ host: fake.url });
  const seen: string[] = [];
  const err = await rejection((async () => {
    for await (const c of await ollama.generate({ model: CODE, prompt: 'x', stream: true })) seen.push(c.response ?? '');
  })());
  assert.equal(err.message, 'runner crashed');
  assert.notEqual(err.name, 'ResponseError');
  assert.deepEqual(seen, ['a', 'b']);
  assert.equal(fake.requestsTo('/api/generate')[0].status, 200);
});

test('stop strings end the output before the stop text (also across tokens)', async (t) => {
  const fake = await startFake(t);
  fake.generate = () => ({ tokens: ['x = 1', ' <E', 'OT>', ' junk'] });
  const ollama = new Ollama({ host: fake.url });
  const r = await ollama.generate({ model: CODE, prompt: 'p', raw: true, options: { stop: ['<EOT>'] } });
  assert.equal(r.response, 'x = 1 ');
  assert.equal(r.done_reason, 'stop');
  assert.equal(r.eval_count, 3);
  const parts: string[] = [];
  for await (const c of await ollama.generate({ model: CODE, prompt: 'p', stream: true, options: { stop: ['<EOT>'] } })) {
    if (!c.done) parts.push(c.response ?? '');
  }
  assert.equal(parts.join(''), 'x = 1 ');
  assert.ok(!parts.some((p) => p.includes('<')), 'a partial stop string is held back, never sent');
});

test('num_predict caps the tokens and reports done_reason "length"', async (t) => {
  const fake = await startFake(t);
  const ollama = new Ollama({ host: fake.url });
  const r = await ollama.generate({ model: CODE, prompt: 'p', options: { num_predict: 2 } });
  assert.equal(r.response, ' return a');
  assert.equal(r.done_reason, 'length');
  assert.equal(r.eval_count, 2);
  fake.generate = () => ({ tokens: ['a'], doneReason: 'length' });
  assert.equal((await ollama.generate({ model: CODE, prompt: 'p' })).done_reason, 'length');
});

test('the line-cached tokenizer gives exactly the whole-text Llama encoding', async () => {
  const encode = await loadEncoder();
  const m: any = await import('llama-tokenizer-js');
  const tok: any = m.default?.encode ? m.default : m.default.default;
  const samples = [
    '', ' ', '\n', '\n\n  a', 'def f(x):\n    return x  # ok\n',
    '<PRE> <SUF>\n}\n <MID> function add(a, b) {\n\treturn a + b;',
    'emoji 🎉 and CJK 日本語\n\n\ttab\r\n  trailing   \n',
  ];
  for (const text of samples) {
    assert.deepEqual(encode(text), text === '' ? [] : tok.encode(text, true, true, false), JSON.stringify(text));
    assert.deepEqual(encode(text), encode(text), 'the cached lines give the same ids again');
  }
});

test('prompt_eval_count only counts tokens not shared with the previous prompt', async (t) => {
  const fake = await startFake(t);
  const ollama = new Ollama({ host: fake.url });
  const prefix = 'import os\n\ndef read_config(path):\n    with open(path) as f:\n        return f.read()\n\n'.repeat(5);
  const first = await ollama.generate({ model: CODE, prompt: prefix, raw: true });
  const second = await ollama.generate({ model: CODE, prompt: prefix + 'def main():\n', raw: true });
  const encode = await loadEncoder();
  assert.equal(first.prompt_eval_count, encode(prefix).length);
  assert.ok(second.prompt_eval_count < 10, `only the new tail is evaluated, got ${second.prompt_eval_count}`);
  assert.ok(second.prompt_eval_count >= 1);
  assert.deepEqual(fake.requestsTo('/api/generate').map((r) => r.promptEvalCount), [first.prompt_eval_count, second.prompt_eval_count]);
  const again = await ollama.generate({ model: CODE, prompt: 'something else entirely', raw: true });
  assert.equal(again.prompt_eval_count, encode('something else entirely').length - 1, 'only BOS is shared');
});

test('pull streams progress, resumes after a disconnect, then installs the model', async (t) => {
  const fake = await startFake(t, { pullScript: { totalBytes: 1000, chunks: 10, chunkDelayMs: 2 } });
  const ollama = new Ollama({ host: fake.url });
  const model = 'codellama:13b-code';
  const first = await ollama.pull({ model, stream: true });
  let seen = 0;
  const err = await rejection((async () => {
    for await (const p of first) {
      if (p.completed !== undefined) seen = p.completed;
      if (seen >= 300) first.abort();
    }
  })());
  assert.equal(err.name, 'AbortError');
  const rec = await fake.waitFor(() => fake.requestsTo('/api/pull').find((r) => r.endedAt !== undefined));
  assert.equal(rec.clientDisconnected, true);
  assert.equal(rec.disconnectPhase, 'streaming');
  assert.ok(!(await ollama.list()).models.some((m) => m.name === model), 'not installed after an interrupted pull');

  const statuses: string[] = [];
  const completed: number[] = [];
  for await (const p of await ollama.pull({ model, stream: true })) {
    statuses.push(p.status);
    if (p.digest) { completed.push(p.completed); assert.equal(p.total, 1000); }
  }
  assert.equal(statuses[0], 'pulling manifest');
  assert.ok(completed[0] >= seen && completed[0] < 1000, `resumed at ${completed[0]}, client saw ${seen}`);
  assert.equal(completed.at(-1), 1000);
  assert.deepEqual(statuses.slice(-4), ['verifying sha256 digest', 'writing manifest', 'removing any unused layers', 'success']);
  const tags = await ollama.list();
  assert.ok(tags.models.some((m) => m.name === model && m.details.parameter_size === '13B'));
  assert.deepEqual((await ollama.show({ model })).capabilities, ['completion', 'insert']);
});

test('pull failures: mid-stream error, unknown model, non-streamed success', async (t) => {
  const fake = await startFake(t, { pullScript: { totalBytes: 100, chunks: 4, chunkDelayMs: 1, failAtPercent: 50, error: 'connection reset' } });
  const ollama = new Ollama({ host: fake.url });
  const err = await rejection((async () => { for await (const _ of await ollama.pull({ model: 'codellama:34b', stream: true })) void _; })());
  assert.equal(err.message, 'connection reset');
  const unknown = await rejection((async () => { for await (const _ of await ollama.pull({ model: 'nosuch:1b', stream: true })) void _; })());
  assert.match(unknown.message, /file does not exist/);
  fake.pullScript.failAtPercent = undefined;
  assert.equal((await ollama.pull({ model: 'codellama:34b' })).status, 'success');
});

test('chat streams message.content chunks with metrics', async (t) => {
  const fake = await startFake(t);
  fake.chat = (body) => ({ tokens: ['You', ' said: ', body.messages.at(-1).content] });
  const ollama = new Ollama({ host: fake.url });
  let text = '';
  let last: any;
  for await (const c of await ollama.chat({ model: 'codellama:7b-instruct', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
    text += c.message.content;
    if (c.done) last = c;
  }
  assert.equal(text, 'You said: hi');
  assert.equal(last.eval_count, 3);
  assert.ok(last.prompt_eval_count > 0);
});

test('aborting before the first byte is recorded as a beforeHeaders disconnect', async (t) => {
  const fake = await startFake(t, { latency: { timeToFirstTokenMs: 60_000, perTokenMs: 1 } });
  const ac = new AbortController();
  const ollama = abortableClient(fake.url, ac.signal);
  const pending = rejection(ollama.generate({ model: CODE, prompt: 'x', stream: true }));
  await fake.waitFor(() => fake.inFlight('/api/generate') === 1);
  ac.abort();
  assert.equal((await pending).name, 'AbortError');
  const rec = await fake.waitFor(() => fake.requests.find((r) => r.endedAt !== undefined));
  assert.equal(rec.clientDisconnected, true);
  assert.equal(rec.disconnectPhase, 'beforeHeaders');
  assert.equal(rec.headersSent, false);
  assert.equal(rec.tokensSent, 0);
  assert.equal(fake.inFlight(), 0);
});

test('aborting mid-stream stops generation; concurrency is counted', async (t) => {
  const fake = await startFake(t, { latency: { timeToFirstTokenMs: 1, perTokenMs: 20 } });
  fake.generate = () => ({ tokens: ['a', 'b'], neverEnd: true });
  const ollama = new Ollama({ host: fake.url });
  const its = await Promise.all([1, 2].map(() => ollama.generate({ model: CODE, prompt: 'x', stream: true })));
  await fake.waitFor(() => fake.requests.every((r) => r.tokensSent === 2));
  assert.equal(fake.maxInFlight('/api/generate'), 2);
  ollama.abort(); // aborts every open stream of this client
  await fake.waitFor(() => fake.inFlight() === 0);
  for (const r of fake.requests) assert.equal(r.disconnectPhase, 'streaming');
  await Promise.all(its.map((it) => rejection((async () => { for await (const _ of it) void _; })())));
  fake.reset();
  assert.equal(fake.requests.length, 0);
  assert.equal(fake.maxInFlight(), 0);
});

test('stop() refuses connections, start() comes back on the same port', async (t) => {
  const fake = await startFake(t);
  const ollama = new Ollama({ host: fake.url });
  assert.equal((await ollama.version()).version, fake.versionString);
  assert.equal(await (await fetch(`${fake.url}/`)).text(), 'Ollama is running');
  const port = fake.port;
  await fake.stop();
  assert.equal((await rejection(ollama.list())).message, 'fetch failed');
  await fake.start();
  assert.equal(fake.port, port);
  assert.equal((await ollama.list()).models.length, 2);
  await fake.waitFor(() => fake.requestsTo('/api/tags').length === 1);
  await assert.rejects(fake.waitFor(() => false, 20), /not met within 20ms/);
  const load = await ollama.generate({ model: CODE, prompt: '' });
  assert.equal(load.done_reason, 'load');
  assert.deepEqual((await ollama.ps()).models.map((m) => m.name), [CODE]);
});

/** The raw bytes of a streamed generate, read with plain fetch. */
async function rawGenerate(fake: FakeOllama): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${fake.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: CODE, prompt: 'x', raw: true }) });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

test('faults: hang before headers holds the request until the client goes away', async (t) => {
  const fake = await startFake(t);
  fake.generate = () => ({ hangBeforeHeaders: true });
  const controller = new AbortController();
  const pending = rejection(abortableClient(fake.url, controller.signal).generate({ model: CODE, prompt: 'x', stream: true }));
  await fake.waitFor(() => fake.inFlight('/api/generate') === 1);
  await assert.rejects(fake.waitFor(() => fake.requestsTo('/api/generate')[0].headersSent, 100), /not met/);
  controller.abort();
  assert.equal((await pending).name, 'AbortError');
  const [rec] = fake.requestsTo('/api/generate');
  await fake.waitFor(() => rec.endedAt !== undefined);
  assert.equal(rec.disconnectPhase, 'beforeHeaders');
  assert.equal(outcomeOf(rec), 'aborted');
});

test('faults: hang mid-stream sends the tokens, then nothing until the client goes away', async (t) => {
  const fake = await startFake(t);
  fake.generate = () => ({ tokens: ['a', 'b'], neverEnd: true });
  const controller = new AbortController();
  const seen: string[] = [];
  const err = await rejection((async () => {
    for await (const part of await abortableClient(fake.url, controller.signal).generate({ model: CODE, prompt: 'x', stream: true })) {
      seen.push(part.response ?? '');
      if (seen.length === 2) controller.abort();
    }
  })());
  assert.equal(err.name, 'AbortError');
  assert.deepEqual(seen, ['a', 'b']);
  const [rec] = fake.requestsTo('/api/generate');
  await fake.waitFor(() => rec.endedAt !== undefined);
  assert.equal(rec.disconnectPhase, 'streaming');
});

test('faults: HTML error page from a proxy, 500 and 503 with JSON bodies', async (t) => {
  const fake = await startFake(t);
  fake.generate = () => ({ htmlError: { status: 502 } });
  const page = await rawGenerate(fake);
  assert.equal(page.status, 502);
  assert.equal(page.type, 'text/html');
  assert.equal(page.bytes.toString(), PROXY_ERROR_PAGE);
  const ollama = new Ollama({ host: fake.url });
  const viaClient = await rejection(ollama.generate({ model: CODE, prompt: 'x', stream: true }));
  assert.equal(viaClient.status_code, 502);
  assert.equal(viaClient.message, PROXY_ERROR_PAGE, 'ollama-js puts the whole page in the message');
  for (const [status, error] of [[500, 'CUDA error: out of memory'], [503, 'server busy, please try again.  maximum pending requests exceeded']] as const) {
    fake.generate = () => ({ status, error });
    const e = await rejection(ollama.generate({ model: CODE, prompt: 'x', stream: true }));
    assert.equal(e.name, 'ResponseError');
    assert.equal(e.status_code, status);
    assert.equal(e.message, error);
  }
  assert.deepEqual(fake.requestsTo('/api/generate').map(outcomeOf), ['failed', 'failed', 'failed', 'failed']);
});

test('faults: a malformed NDJSON line, invalid UTF-8 bytes and a 1 MB token', async (t) => {
  const fake = await startFake(t);
  fake.generate = () => ({ tokens: ['a', 'b'], malformedLineAfterTokens: 1 });
  const malformed = (await rawGenerate(fake)).bytes.toString().split('\n');
  assert.equal(JSON.parse(malformed[0]).response, 'a');
  assert.throws(() => JSON.parse(malformed[1]), SyntaxError);
  assert.equal(JSON.parse(malformed[2]).response, 'b');
  assert.equal(JSON.parse(malformed[3]).done, true);

  fake.generate = () => ({ tokens: ['a', 'b'], invalidUtf8AfterTokens: 1 });
  const lines = (await rawGenerate(fake)).bytes;
  assert.ok(lines.includes(INVALID_UTF8), 'the bytes go out as they are');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(lines), TypeError);
  const ollama = new Ollama({ host: fake.url });
  const parts: string[] = [];
  for await (const part of await ollama.generate({ model: CODE, prompt: 'x', stream: true })) parts.push(part.response ?? '');
  assert.deepEqual(parts, ['a', '\ufffd\ufffd(\ufffd', 'b', ''], 'ollama-js decodes them to U+FFFD');

  const big = 'x'.repeat(1 << 20);
  fake.generate = () => ({ tokens: [big] });
  const got: string[] = [];
  for await (const part of await ollama.generate({ model: CODE, prompt: 'x', stream: true })) got.push(part.response ?? '');
  assert.equal(got[0].length, 1 << 20);
  assert.deepEqual(fake.requestsTo('/api/generate').map(outcomeOf), ['completed', 'completed', 'completed', 'completed']);
});

test('faults: the server destroys the socket mid-stream', async (t) => {
  const fake = await startFake(t);
  fake.chat = () => ({ tokens: ['one ', 'two ', 'three'], destroyAfterTokens: 2 });
  const seen: string[] = [];
  const err = await rejection((async () => {
    for await (const part of await new Ollama({ host: fake.url }).chat({ model: 'codellama:7b-instruct', messages: [{ role: 'user', content: 'x' }], stream: true })) {
      seen.push(part.message.content);
    }
  })());
  assert.deepEqual(seen, ['one ', 'two ']);
  assert.equal(err.name, 'TypeError');
  assert.equal(err.message, 'terminated');
  const [rec] = fake.requestsTo('/api/chat');
  await fake.waitFor(() => rec.endedAt !== undefined);
  assert.equal(rec.serverDestroyed, true);
  assert.equal(rec.clientDisconnected, false);
  assert.equal(outcomeOf(rec), 'failed');
});

test('faults: connections are counted at the socket; playDead() counts and resets each one', async (t) => {
  const fake = await startFake(t);
  const ollama = new Ollama({ host: fake.url });
  const before = fake.connections;
  await fetch(`${fake.url}/api/version`, { headers: { connection: 'close' } });
  await fake.waitFor(() => fake.connections === before + 1);
  const port = fake.port;
  await fake.playDead();
  assert.equal(fake.port, port);
  for (let i = 0; i < 3; i++) assert.equal((await rejection(ollama.version())).message, 'fetch failed');
  assert.equal(fake.deadConnections, 3);
  assert.equal(fake.connections, before + 4);
  assert.equal(fake.requests.length, 1, 'nothing reached the HTTP server');
  await fake.start();
  assert.equal(fake.port, port);
  assert.equal((await ollama.version()).version, fake.versionString);
  await fake.stop();
  assert.equal((await rejection(ollama.version())).message, 'fetch failed');
  assert.equal(fake.deadConnections, 3, 'a stopped server refuses in the kernel: not counted');
  await fake.start();
});

test('CLI prints its port and serves completions', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/fakeOllamaCli.ts'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [data] = await once(child.stdout, 'data');
    const { port } = JSON.parse(String(data));
    const r = await new Ollama({ host: `http://127.0.0.1:${port}` }).generate({ model: CODE, prompt: 'x' });
    assert.equal(r.response, ' return a + b;');
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
