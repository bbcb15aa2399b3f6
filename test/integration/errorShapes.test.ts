// An `error` field that is not a string: Ollama sends `{"error": "…"}`, but a proxy or another
// server may send `{"error": {"message": …}}` or a number. Formatting such an error once threw,
// and the request was then reported as "Cannot reach Ollama".

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OllamaError, streamGenerate, toOllamaError } from '../../src/ollama/client';
import { FakeOllama, type GenerateScript } from '../support/fakeOllama';

const MODEL = 'codellama:7b-code';
let fake: FakeOllama;
before(async () => {
  fake = new FakeOllama({ latency: { timeToFirstTokenMs: 1, perTokenMs: 1 } });
  await fake.start();
});
after(() => fake.stop());

/** The tokens received and the error the generate request failed with. */
async function generate(script: GenerateScript): Promise<{ tokens: string[]; error: OllamaError }> {
  fake.generate = () => script;
  const tokens: string[] = [];
  const signal = new AbortController().signal;
  try {
    for await (const part of streamGenerate(fake.url, { model: MODEL, prompt: 'x', options: {} }, signal)) {
      tokens.push(part.response ?? '');
    }
  } catch (err) {
    return { tokens, error: toOllamaError(err) };
  }
  assert.fail('the request succeeded');
}

describe('an error of any JSON shape', () => {
  it('HTTP 500 with {"error": {"message"}}: the message, kind server', async () => {
    const { error } = await generate({ status: 500, error: { message: 'runner crashed', code: 'E42' } });
    assert.deepEqual([error.kind, error.message, error.status], ['server', 'runner crashed', 500]);
  });

  it('HTTP 503 with {"error": {"code"}} or a number: the JSON text, kind by status', async () => {
    const object = (await generate({ status: 503, error: { code: 'queue_full' } })).error;
    assert.deepEqual([object.kind, object.message, object.status], ['busy', '{"code":"queue_full"}', 503]);
    const number = (await generate({ status: 500, error: 42 })).error;
    assert.deepEqual([number.kind, number.message], ['server', '42']);
  });

  it('an {"error": {…}} NDJSON line mid-stream: the tokens before it, then its message', async () => {
    const { tokens, error } = await generate({ tokens: [' a', ' b'], errorAfterTokens: { count: 1, error: { message: 'out of memory' } } });
    assert.deepEqual(tokens, [' a']);
    assert.deepEqual([error.kind, error.message], ['server', 'out of memory']);
  });

  it('a string error line is still its text', async () => {
    const { tokens, error } = await generate({ tokens: [' a', ' b'], errorAfterTokens: { count: 2, error: 'model runner stopped' } });
    assert.deepEqual(tokens, [' a', ' b']);
    assert.deepEqual([error.kind, error.message], ['server', 'model runner stopped']);
  });
});
