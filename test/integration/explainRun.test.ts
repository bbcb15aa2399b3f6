// The explanation stream against the fake Ollama's /api/chat, through ollama-js.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXPLAIN_NUM_CTX, EXPLAIN_NUM_PREDICT, runExplanation, type ExplainRequest } from '../../src/explain/explainRun';
import { FakeOllama } from '../support/fakeOllama';
import { never } from '../support/never';

let fake: FakeOllama;
const prompt = { messages: [{ role: 'system' as const, content: 'Explain.' }, { role: 'user' as const, content: 'x = 1' }], truncated: false, shownEndLine: 1 };
const request = (): ExplainRequest => ({ host: fake.url, model: 'codellama:7b-instruct', keepAlive: '30m', prompt });
const chats = () => fake.requestsTo('/api/chat');

beforeEach(async () => {
  fake = new FakeOllama({ latency: { timeToFirstTokenMs: 5, perTokenMs: 1 } });
  await fake.start();
});
afterEach(() => fake.stop());

describe('runExplanation', () => {
  it('streams the answer and sends the exact chat request with constant load-time options', async () => {
    fake.chat = () => ({ tokens: ['It ', 'sets ', '`x`.'] });
    const seen: string[] = [];
    const outcome = await runExplanation(request(), never, (t) => seen.push(t));
    assert.deepEqual(outcome, { kind: 'done', text: 'It sets `x`.' });
    assert.deepEqual(seen, ['It ', 'It sets ', 'It sets `x`.']);
    assert.deepEqual(chats()[0].body, {
      model: 'codellama:7b-instruct',
      messages: prompt.messages,
      keep_alive: '30m',
      stream: true,
      options: { num_ctx: EXPLAIN_NUM_CTX, num_predict: EXPLAIN_NUM_PREDICT, temperature: 0.2 },
    });
  });

  it('Stop disconnects the stream and keeps what arrived', async () => {
    fake.latency = { timeToFirstTokenMs: 5, perTokenMs: 30 };
    fake.chat = () => ({ tokens: ['one ', 'two ', 'three '], neverEnd: true });
    const controller = new AbortController();
    const outcome = await runExplanation(request(), controller.signal, (t) => {
      if (t === 'one two ') controller.abort();
    });
    assert.deepEqual(outcome, { kind: 'stopped', text: 'one two ' });
    await fake.waitFor(() => chats()[0].clientDisconnected);
    assert.equal(chats()[0].disconnectPhase, 'streaming');
  });

  it('Stop before the first token disconnects before the headers', async () => {
    fake.latency = { timeToFirstTokenMs: 5000, perTokenMs: 1 };
    const controller = new AbortController();
    const pending = runExplanation(request(), controller.signal, () => undefined);
    await fake.waitFor(() => chats().length === 1);
    controller.abort();
    assert.deepEqual(await pending, { kind: 'stopped', text: '' });
    await fake.waitFor(() => chats()[0].clientDisconnected);
    assert.equal(chats()[0].disconnectPhase, 'beforeHeaders');
  });

  it('reports a missing model, an unreachable server and an error in the middle of the stream', async () => {
    const missing = await runExplanation({ ...request(), model: 'codellama:34b-instruct' }, never, () => undefined);
    assert.equal(missing.kind, 'failed');
    assert.equal(missing.kind === 'failed' && missing.error.kind, 'modelMissing');

    fake.chat = () => ({ tokens: ['partial ', 'answer'], errorAfterTokens: { count: 1, error: 'runner crashed' } });
    const broken = await runExplanation(request(), never, () => undefined);
    assert.equal(broken.kind, 'failed');
    assert.equal(broken.text, 'partial ');

    await fake.stop();
    const down = await runExplanation(request(), never, () => undefined);
    assert.equal(down.kind === 'failed' && down.error.kind, 'unreachable');
    await fake.start();
  });
});
