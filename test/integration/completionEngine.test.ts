// The completion pipeline against the fake Ollama over real HTTP, through the real ollama-js client.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineState } from '../../src/completion/completionEngine';
import { ORPHAN_GRACE_MS } from '../../src/completion/inflightCompletion';
import { FakeOllama, type GenerateScript } from '../support/fakeOllama';
import { FakeDocument } from '../support/fakeDocument';
import { engineRig, type EngineRig } from '../support/engineRig';
import { never } from '../support/never';
import { until } from '../support/until';

let rig: EngineRig;
beforeEach(async () => {
  rig = await engineRig();
});
afterEach(() => rig.dispose());

describe('request', () => {
  it('sends the exact SPM prompt with raw mode and constant load-time options', async () => {
    rig.fake.generate = () => ({ tokens: ['    return', ' a + b', '\n', '<EOT>'] });
    const doc = new FakeDocument('def add(a, b):\n█\n\nprint(add(1, 2))\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['    return a + b']);
    const [req] = rig.generates();
    assert.equal(req.body.prompt, '<PRE> <SUF>\n\nprint(add(1, 2))\n <MID> def add(a, b):\n');
    assert.deepEqual(req.body, {
      model: 'codellama:7b-code',
      prompt: '<PRE> <SUF>\n\nprint(add(1, 2))\n <MID> def add(a, b):\n',
      raw: true,
      stream: true,
      keep_alive: '30m',
      options: { num_ctx: 4096, num_predict: 256, temperature: 0.1, top_p: 0.95, stop: ['<EOT>'] },
    });
  });

  it('sends the exact PSM prompt when configured', async () => {
    rig.useSettings({ promptFormat: 'psm' });
    rig.fake.generate = () => ({ tokens: ['1, 2', ')'] });
    const doc = new FakeDocument('const total = sum(█);\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['1, 2']);
    assert.equal(rig.generates()[0].body.prompt, '<PRE> const total = sum( <SUF>);\n <MID>');
  });

  it('heals a prefix that ends inside a word and keeps only matching answers', async () => {
    rig.fake.generate = () => ({ tokens: ['enumerate', '(xs):'] });
    const doc = new FakeDocument('xs = [1, 2]\nfor i, x in enu█\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['merate(xs):']);
    assert.equal(rig.generates()[0].body.prompt, '<PRE> <SUF>\n <MID> xs = [1, 2]\nfor i, x in ');
  });

  it('asks in PSM once when the healed answer does not start with the removed characters', async () => {
    const spm = (prompt: string) => prompt.startsWith('<PRE> <SUF>');
    rig.fake.generate = (body) => ({ tokens: spm(body.prompt) ? ['emrate', '(xs):'] : ['merate', '(xs):'] });
    const doc = new FakeDocument('for i, x in enu█\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['merate(xs):']);
    assert.deepEqual(rig.generates().map((r) => r.body.prompt), [
      '<PRE> <SUF>\n <MID> for i, x in ',
      '<PRE> for i, x in enu <SUF>\n <MID>',
    ]);
    // Both answers are cached: the next keystroke in the word asks nothing.
    assert.deepEqual(await rig.engine.complete(doc.type('m').request(), never), ['erate(xs):']);
    assert.equal(rig.generates().length, 2);
  });

  it('does not heal at a word boundary', async () => {
    rig.fake.generate = () => ({ tokens: [' b'] });
    const doc = new FakeDocument('a = 1\nc = a +█\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [' b']);
    assert.equal(rig.generates()[0].body.prompt, '<PRE> <SUF>\n <MID> a = 1\nc = a +');
  });
});

describe('cache and typing-through', () => {
  it('serves the same position from the cache', async () => {
    rig.fake.generate = () => ({ tokens: ['(a, b)'] });
    const doc = new FakeDocument('print█\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['(a, b)']);
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['(a, b)']);
    assert.equal(rig.generates().length, 1);
  });

  it('serves the rest when the user types along, and after backspace, with no new request', async () => {
    rig.fake.generate = () => ({ tokens: ['in', ' range', '(10):'] });
    const doc = new FakeDocument('for i in█\n'); // healed: the model is asked from "for i "
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [' range(10):']);
    doc.type(' ra');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['nge(10):']);
    doc.type('nge(');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['10):']);
    doc.backspace(3);
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['ge(10):']);
    assert.equal(rig.generates().length, 1);
  });

  it('asks again when the typed text leaves the suggestion', async () => {
    let n = 0;
    rig.fake.generate = () => ({ tokens: [n++ === 0 ? 'in range(10):' : 'items:'] });
    const doc = new FakeDocument('for i in█\n');
    await rig.engine.complete(doc.request(), never);
    doc.type(' it');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['ems:']);
    assert.equal(rig.generates().length, 2);
  });

  it('keeps whitespace significant in the cache key', async () => {
    let n = 0;
    rig.fake.generate = () => ({ tokens: [n++ === 0 ? 'pass' : 'return 1'] });
    await rig.engine.complete(new FakeDocument('def f():\n    █\n').request(), never);
    await rig.engine.complete(new FakeDocument('def f():\n  █\n').request(), never);
    assert.equal(rig.generates().length, 2);
  });
});

describe('streaming and abort', () => {
  it('shows the first line of a multi-line answer before the stream ends, then the rest from the cache', async () => {
    rig.fake.latency = { timeToFirstTokenMs: 5, perTokenMs: 60 };
    rig.fake.generate = () => ({ tokens: ['    a = 1', '\n', '    b = 2', '\n', '    return a + b', '\n', '<EOT>'] });
    const doc = new FakeDocument('def f():\n█\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['    a = 1']);
    const [req] = rig.generates();
    assert.equal(req.endedAt, undefined, 'the stream goes on after the first line is shown');
    assert.equal(rig.engine.state.kind, 'generating');
    // Streamed to its end: the engine is ready again only after the answer is in the cache.
    await until(() => rig.engine.state.kind === 'ready', 5000, 'the answer streamed to its end');
    doc.type('    a = 1');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['\n    b = 2\n    return a + b']);
    assert.equal(rig.generates().length, 1);
  });

  it('stops a single-line answer at the first newline and disconnects the stream', async () => {
    rig.fake.latency = { timeToFirstTokenMs: 5, perTokenMs: 20 };
    rig.fake.generate = () => ({ tokens: ['f(x)', '\n', 'more', 'more'], neverEnd: true });
    const doc = new FakeDocument('y = f█\nz = 2\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['(x)']);
    const [req] = rig.generates();
    await rig.fake.waitFor(() => req.clientDisconnected);
    assert.equal(req.disconnectPhase, 'streaming');
    assert.ok(req.tokensSent <= 4, `tokens sent after the decision: ${req.tokensSent}`);
  });

  it('aborts a superseded request before its first byte, with at most one in flight', async () => {
    rig.fake.latency = { timeToFirstTokenMs: 3000, perTokenMs: 1 };
    const doc = new FakeDocument('let total = compute(█);\n');
    const first = new AbortController();
    const pending = rig.engine.complete(doc.request(), first.signal);
    await rig.fake.waitFor(() => rig.generates().length === 1);
    first.abort(); // VS Code cancels the old call on the next keystroke
    doc.type('items, ');
    rig.fake.latency = { timeToFirstTokenMs: 5, perTokenMs: 1 };
    rig.fake.generate = () => ({ tokens: ['limit'] });
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['limit']);
    assert.deepEqual(await pending, []);
    const [old, current] = rig.generates();
    assert.equal(old.clientDisconnected, true);
    assert.equal(old.disconnectPhase, 'beforeHeaders');
    assert.equal(current.clientDisconnected, false);
    assert.equal(rig.fake.maxInFlight('/api/generate'), 1);
  });

  it('aborts a stream nobody waits for any more', async () => {
    rig.fake.latency = { timeToFirstTokenMs: 3000, perTokenMs: 1 };
    const controller = new AbortController();
    const pending = rig.engine.complete(new FakeDocument('x = █\n').request(), controller.signal);
    await rig.fake.waitFor(() => rig.generates().length === 1);
    controller.abort();
    assert.deepEqual(await pending, []);
    await rig.fake.waitFor(() => rig.generates()[0].clientDisconnected);
  });

  it('aborts a request nobody waits for as soon as a keystroke is served from the cache', async () => {
    rig.fake.generate = () => ({ tokens: ['in', ' range', '(10):'] });
    const doc = new FakeDocument('for i in█\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [' range(10):']);
    rig.fake.latency = { timeToFirstTokenMs: 3000, perTokenMs: 1 };
    doc.type(' q'); // a typo leaves the suggestion: a request goes out
    const typo = new AbortController();
    const pending = rig.engine.complete(doc.request(), typo.signal);
    await rig.fake.waitFor(() => rig.generates().length === 2);
    typo.abort(); // Backspace: VS Code cancels the call...
    doc.backspace();
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['range(10):']); // ...and the cache serves the next
    assert.deepEqual(await pending, []);
    const superseded = rig.generates()[1];
    // At once, not after the orphan grace: within it a fast answer would finish for nobody.
    await rig.fake.waitFor(() => superseded.clientDisconnected, ORPHAN_GRACE_MS / 2);
    assert.equal(superseded.disconnectPhase, 'beforeHeaders');
  });

  it('streams a shown multi-line answer to its end, past the orphan grace, so typing through it asks nothing', async () => {
    rig.fake.latency = { timeToFirstTokenMs: 5, perTokenMs: 100 }; // 8 tokens: longer than ORPHAN_GRACE_MS
    rig.fake.generate = () => ({ tokens: ['    a = 1', '\n', '    b = 2', '\n', '    c = 3', '\n', '    return a + b + c', '\n', '<EOT>'] });
    const doc = new FakeDocument('def f():\n█\n');
    const first = new AbortController();
    assert.deepEqual(await rig.engine.complete(doc.request(), first.signal), ['    a = 1']);
    first.abort(); // the next keystroke cancels the call that showed the first line
    // Streamed to its end: the engine is ready again only after the answer is in the cache.
    await until(() => rig.engine.state.kind === 'ready', 5000, 'the answer streamed to its end');
    assert.equal(rig.generates()[0].clientDisconnected, false);
    doc.type('    a = 1\n    b');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [' = 2\n    c = 3\n    return a + b + c']);
    assert.equal(rig.generates().length, 1);
  });

  it('joins the request in flight while typing inside a healed word', async () => {
    rig.fake.latency = { timeToFirstTokenMs: 200, perTokenMs: 1 };
    rig.fake.generate = () => ({ tokens: ['enumerate', '(xs):'] });
    const doc = new FakeDocument('for i, x in e█\n');
    const first = new AbortController();
    const pending = rig.engine.complete(doc.request(), first.signal);
    await rig.fake.waitFor(() => rig.generates().length === 1);
    first.abort();
    doc.type('nu');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['merate(xs):']);
    assert.deepEqual(await pending, []);
    assert.equal(rig.generates().length, 1);
    assert.equal(rig.generates()[0].clientDisconnected, false);
  });

  it('lets Ollama reuse the previous prompt while typing (stable window, SPM)', async () => {
    const body = Array.from({ length: 3000 }, (_, i) => `    value_${i} = compute(${i}, "${'x'.repeat(i % 40)}")`);
    const doc = new FakeDocument(['def big():', ...body.slice(0, 1500), '    █', ...body.slice(1500)].join('\n'));
    // Each keystroke leaves the previous answer, so each asks again with a prompt one character longer.
    let n = 0;
    rig.fake.generate = () => ({ tokens: [n++ === 0 ? 'r_' : `zz${n}`] });
    for (const ch of ['r', ' ', '=', ' ', '(']) {
      doc.type(ch);
      await rig.engine.complete(doc.request(), never);
      assert.ok(doc.reads < 800, `lines read for one request: ${doc.reads}`);
    }
    const counts = rig.generates().map((r) => r.promptEvalCount ?? Infinity);
    assert.ok(counts[0] > 1000, `first prompt evaluated in full (${counts[0]} tokens)`);
    for (const count of counts.slice(1)) assert.ok(count <= 4, `later prompts evaluate only new tokens: ${counts}`);
    for (const req of rig.generates()) assert.ok(!req.body.prompt.includes('value_0 ='), 'window is bounded');
  });
});

describe('alternatives', () => {
  it('returns up to three distinct answers sampled at the alternatives temperature', async () => {
    const answers = ['return a + b', 'return a - b', 'return a + b'];
    let n = 0;
    rig.fake.generate = () => ({ tokens: [answers[n++ % answers.length]] });
    const doc = new FakeDocument('def f(a, b):\n    return█\n');
    assert.deepEqual(await rig.engine.complete(doc.request(true), never), [' a + b', ' a - b']);
    assert.equal(rig.generates().length, 3);
    for (const req of rig.generates()) assert.equal(req.body.options.temperature, 0.8);
    assert.equal(rig.fake.maxInFlight('/api/generate'), 1);
  });
});

describe('model rules and errors', () => {
  it('refuses a 34B model without sending a request', async () => {
    const states: EngineState[] = [];
    rig.engine.onState((s) => states.push(s));
    rig.useSettings({ customModel: 'codellama:34b-code' });
    assert.deepEqual(await rig.engine.complete(new FakeDocument('x = █').request(), never), []);
    assert.equal(rig.fake.requests.length, 0);
    const last = states[states.length - 1];
    assert.equal(last.kind, 'error');
    assert.match((last as { message: string }).message, /not trained for fill-in-the-middle/);
  });

  it('checks a custom model once with /api/show and uses it when it can insert', async () => {
    rig.fake.models.push({ name: 'my-coder:latest', size: 1, capabilities: ['completion', 'insert'] });
    rig.useSettings({ customModel: 'my-coder:latest' });
    rig.fake.generate = () => ({ tokens: ['42'] });
    assert.deepEqual(await rig.engine.complete(new FakeDocument('x = █').request(), never), ['42']);
    assert.deepEqual(await rig.engine.complete(new FakeDocument('y = █').request(), never), ['42']);
    assert.equal(rig.fake.requestsTo('/api/show').length, 1);
    assert.equal(rig.generates()[0].body.model, 'my-coder:latest');
  });

  it('refuses a custom model that cannot insert', async () => {
    rig.fake.models.push({ name: 'chatty:latest', size: 1, capabilities: ['completion'] });
    rig.useSettings({ customModel: 'chatty:latest' });
    assert.deepEqual(await rig.engine.complete(new FakeDocument('x = █').request(), never), []);
    assert.equal(rig.generates().length, 0);
    assert.equal(rig.engine.state.kind, 'error');
  });

  it('turns a 404 into the model-missing state, offered once, with no request per keystroke', async () => {
    rig.fake.models = rig.fake.models.filter((m) => m.name !== 'codellama:7b-code');
    const missing: string[] = [];
    rig.engine.onModelMissing((m) => missing.push(m));
    const doc = new FakeDocument('x = █');
    for (let i = 0; i < 10; i++) {
      doc.type(i % 2 ? ' ' : '+');
      await rig.engine.complete(doc.request(), never);
    }
    assert.equal(rig.generates().length, 1);
    assert.equal(rig.generates()[0].status, 404);
    assert.deepEqual(missing, ['codellama:7b-code']);
    assert.deepEqual(rig.engine.state, { kind: 'modelMissing', model: 'codellama:7b-code' });
    rig.fake.models.push({ name: 'codellama:7b-code', size: 1, capabilities: ['completion', 'insert'] });
    rig.engine.modelInstalled('codellama:7b-code');
    await rig.engine.complete(doc.type('+').request(), never);
    assert.equal(rig.generates().length, 2);
    await until(() => rig.engine.state.kind === 'ready', 5000, 'ready state');
  });

  it('backs off from a server that went away and comes back by itself', async () => {
    const doc = new FakeDocument('x = █');
    await rig.fake.stop();
    const unreachable: string[] = [];
    rig.engine.onUnreachable((h) => unreachable.push(h));
    for (let i = 0; i < 20; i++) await rig.engine.complete(doc.type(String(i % 10)).request(), never);
    assert.deepEqual(unreachable, [rig.fake.url]);
    assert.deepEqual(rig.engine.state, { kind: 'unreachable', host: rig.fake.url });
    await rig.fake.start(); // same port
    // The probe (GET /api/version) brings completions back without any keystroke.
    await rig.fake.waitFor(() => rig.fake.requestsTo('/api/version').length > 0, 8000);
    await new Promise<void>((resolve) => {
      if (rig.engine.state.kind === 'ready') return resolve();
      const sub = rig.engine.onState((s) => s.kind === 'ready' && (sub.dispose(), resolve()));
    });
    rig.fake.generate = () => ({ tokens: ['5'] });
    assert.deepEqual(await rig.engine.complete(doc.type(' ').request(), never), ['5']);
    assert.equal(rig.generates().length, 1, 'no generate request reached the server while it was down');
  });

  it('tries a newly configured host at once, even during an outage of the old one', async () => {
    await rig.fake.stop();
    await rig.engine.complete(new FakeDocument('x = █').request(), never);
    assert.equal(rig.engine.state.kind, 'unreachable');
    const other = new FakeOllama({ latency: { timeToFirstTokenMs: 5, perTokenMs: 1 } });
    await other.start();
    try {
      other.generate = () => ({ tokens: ['9'] });
      rig.useSettings({ host: other.url });
      assert.deepEqual(await rig.engine.complete(new FakeDocument('y = █').request(), never), ['9']);
    } finally {
      await other.stop();
      await rig.fake.start();
    }
  });

  it('turns a server error into an error state and backs off', async () => {
    rig.fake.generate = (): GenerateScript => ({ status: 500, error: 'CUDA out of memory' });
    const doc = new FakeDocument('x = █');
    for (let i = 0; i < 5; i++) await rig.engine.complete(doc.type(String(i)).request(), never);
    assert.equal(rig.generates().length, 1);
    assert.deepEqual(rig.engine.state, { kind: 'error', message: 'CUDA out of memory' });
  });

  it('keeps what arrived before an error in the middle of a stream out of the cache', async () => {
    rig.fake.generate = () => ({ tokens: ['abc', 'def'], errorAfterTokens: { count: 1, error: 'runner crashed' } });
    const doc = new FakeDocument('x = █');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), []);
    // Once the back-off is over, the same position asks again: "abc" was not kept to serve it.
    rig.fake.generate = () => ({ tokens: ['42'] });
    await rig.engine.retry();
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['42']);
    assert.equal(rig.generates().length, 2);
  });

  it('sends nothing while completions are turned off', async () => {
    rig.useSettings({ completionsEnabled: false });
    assert.deepEqual(await rig.engine.complete(new FakeDocument('x = █').request(), never), []);
    assert.equal(rig.fake.requests.length, 0);
    assert.equal(rig.engine.state.kind, 'disabled');
  });

  it('sends nothing to a host that is blocked', async () => {
    await rig.dispose();
    rig = await engineRig({ blockedReason: () => 'not confirmed' });
    assert.deepEqual(await rig.engine.complete(new FakeDocument('x = █').request(), never), []);
    assert.equal(rig.fake.requests.length, 0);
    assert.deepEqual(rig.engine.state, { kind: 'disabled', reason: 'not confirmed' });
  });
});
