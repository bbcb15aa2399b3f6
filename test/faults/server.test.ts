// Server faults while the user keeps typing: the real CompletionEngine against a fake Ollama that
// misbehaves. Every case checks that complete() always settles, the state the status bar shows,
// the notifications (at most one per problem), no unhandled rejection, nothing stuck "generating",
// and that completions come back once the server does (or is fixed).

import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { EngineState } from '../../src/completion/completionEngine';
import { MAX_ANSWER_CHARS } from '../../src/completion/inflightCompletion';
import { FakeDocument } from '../support/fakeDocument';
import { outcomeOf, type GenerateScript } from '../support/fakeOllama';
import {
  assertHealthy, assertOncePerProblem, figures, never, printFigures, rig, stateBecomes, typeKeys, typeUntilServed,
  TEST_TIMEOUTS, type Rig,
} from './harness';

const MODEL = 'codellama:7b-code';
const SERVED: GenerateScript = { tokens: [' b', '\n'] };
let current: Rig | undefined;

afterEach(async () => {
  await current?.dispose();
  current = undefined;
});
after(() => printFigures('Server faults (fake Ollama), each while typing'));

async function start(): Promise<Rig> {
  current = await rig();
  return current;
}

const doc = () => new FakeDocument('def add(a, b):\n    return█\n');
const kinds = (states: readonly EngineState[]) => states.map((s) => s.kind);

/**
 * A fault that makes requests fail with an error state: typing on during the back-off sends
 * nothing, one notification for the problem, and completions come back once the server is fixed.
 */
async function errorFault(name: string, script: GenerateScript, message: string): Promise<number> {
  const r = await start();
  r.fake.generate = () => script;
  const d = doc();
  const results = await typeKeys(r, d, ' a +');
  assert.deepEqual(results, [[], [], [], []], 'nothing is suggested from a failed request');
  assert.deepEqual(r.engine.state, { kind: 'error', message });
  assert.ok(kinds(r.states).includes('generating'));
  const sent = r.generates().length;
  // Typing on during the back-off (1 s after a first error) sends nothing.
  await typeKeys(r, d, ' c');
  assert.equal(r.generates().length, sent, 'no request during the back-off');
  // The server is fixed: the next keystroke after the back-off is served.
  r.fake.generate = () => SERVED;
  const fixedAt = performance.now();
  assert.deepEqual(await typeUntilServed(r, d), [' b']);
  const recoveryMs = performance.now() - fixedAt;
  await stateBecomes(r, 'ready');
  assert.deepEqual(r.notices, [{ kind: 'error', message }]);
  assertOncePerProblem(r.notices);
  await assertHealthy(r);
  figures.push({ case: name, survived: true, notifications: r.notices.length, requests: sent, recoveryMs });
  return sent;
}

describe('server faults while typing', () => {
  it('connection refused, then the server comes back: unreachable, one notification, back by itself', async () => {
    const r = await start();
    await r.fake.stop();
    const d = doc();
    assert.deepEqual(await typeKeys(r, d, ' a + b'), [[], [], [], [], [], []]);
    assert.deepEqual(r.engine.state, { kind: 'unreachable', host: r.fake.url });
    assert.deepEqual(r.notices, [{ kind: 'unreachable', host: r.fake.url }]);
    await r.fake.start();
    const back = performance.now();
    await stateBecomes(r, 'ready', 8000); // the probe, with no keystroke
    const recoveryMs = performance.now() - back;
    r.fake.generate = () => SERVED;
    assert.deepEqual(await typeUntilServed(r, d), [' b']);
    assert.equal(r.generates().length, 1, 'only the request after the return reached the server');
    assert.deepEqual(r.notices, [{ kind: 'unreachable', host: r.fake.url }]);
    await assertHealthy(r);
    figures.push({ case: 'connection refused / server back', survived: true, notifications: r.notices.length, recoveryMs });
  });

  it('server goes away mid-stream: unreachable, then back', async () => {
    const r = await start();
    r.fake.generate = () => ({ tokens: [' a'], neverEnd: true });
    const d = doc();
    const pending = typeKeys(r, d, ' ');
    await r.fake.waitFor(() => r.generates()[0]?.tokensSent === 1);
    await r.fake.stop();
    assert.deepEqual(await pending, [[]]);
    assert.deepEqual(r.engine.state, { kind: 'unreachable', host: r.fake.url });
    await typeKeys(r, d, 'a +');
    await r.fake.start();
    const back = performance.now();
    await stateBecomes(r, 'ready', 8000);
    const recoveryMs = performance.now() - back;
    r.fake.generate = () => SERVED;
    assert.deepEqual(await typeUntilServed(r, d), [' b']);
    assert.equal(r.generates().length, 2);
    assert.deepEqual(r.notices, [{ kind: 'unreachable', host: r.fake.url }]);
    await assertHealthy(r);
    figures.push({ case: 'server goes away mid-stream', survived: true, notifications: r.notices.length, recoveryMs });
  });

  it('socket destroyed mid-stream, twice: back by itself each time, one notification for the session', async () => {
    const r = await start();
    r.fake.generate = () => ({ tokens: [' a', ' b'], destroyAfterTokens: 1 });
    const d = doc();
    let recoveryMs = 0;
    for (let round = 0; round < 2; round++) {
      await typeKeys(r, d, ' +');
      assert.deepEqual(r.engine.state, { kind: 'unreachable', host: r.fake.url });
      const sent = r.generates().length;
      await typeKeys(r, d, 'a +');
      assert.equal(r.generates().length, sent, 'no request while unreachable');
      const since = performance.now();
      await stateBecomes(r, 'ready', 8000); // the server never left: the first probe finds it
      recoveryMs = Math.max(recoveryMs, performance.now() - since);
    }
    const requests = r.generates().length;
    assert.ok(requests >= 2 && requests <= 4, `at most one request per keystroke before each outage was known: ${requests}`);
    assert.ok(r.generates().every((q) => q.serverDestroyed || q.clientDisconnected));
    r.fake.generate = () => SERVED;
    assert.deepEqual(await typeUntilServed(r, d), [' b']);
    assert.deepEqual(r.notices, [{ kind: 'unreachable', host: r.fake.url }]);
    await assertHealthy(r);
    figures.push({ case: 'socket destroyed mid-stream (x2)', survived: true, notifications: r.notices.length, requests, recoveryMs });
  });

  it(`hang before headers: superseded requests are aborted, the last gives up after ${TEST_TIMEOUTS.headersMs} ms`, async () => {
    const sent = await errorFault('hang before headers', { hangBeforeHeaders: true }, 'Ollama did not start answering within 1.5 s');
    const hung = current!.generates().slice(0, sent);
    assert.ok(hung.every((q) => q.clientDisconnected && q.disconnectPhase === 'beforeHeaders'),
      'every hung request was closed by the client: superseded, or the last by the deadline');
  });

  it(`hang mid-stream: given up after ${TEST_TIMEOUTS.idleMs} ms of silence`, async () => {
    const sent = await errorFault('hang mid-stream', { tokens: [' a'], neverEnd: true }, 'Ollama stopped answering (nothing for 1 s)');
    const last = current!.generates()[sent - 1];
    assert.equal(last.disconnectPhase, 'streaming', 'the last request timed out mid-stream');
    assert.equal(last.tokensSent, 1);
  });

  it('very slow first token (under the deadline): served, no error, no notification', async () => {
    const r = await start();
    r.fake.generate = () => ({ ...SERVED, timeToFirstTokenMs: TEST_TIMEOUTS.headersMs - 500 });
    const d = doc();
    const results = await typeKeys(r, d, ' a +');
    assert.deepEqual(results, [[], [], [], [' b']]);
    const outcomes = r.generates().map(outcomeOf);
    assert.equal(outcomes.pop(), 'completed');
    assert.ok(outcomes.length >= 1 && outcomes.every((o) => o === 'aborted'), `superseded: ${outcomes}`);
    assert.equal(r.generates()[0].disconnectPhase, 'beforeHeaders');
    assert.deepEqual(r.engine.state, { kind: 'ready', model: MODEL });
    assert.ok(kinds(r.states).includes('generating'));
    assert.deepEqual(r.notices, []);
    await assertHealthy(r);
    figures.push({ case: 'very slow first token', survived: true, notifications: 0, requests: r.generates().length });
  });

  it('404 model not found: model missing, one notification, one request, back once pulled', async () => {
    const r = await start();
    r.fake.models = r.fake.models.filter((m) => m.name !== MODEL);
    const d = doc();
    assert.deepEqual(await typeKeys(r, d, ' a + b'), [[], [], [], [], [], []]);
    assert.deepEqual(r.engine.state, { kind: 'modelMissing', model: MODEL });
    assert.deepEqual(r.generates().map((q) => q.status), [404]);
    r.fake.models.push({ name: MODEL, size: 1, capabilities: ['completion', 'insert'] });
    const pulledAt = performance.now();
    r.engine.modelInstalled(MODEL); // what the pull command does
    r.fake.generate = () => SERVED;
    assert.deepEqual(await typeUntilServed(r, d), [' b']);
    const recoveryMs = performance.now() - pulledAt;
    assert.deepEqual(r.notices, [{ kind: 'modelMissing', model: MODEL }]);
    await assertHealthy(r);
    figures.push({ case: '404 model not found', survived: true, notifications: 1, requests: 1, recoveryMs });
  });

  it('400 prompt too long', async () => {
    await errorFault('400 prompt too long',
    { status: 400, error: 'the input length exceeds the context length' }, 'the input length exceeds the context length');
  });

  it('400 no insert capability', async () => {
    await errorFault('400 no insert capability',
    { status: 400, error: `registry.ollama.ai/library/${MODEL} does not support insert` },
    `registry.ollama.ai/library/${MODEL} does not support insert`);
  });

  it('500', async () => {
    await errorFault('500', { status: 500, error: 'CUDA error: out of memory' }, 'CUDA error: out of memory');
  });

  it('503 busy', async () => {
    await errorFault('503 busy',
    { status: 503, error: 'server busy, please try again.  maximum pending requests exceeded' },
    'server busy, please try again. maximum pending requests exceeded');
  });

  it('malformed NDJSON line: the request fails rather than showing text with a piece missing', async () => {
    await errorFault('malformed NDJSON line', { tokens: [' a', ' b'], malformedLineAfterTokens: 1 },
      'Ollama sent a reply line that is not JSON');
  });

  it('{"error"} line mid-stream: nothing shown', async () => {
    await errorFault('{"error"} line mid-stream',
      { tokens: [' a', ' b'], errorAfterTokens: { count: 1, error: 'an error was encountered while running the model: unexpected EOF' } },
      'an error was encountered while running the model: unexpected EOF');
    assert.ok(current!.generates().some((q) => q.errorLine));
  });

  it('HTML error page from a proxy: a short readable message, not the page', async () => {
    await errorFault('HTML 502 page from a proxy', { htmlError: { status: 502 } },
      'HTTP 502 from a server that is not Ollama (a proxy?): 502 Bad Gateway');
  });

  it('invalid UTF-8 in a token: the request fails rather than showing U+FFFD', async () => {
    await errorFault('invalid UTF-8', { tokens: [' a', ' b'], invalidUtf8AfterTokens: 1 }, 'Ollama sent text that is not valid UTF-8');
  });

  it('a single 1 MB token: dropped and the request stopped; no error, the next one is served', async () => {
    const r = await start();
    r.fake.generate = () => ({ tokens: ['x'.repeat(1 << 20)] });
    const d = doc();
    assert.deepEqual(await typeKeys(r, d, ' a +'), [[], [], [], []]);
    assert.deepEqual(r.engine.state, { kind: 'ready', model: MODEL });
    assert.ok(r.problems.includes(`warn: an answer longer than ${MAX_ANSWER_CHARS} characters was dropped`));
    const sent = r.generates().length;
    assert.deepEqual(await r.engine.complete(d.request(), never), []);
    assert.equal(r.generates().length, sent, 'the empty answer is remembered: the same prompt is not asked again');
    r.fake.generate = () => SERVED;
    const fixedAt = performance.now();
    assert.deepEqual(await typeUntilServed(r, d), [' b']);
    assert.deepEqual(r.notices, []);
    await assertHealthy(r);
    figures.push({ case: '1 MB single token', survived: true, notifications: 0, requests: 4, recoveryMs: performance.now() - fixedAt });
  });
});
