// Replies that never end: an error body, a JSON reply or an NDJSON line that goes on forever, fast
// or as a slow drip. ollama-js reads an error body and a JSON reply whole and buffers a line until
// its newline, so each of these once grew the extension host by gigabytes (a 500 whose body never
// ends: 4 GB in 22 s). Each must now fail the request with a clear error after a bounded read: the
// fake counts the bytes the client took before it went away, far below what it would have sent.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  listModels, MAX_ERROR_BODY_BYTES, MAX_JSON_BODY_BYTES, MAX_LINE_BYTES, OllamaError, pullModel, serverVersion,
  showModel, streamChat, streamGenerate, type StreamTimeouts,
} from '../../src/ollama/client';
import { ENDLESS_LIMIT_BYTES, FakeOllama, type EndlessBody, type RecordedRequest } from '../support/fakeOllama';

const MODEL = 'codellama:7b-code';
const never = new AbortController().signal;
/** Short deadlines, so a drip costs a second; the mechanism is the one of the real deadlines. */
const SHORT: StreamTimeouts = { headersMs: 1500, idleMs: 1000 };
/**
 * What the client may take beyond its own limit: the socket buffers of both ends on loopback (a
 * few MB on Linux). Still far below ENDLESS_LIMIT_BYTES (64 MB), what an unbounded client reads.
 */
const SOCKET_SLACK = 8 * 1024 * 1024;
const FILLER = 'x'.repeat(64 * 1024);

let fake: FakeOllama;
before(async () => {
  fake = new FakeOllama({ latency: { timeToFirstTokenMs: 1, perTokenMs: 1 } });
  await fake.start();
});
afterEach(() => {
  fake.endless.clear();
  fake.reset();
});
after(() => fake.stop());

const figures: string[] = [];
after(() => console.log(`\nReplies that never end (what the fake wrote includes the socket buffers):\n${figures.join('\n')}`));

/** The one request to `path`, once the client has gone away from it. */
async function closed(path: string): Promise<RecordedRequest> {
  const rec = await fake.waitFor(() => fake.requestsTo(path).find((r) => r.endedAt !== undefined), 10_000);
  assert.equal(rec.clientDisconnected, true, 'the client closed the connection');
  return rec;
}

async function failure(run: () => Promise<unknown>): Promise<OllamaError> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof OllamaError, `an OllamaError: ${String(err)}`);
    return err;
  }
  assert.fail('the request succeeded');
}

async function drain<T>(stream: AsyncIterable<T>, got: T[] = []): Promise<T[]> {
  for await (const part of stream) got.push(part);
  return got;
}

function assertBounded(name: string, rec: RecordedRequest, limit: number): void {
  const took = rec.endlessBytes ?? 0;
  figures.push(`  ${name}: ${(took / 1024 / 1024).toFixed(2)} MB written before the client left ` +
    `(its limit ${limit / 1024} kB; the server had ${ENDLESS_LIMIT_BYTES >> 20} MB)`);
  assert.ok(took >= limit, `the client read up to its limit (${took} bytes)`);
  assert.ok(took < limit + SOCKET_SLACK, `the client stopped reading near its limit: took ${took} bytes`);
}

const endlessError = (contentType: string): EndlessBody =>
  ({ status: 500, contentType, head: '{"error":"', repeat: FILLER, tail: '"}' });
/** One token line, then a line that never ends. */
const endlessLine = (first: object): EndlessBody =>
  ({ contentType: 'application/x-ndjson', head: `${JSON.stringify(first)}\n{"status":"`, repeat: FILLER, tail: '"}\n' });

describe('an error reply that never ends', () => {
  it('/api/generate 500 with a JSON body: fails with the status, after 64 kB', async () => {
    fake.endless.set('/api/generate', endlessError('application/json; charset=utf-8'));
    const err = await failure(() => drain(streamGenerate(fake.url, { model: MODEL, prompt: 'x', options: {} }, never, SHORT)));
    assert.equal(err.kind, 'server');
    assert.equal(err.status, 500);
    assert.equal(err.message, 'HTTP 500 from /api/generate with an error reply over 64 kB: not read further (is this Ollama?)');
    assertBounded('500 from /api/generate', await closed('/api/generate'), MAX_ERROR_BODY_BYTES);
  });

  it('/api/pull 500 with a text body, /api/tags 404 with HTML: the same', async () => {
    fake.endless.set('/api/pull', endlessError('text/plain'));
    const pull = await failure(() => drain(pullModel(fake.url, MODEL, never)));
    assert.equal(pull.message, 'HTTP 500 from /api/pull with an error reply over 64 kB: not read further (is this Ollama?)');
    assertBounded('500 from /api/pull', await closed('/api/pull'), MAX_ERROR_BODY_BYTES);

    fake.endless.set('/api/tags', { status: 404, contentType: 'text/html', head: '<html><body>', repeat: FILLER });
    const tags = await failure(() => listModels(fake.url));
    assert.equal(tags.kind, 'modelMissing');
    assert.equal(tags.message, 'HTTP 404 from /api/tags with an error reply over 64 kB: not read further (is this Ollama?)');
    assertBounded('404 from /api/tags', await closed('/api/tags'), MAX_ERROR_BODY_BYTES);
  });
});

describe('a JSON reply that never ends', () => {
  it('a huge /api/tags fails after 8 MB', async () => {
    const entry = JSON.stringify({ name: 'm:latest', model: 'm:latest', size: 1, digest: 'd'.repeat(64) });
    fake.endless.set('/api/tags', { head: '{"models":[', repeat: `${entry},`.repeat(200), tail: `${entry}]}` });
    const err = await failure(() => listModels(fake.url, 60_000));
    assert.equal(err.kind, 'server');
    assert.equal(err.message, 'The reply to /api/tags is over 8 MB: not read further (is this Ollama?)');
    assertBounded('/api/tags', await closed('/api/tags'), MAX_JSON_BODY_BYTES);
  });

  it('/api/show and /api/version: the same', async () => {
    fake.endless.set('/api/show', { head: '{"modelfile":"', repeat: FILLER, tail: '"}' });
    const show = await failure(() => showModel(fake.url, MODEL, 60_000));
    assert.equal(show.message, 'The reply to /api/show is over 8 MB: not read further (is this Ollama?)');
    assertBounded('/api/show', await closed('/api/show'), MAX_JSON_BODY_BYTES);
    fake.endless.set('/api/version', { head: '{"version":"', repeat: FILLER, tail: '"}' });
    const version = await failure(() => serverVersion(fake.url, 60_000));
    assert.equal(version.message, 'The reply to /api/version is over 8 MB: not read further (is this Ollama?)');
    assertBounded('/api/version', await closed('/api/version'), MAX_JSON_BODY_BYTES);
  });
});

describe('a reply line that never ends', () => {
  it('generate: the lines before it are delivered, then it fails after 4 MB', async () => {
    fake.endless.set('/api/generate', endlessLine({ model: MODEL, response: ' a', done: false }));
    const got: unknown[] = [];
    const err = await failure(() => drain(streamGenerate(fake.url, { model: MODEL, prompt: 'x', options: {} }, never, SHORT), got));
    assert.deepEqual(got.map((p) => (p as { response: string }).response), [' a']);
    assert.equal(err.kind, 'server');
    assert.equal(err.message, 'Ollama sent a reply line over 4 MB: not read further');
    assertBounded('generate line', await closed('/api/generate'), MAX_LINE_BYTES);
  });

  it('chat and pull (whose progress would never end): the same', async () => {
    fake.endless.set('/api/chat', endlessLine({ model: MODEL, message: { role: 'assistant', content: 'It' }, done: false }));
    const chat = await failure(() => drain(streamChat(fake.url, { model: MODEL, messages: [{ role: 'user', content: 'x' }], options: {} }, never, SHORT)));
    assert.equal(chat.message, 'Ollama sent a reply line over 4 MB: not read further');
    assertBounded('chat line', await closed('/api/chat'), MAX_LINE_BYTES);
    fake.endless.set('/api/pull', endlessLine({ status: 'pulling manifest' }));
    const got: unknown[] = [];
    const pull = await failure(() => drain(pullModel(fake.url, MODEL, never), got));
    assert.deepEqual(got, [{ status: 'pulling manifest' }]);
    assert.equal(pull.message, 'Ollama sent a reply line over 4 MB: not read further');
    assertBounded('pull line', await closed('/api/pull'), MAX_LINE_BYTES);
  });
});

describe('a slow drip (a byte at a time, never a newline)', () => {
  const drip = (head: string): EndlessBody => ({ contentType: 'application/x-ndjson', head, repeat: 'x', dripMs: 20 });

  it('generate and pull stop at the silence deadline: bytes do not count, lines do', async () => {
    fake.endless.set('/api/generate', drip('{"response":"'));
    const generate = await failure(() => drain(streamGenerate(fake.url, { model: MODEL, prompt: 'x', options: {} }, never, SHORT)));
    assert.equal(generate.kind, 'timeout');
    assert.equal(generate.message, 'Ollama stopped answering (nothing for 1 s)');
    await closed('/api/generate');
    fake.endless.set('/api/pull', drip('{"status":"pulling manifest"}\n{"status":"'));
    const pull = await failure(() => drain(pullModel(fake.url, MODEL, never, SHORT)));
    assert.equal(pull.kind, 'timeout');
    assert.equal(pull.message, 'Ollama stopped answering (nothing for 1 s)');
    await closed('/api/pull');
  });

  it('an error body and a JSON reply stop at the call deadline', async () => {
    fake.endless.set('/api/generate', { ...drip('{"error":"'), status: 500, contentType: 'application/json' });
    const generate = await failure(() => drain(streamGenerate(fake.url, { model: MODEL, prompt: 'x', options: {} }, never, SHORT)));
    assert.equal(generate.kind, 'timeout');
    assert.equal(generate.message, 'Ollama did not start answering within 1.5 s');
    await closed('/api/generate');
    fake.endless.set('/api/tags', { ...drip('{"models":['), contentType: 'application/json' });
    const tags = await failure(() => listModels(fake.url, 1000));
    assert.equal(tags.kind, 'timeout');
    assert.equal(tags.message, 'Ollama did not answer in time');
    await closed('/api/tags');
  });
});
