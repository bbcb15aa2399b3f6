// Explain against a faulty /api/chat: the run always ends, the text already streamed is kept, and
// the panel is told how it ended (an error marked incomplete when some text had arrived).

import { after, afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endMessages, EXPLAIN_MAX_CHARS, runExplanation, type ExplainOutcome, type ExplainRequest } from '../../src/explain/explainRun';
import { renderMarkdown } from '../../src/explain/markdown';
import { FakeOllama, type GenerateScript } from '../support/fakeOllama';
import { figures, never, printFigures, settleWithin, TEST_TIMEOUTS, unhandled } from './harness';

let fake: FakeOllama;
const prompt = { messages: [{ role: 'system' as const, content: 'Explain.' }, { role: 'user' as const, content: 'x = 1' }], truncated: false, shownEndLine: 1 };
const request = (): ExplainRequest => ({ host: fake.url, model: 'codellama:7b-instruct', keepAlive: '30m', prompt });
const TOKENS = ['It ', 'sets ', '`x` ', 'to one.'];

beforeEach(async () => {
  fake = new FakeOllama({ latency: { timeToFirstTokenMs: 5, perTokenMs: 1 } });
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
  assert.deepEqual(unhandled, []);
});
after(() => printFigures('Explain against a faulty /api/chat'));

/** Run one explanation against `script`; returns the outcome, what the panel saw while streaming, and the end messages. */
async function explain(script: GenerateScript, during?: (text: string) => void) {
  fake.chat = () => script;
  const seen: string[] = [];
  const [outcome] = await settleWithin([runExplanation(request(), never, (t) => {
    seen.push(t);
    during?.(t);
  }, TEST_TIMEOUTS)]);
  return { outcome, seen, end: endMessages(outcome, 7, request(), renderMarkdown) };
}

/** The run failed after `kept` arrived: the text is kept, shown, and the error says it is incomplete. */
function assertKeptThenFailed(name: string, r: { outcome: ExplainOutcome; seen: string[]; end: ReturnType<typeof endMessages> },
  kept: string, kind: 'unreachable' | 'failed', message: string): void {
  assert.equal(r.outcome.kind, 'failed');
  assert.equal(r.outcome.text, kept);
  assert.equal(r.seen.at(-1), kept, 'the panel had the text while streaming');
  assert.equal(r.end.length, 2);
  const [chunk, error] = r.end;
  assert.deepEqual(chunk, { type: 'chunk', requestId: 7, html: renderMarkdown(kept) });
  assert.deepEqual(error, { type: 'error', requestId: 7, kind, message, model: 'codellama:7b-instruct', incomplete: true });
  figures.push({ case: `explain: ${name}`, survived: true, notifications: 0 });
}

/** The run failed before any text: only the error, not marked incomplete. */
function assertFailedEmpty(name: string, r: { outcome: ExplainOutcome; end: ReturnType<typeof endMessages> },
  kind: 'unreachable' | 'modelMissing' | 'failed', message: string): void {
  assert.equal(r.outcome.kind, 'failed');
  assert.equal(r.outcome.text, '');
  assert.deepEqual(r.end, [{ type: 'error', requestId: 7, kind, message, model: 'codellama:7b-instruct', incomplete: false }]);
  figures.push({ case: `explain: ${name}`, survived: true, notifications: 0 });
}

describe('explain: faults mid-stream keep the text', () => {
  it('{"error"} line mid-stream', async () => {
    assertKeptThenFailed('error line mid-stream', await explain({ tokens: TOKENS, errorAfterTokens: { count: 2, error: 'runner crashed' } }),
      'It sets ', 'failed', 'runner crashed');
  });

  it(`hang mid-stream: ends after ${TEST_TIMEOUTS.idleMs} ms of silence`, async () => {
    assertKeptThenFailed('hang mid-stream', await explain({ tokens: TOKENS.slice(0, 2), neverEnd: true }),
      'It sets ', 'failed', 'Ollama stopped answering (nothing for 1 s)');
    await fake.waitFor(() => fake.requestsTo('/api/chat')[0].disconnectPhase === 'streaming');
  });

  it('socket destroyed mid-stream', async () => {
    assertKeptThenFailed('socket destroyed mid-stream', await explain({ tokens: TOKENS, destroyAfterTokens: 2 }),
      'It sets ', 'unreachable', `Cannot reach Ollama at ${fake.url}. Start it (ollama serve), then retry.`);
  });

  it('server goes away mid-stream', async () => {
    let stopping: Promise<void> | undefined;
    const r = await explain({ tokens: TOKENS, perTokenMs: 50 }, (t) => {
      if (t === 'It sets ') stopping ??= fake.stop();
    });
    await stopping;
    assertKeptThenFailed('server goes away mid-stream', r, 'It sets ', 'unreachable',
      `Cannot reach Ollama at ${fake.url}. Start it (ollama serve), then retry.`);
    await fake.start();
  });

  it('malformed NDJSON line', async () => {
    assertKeptThenFailed('malformed NDJSON line', await explain({ tokens: TOKENS, malformedLineAfterTokens: 2 }),
      'It sets ', 'failed', 'Ollama sent a reply line that is not JSON');
  });

  it('invalid UTF-8', async () => {
    assertKeptThenFailed('invalid UTF-8', await explain({ tokens: TOKENS, invalidUtf8AfterTokens: 2 }),
      'It sets ', 'failed', 'Ollama sent text that is not valid UTF-8');
  });
});

describe('explain: faults before the first token', () => {
  it(`hang before headers: ends after ${TEST_TIMEOUTS.headersMs} ms`, async () => {
    assertFailedEmpty('hang before headers', await explain({ hangBeforeHeaders: true }), 'failed', 'Ollama did not start answering within 1.5 s');
    await fake.waitFor(() => fake.requestsTo('/api/chat')[0].disconnectPhase === 'beforeHeaders');
  });

  it('connection refused', async () => {
    await fake.stop();
    assertFailedEmpty('connection refused', await explain({ tokens: TOKENS }), 'unreachable',
      `Cannot reach Ollama at ${fake.url}. Start it (ollama serve), then retry.`);
    await fake.start();
  });

  for (const [status, error, kind, message] of [
    [404, 'model "codellama:7b-instruct" not found, try pulling it first', 'modelMissing', 'The model codellama:7b-instruct is not installed.'],
    [400, 'the input length exceeds the context length', 'failed', 'the input length exceeds the context length'],
    [500, 'CUDA error: out of memory', 'failed', 'CUDA error: out of memory'],
    [503, 'server busy, please try again.  maximum pending requests exceeded', 'failed', 'server busy, please try again. maximum pending requests exceeded'],
  ] as const) {
    it(`${status}`, async () => {
      assertFailedEmpty(`${status}`, await explain({ status, error }), kind, message);
    });
  }

  it('HTML error page from a proxy', async () => {
    assertFailedEmpty('HTML 502 page', await explain({ htmlError: { status: 502 } }), 'failed',
      'HTTP 502 from a server that is not Ollama (a proxy?): 502 Bad Gateway');
  });
});

describe('explain: slow or large answers are served', () => {
  it('very slow first token (under the deadline)', async () => {
    const r = await explain({ tokens: TOKENS, timeToFirstTokenMs: TEST_TIMEOUTS.headersMs - 500 });
    assert.deepEqual(r.outcome, { kind: 'done', text: TOKENS.join('') });
    figures.push({ case: 'explain: very slow first token', survived: true, notifications: 0 });
  });

  it('a single 1 MB token: the first 64 KB are kept, the request is stopped, the answer marked incomplete', async () => {
    const big = 'word '.repeat(200_000);
    const r = await explain({ tokens: [big], neverEnd: true }); // the server would go on: only our abort ends it
    assert.equal(r.outcome.kind, 'failed');
    assert.equal(r.outcome.text, big.slice(0, EXPLAIN_MAX_CHARS));
    assert.equal(r.outcome.kind === 'failed' && r.outcome.error.message, 'The answer was longer than 64 KB; the rest was dropped.');
    assert.deepEqual(r.end.at(-1), { type: 'error', requestId: 7, kind: 'failed', model: request().model, incomplete: true,
      message: 'The answer was longer than 64 KB; the rest was dropped.' });
    await fake.waitFor(() => fake.requestsTo('/api/chat')[0]?.clientDisconnected);
    figures.push({ case: 'explain: 1 MB single token', survived: true, notifications: 0 });
  });
});
