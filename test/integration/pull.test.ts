// Pulling a model through runPull (the client's pullModel + PullProgress) against the fake Ollama.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installedModels, OllamaError } from '../../src/ollama/client';
import type { PullState } from '../../src/ollama/pullProgress';
import { runPull } from '../../src/ollama/pullRun';
import { FakeOllama } from '../support/fakeOllama';
import { never } from '../support/never';
import { rejection } from '../support/rejection';

let fake: FakeOllama;
const MODEL = 'codellama:13b-code'; // in the fake's registry, not installed
const TOTAL = 1_000_000;
const pulls = () => fake.requestsTo('/api/pull');

/** Run one pull to its end; `onState` may abort. Resolves with every state, or rejects with the outcome's error. */
async function pull(signal: AbortSignal, onState?: (state: PullState) => void, model = MODEL): Promise<PullState[]> {
  const states: PullState[] = [];
  const outcome = await runPull(fake.url, model, signal, (state) => {
    states.push(state);
    onState?.(state);
  });
  if (states.length > 0) assert.deepEqual(outcome.state, states[states.length - 1], 'the outcome carries the last state');
  if (!outcome.ok) throw outcome.error;
  return states;
}

const isMonotonic = (states: PullState[]) => states.every((s, i) => i === 0 || s.percent >= states[i - 1].percent);

beforeEach(async () => {
  fake = new FakeOllama({ pullScript: { totalBytes: TOTAL, chunks: 10, chunkDelayMs: 5 } });
  await fake.start();
});
afterEach(() => fake.stop());

describe('pulling a model', () => {
  it('progress climbs to 100 with the byte counts, and the model is then installed', async () => {
    assert.ok(!(await installedModels(fake.url)).includes(MODEL));
    const states = await pull(never);
    assert.equal(states[0].status, 'pulling manifest');
    assert.ok(isMonotonic(states));
    assert.deepEqual(states.filter((s) => s.totalBytes > 0 && !s.success).map((s) => s.percent),
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100, 100, 100]);
    const last = states[states.length - 1];
    assert.deepEqual(last, { status: 'success', completedBytes: TOTAL, totalBytes: TOTAL, percent: 100, success: true });
    const body = pulls()[0].body; // ollama-js still sends the old "name" field; Ollama reads either
    assert.equal(body.model ?? body.name, MODEL);
    assert.equal(body.stream, true);
    assert.ok((await installedModels(fake.url)).includes(MODEL));
  });

  it('cancel mid-pull disconnects; the next pull resumes from the bytes already downloaded', async () => {
    fake.pullScript.chunkDelayMs = 20;
    const controller = new AbortController();
    const first: PullState[] = [];
    const err = await rejection(pull(controller.signal, (state) => {
      first.push(state);
      if (state.percent >= 30) controller.abort();
    }), OllamaError);
    assert.equal(err.kind, 'aborted');
    await fake.waitFor(() => pulls()[0].clientDisconnected);
    assert.equal(pulls()[0].disconnectPhase, 'streaming');
    const kept = fake.partialPulls.get(MODEL)!;
    assert.ok(kept >= 300_000 && kept < TOTAL, `kept ${kept}`);
    assert.ok(first[first.length - 1].percent < 100);
    assert.ok(!(await installedModels(fake.url)).includes(MODEL));

    fake.pullScript.chunkDelayMs = 2;
    const second = await pull(never);
    const firstBytes = second.find((s) => s.totalBytes > 0)!;
    assert.equal(firstBytes.completedBytes, kept, 'starts where the cancelled pull stopped');
    assert.equal(firstBytes.percent, Math.floor((kept / TOTAL) * 100));
    assert.ok(isMonotonic(second));
    assert.equal(second[second.length - 1].percent, 100);
    assert.ok(second[second.length - 1].success);
    // Only the missing chunks were sent the second time.
    const chunksSent = second.filter((s) => s.totalBytes > 0 && s.status.startsWith('pulling ')).length - 1;
    assert.equal(chunksSent, Math.ceil((TOTAL - kept) / (TOTAL / 10)));
    assert.equal(fake.partialPulls.has(MODEL), false);
  });

  it('cancel while the server waits for the next chunk disconnects at once', async () => {
    fake.pullScript.chunkDelayMs = 5000;
    const controller = new AbortController();
    const pending = rejection(pull(controller.signal, (state) => {
      if (state.totalBytes > 0) controller.abort();
    }), OllamaError);
    const started = performance.now();
    assert.equal((await pending).kind, 'aborted');
    await fake.waitFor(() => pulls()[0].clientDisconnected);
    assert.ok(performance.now() - started < 1000, 'not after the 5 s chunk');
  });

  it('an error in the middle of the pull surfaces as an OllamaError with the server message', async () => {
    fake.pullScript.failAtPercent = 50;
    fake.pullScript.error = 'max retries exceeded: unexpected EOF';
    const states: PullState[] = [];
    const err = await rejection(pull(never, (s) => states.push(s)), OllamaError);
    assert.equal(err.kind, 'server');
    assert.equal(err.message, 'max retries exceeded: unexpected EOF');
    assert.equal(states[states.length - 1].percent, 40, 'the last progress before the failure');
    assert.ok(!states.some((s) => s.success));
    assert.equal(pulls()[0].clientDisconnected, false, 'the server ended the stream');

    // Retrying resumes from what arrived before the error and completes.
    fake.pullScript.failAtPercent = undefined;
    const retry = await pull(never);
    assert.equal(retry.find((s) => s.totalBytes > 0)!.completedBytes, 400_000);
    assert.equal(retry[retry.length - 1].percent, 100);
  });

  it('an unknown model and an unreachable server fail with their kinds', async () => {
    const missing = await rejection(pull(never, undefined, 'codellama:70b-nothing'), OllamaError);
    assert.equal(missing.kind, 'server');
    assert.match(missing.message, /file does not exist/);
    const url = fake.url;
    await fake.stop();
    const states: PullState[] = [];
    const down = await runPull(url, MODEL, never, (s) => states.push(s));
    assert.ok(!down.ok);
    assert.equal(down.error.kind, 'unreachable');
    assert.equal(down.state.percent, 0);
    assert.equal(states.length, 0);
  });
});
