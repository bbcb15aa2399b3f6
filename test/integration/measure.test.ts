// Measuring a completion model against the fake Ollama, through ollama-js.

import { afterEach, beforeEach, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFimPrompt } from '../../src/completion/fimPrompt';
import { OllamaError } from '../../src/ollama/client';
import { MEASURE_NUM_PREDICT, MEASURE_PROMPTS, measureModel, summarise } from '../../src/settings/measure';
import { settingsFrom } from '../../src/settings/settings';
import { FakeOllama } from '../support/fakeOllama';
import { never } from '../support/never';
import { rejection } from '../support/rejection';

let fake: FakeOllama;
const MODEL = 'codellama:7b-code';
const settings = settingsFrom({ contextTokens: 8192, keepAlive: '1h', maxTokens: 300, temperature: 0.4 });
const generates = () => fake.requestsTo('/api/generate');

/**
 * The final (done) line of every /api/generate answer, seen as the stream passes through to
 * ollama-js (a pass-through stream: a `clone()` would never settle once the request is closed early).
 */
function tapFinalChunks(): { finals: any[]; restore: () => void } {
  const original = globalThis.fetch;
  const finals: any[] = [];
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    if (!String(input instanceof Request ? input.url : input).endsWith('/api/generate') || !response.body) return response;
    const decoder = new TextDecoder();
    let text = '';
    const tap = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        text += decoder.decode(chunk, { stream: true });
        const lines = text.split('\n');
        text = lines.pop() ?? '';
        for (const line of lines.filter((l) => l.trim())) {
          const parsed = JSON.parse(line);
          if (parsed.done) finals.push(parsed);
        }
        controller.enqueue(chunk);
      },
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(tap), { status, statusText, headers });
  };
  return { finals, restore: () => { globalThis.fetch = original; } };
}

beforeEach(async () => {
  fake = new FakeOllama({ latency: { timeToFirstTokenMs: 30, perTokenMs: 10 } });
  await fake.start();
});
afterEach(() => fake.stop());

/** The warm-up's time to first token: a cold model load, far above any measured sample. */
const WARM_UP_TTFT_MS = 2000;

describe('measureModel', () => {
  it('sends the engine request shape, warms up first without counting it, and reports from the final chunks', async () => {
    // The warm-up is slow to start (model load) and streams its tokens all at once (no timer between
    // them): counting it would show in p95 and in tokens/s, however late a loaded machine's timers are.
    let seen = 0;
    fake.generate = () => (seen++ === 0
      ? { tokens: Array(200).fill(' x'), timeToFirstTokenMs: WARM_UP_TTFT_MS, perTokenMs: 0 }
      : { tokens: ['const', ' a', ' =', ' 1;'] });
    const tap = tapFinalChunks();
    const progress: [number, number][] = [];
    const before = Date.now();
    let m;
    try {
      m = await measureModel(fake.url, MODEL, settings, never, (done, total) => progress.push([done, total]));
    } finally {
      tap.restore();
    }
    const finals = tap.finals;

    assert.equal(MEASURE_PROMPTS.length >= 5 && MEASURE_PROMPTS.length <= 6, true);
    assert.equal(generates().length, MEASURE_PROMPTS.length + 1, 'one warm-up + one request per prompt');
    assert.deepEqual(progress, MEASURE_PROMPTS.map((_, i) => [i + 1, MEASURE_PROMPTS.length]));
    const options = { num_ctx: 8192, num_predict: MEASURE_NUM_PREDICT, temperature: 0, top_p: 0.95, stop: ['<EOT>'] };
    assert.equal(MEASURE_NUM_PREDICT, 64);
    MEASURE_PROMPTS.forEach(({ prefix, suffix }, i) => {
      const fim = buildFimPrompt(prefix, suffix, 'spm');
      assert.equal(fim.format, 'spm', 'plain SPM, no healing fallback');
      assert.equal(fim.heal, '');
      assert.deepEqual(generates()[i + 1].body,
        { model: MODEL, prompt: fim.prompt, raw: true, keep_alive: '1h', stream: true, options });
    });
    const warmUp = generates()[0].body;
    assert.deepEqual({ ...warmUp, prompt: undefined }, { model: MODEL, prompt: undefined, raw: true, keep_alive: '1h', stream: true, options });
    assert.ok(!MEASURE_PROMPTS.some((p) => buildFimPrompt(p.prefix, p.suffix, 'spm').prompt === warmUp.prompt),
      'the warm-up prompt is none of the measured ones (no prompt-cache head start)');
    assert.equal(new Set(generates().map((r) => r.body.prompt)).size, generates().length);

    assert.equal(m.model, MODEL);
    assert.equal(m.samples, MEASURE_PROMPTS.length);
    assert.ok(m.at >= before && m.at <= Date.now());
    const counted = finals.slice(1);
    assert.equal(finals.length, 7);
    assert.ok(counted.every((f) => f.eval_count === 4 && f.eval_duration > 0));
    const expected = counted.reduce((n, f) => n + f.eval_count, 0) / (counted.reduce((n, f) => n + f.eval_duration, 0) / 1e9);
    assert.ok(Math.abs(m.tokensPerSecond - expected) <= expected * 1e-12, `${m.tokensPerSecond} vs ${expected}`);
    const withWarmUp = finals.reduce((n, f) => n + f.eval_count, 0) / (finals.reduce((n, f) => n + f.eval_duration, 0) / 1e9);
    assert.ok(Math.abs(withWarmUp - expected) > expected * 0.05, 'the warm-up would change tokens/s');

    // Client-side times: TTFT >= the fake's 30 ms, latency >= 30 + 3 tokens × 10 ms; the warm-up's
    // load time is not a sample (a 30 ms answer taking 2 s would need a machine that is not running).
    assert.ok(m.ttftMsP50 >= 29 && m.ttftMsP50 < m.latencyMsP50, `ttft ${m.ttftMsP50}, latency ${m.latencyMsP50}`);
    assert.ok(m.latencyMsP50 >= 59, `p50 ${m.latencyMsP50}`);
    assert.ok(m.latencyMsP95 >= m.latencyMsP50 && m.latencyMsP95 < WARM_UP_TTFT_MS, `p95 ${m.latencyMsP95}`);
  });

  it('follows the prompt format setting, as the completion engine does', async () => {
    await measureModel(fake.url, MODEL, settingsFrom({ promptFormat: 'psm' }), never);
    const { prefix, suffix } = MEASURE_PROMPTS[0];
    assert.equal(generates()[1].body.prompt, buildFimPrompt(prefix, suffix, 'psm').prompt);
    assert.equal(generates()[1].body.options.num_ctx, 4096);
    assert.equal(generates()[1].body.keep_alive, '30m');
  });

  it('cancel while a sample streams disconnects that request at once and sends no more', async () => {
    fake.latency = { timeToFirstTokenMs: 5, perTokenMs: 40 };
    let seen = 0;
    fake.generate = () => (seen++ < 2 ? { tokens: ['a', 'b'] } : { tokens: ['a', 'b', 'c', 'd'], neverEnd: true });
    const controller = new AbortController();
    const pending = rejection(measureModel(fake.url, MODEL, settings, controller.signal), OllamaError);
    const third = await fake.waitFor(() => generates()[2]?.tokensSent > 0 && generates()[2]);
    const abortedAt = performance.now();
    controller.abort();
    const err = await pending;
    assert.equal(err.kind, 'aborted');
    assert.ok(performance.now() - abortedAt < 200, 'rejects at once');
    await fake.waitFor(() => third.clientDisconnected);
    assert.equal(third.disconnectPhase, 'streaming');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(generates().length, 3, 'no request after the cancel');
    assert.equal(fake.inFlight(), 0);
  });

  it('cancel during the warm-up (model loading, no headers yet) disconnects too', async () => {
    fake.latency = { timeToFirstTokenMs: 5000, perTokenMs: 1 };
    const controller = new AbortController();
    const pending = rejection(measureModel(fake.url, MODEL, settings, controller.signal), OllamaError);
    await fake.waitFor(() => generates().length === 1);
    controller.abort();
    assert.equal((await pending).kind, 'aborted');
    await fake.waitFor(() => generates()[0].clientDisconnected);
    assert.equal(generates()[0].disconnectPhase, 'beforeHeaders');
  });

  it('an already aborted signal sends nothing', async () => {
    const err = await rejection(measureModel(fake.url, MODEL, settings, AbortSignal.abort()), OllamaError);
    assert.equal(err.kind, 'aborted');
    assert.equal(fake.requests.length, 0);
  });

  it('rejects with unreachable when no server listens, and modelMissing for a model not installed', async () => {
    assert.equal((await rejection(measureModel(fake.url, 'codellama:13b-code', settings, never), OllamaError)).kind, 'modelMissing');
    const url = fake.url;
    await fake.stop();
    const err = await rejection(measureModel(url, MODEL, settings, never), OllamaError);
    assert.equal(err.kind, 'unreachable');
  });
});

describe('summarise', () => {
  test('percentiles of TTFT and latency, tokens/s over all samples', () => {
    const samples = [
      { ttftMs: 50, totalMs: 200, evalCount: 10, evalDurationNs: 100e6 },
      { ttftMs: 40, totalMs: 100, evalCount: 30, evalDurationNs: 500e6 },
      { ttftMs: 60, totalMs: 300, evalCount: 20, evalDurationNs: 400e6 },
    ];
    assert.deepEqual(summarise('m', samples, 123), {
      model: 'm', at: 123, ttftMsP50: 50, latencyMsP50: 200, latencyMsP95: 300, tokensPerSecond: 60, samples: 3,
    });
  });

  test('no eval duration reads 0 tokens/s; no samples throw', () => {
    assert.equal(summarise('m', [{ ttftMs: 1, totalMs: 1, evalCount: 0, evalDurationNs: 0 }], 0).tokensPerSecond, 0);
    assert.throws(() => summarise('m', [], 0), RangeError);
  });
});
