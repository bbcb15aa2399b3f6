// The remote-host confirmation with the real CompletionEngine, the real ollama-js client and the fake
// Ollama listening on a non-loopback address of this machine: to Infill, a host "not this machine".

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionEngine, type EngineState } from '../../src/completion/completionEngine';
import { HostConsent, type ConsentAnswer, type ConsentStore } from '../../src/settings/hostConsent';
import { isLoopbackHost } from '../../src/settings/hostPolicy';
import { settingsFrom, type Settings } from '../../src/settings/settings';
import { silentLogger } from '../../src/util/log';
import { FakeOllama } from '../support/fakeOllama';
import { FakeDocument } from '../support/fakeDocument';
import { never } from '../support/never';
import { NO_REMOTE_ADDRESS, remoteAddress } from '../support/remoteAddress';
import { until } from '../support/until';

const address = remoteAddress();

let fake: FakeOllama;
let settings: Settings;
let store: ConsentStore & { hosts: string[] };
const engines: CompletionEngine[] = [];

/** One extension session: a consent over the shared store, wired to an engine as extension.ts does. */
function session(answer: () => ConsentAnswer | Promise<ConsentAnswer>) {
  const asked: string[] = [];
  const states: EngineState[] = [];
  const consent: HostConsent = new HostConsent({
    ask: async (host) => {
      asked.push(host);
      await new Promise((resolve) => setTimeout(resolve, 20)); // the user reads the question
      return answer();
    },
    store,
    onChange: () => engine.refreshState(),
  });
  const engine: CompletionEngine = new CompletionEngine({
    settings: () => settings,
    blockedReason: () => consent.blockedReason(settings.host),
    requestConsent: () => void consent.request(settings.host),
    log: silentLogger,
  });
  engine.onState((s) => states.push(s));
  engines.push(engine);
  return { consent, engine, asked, states };
}

/** Type `text` a character at a time, asking for a completion after each, like VS Code does. */
async function typeAndComplete(engine: CompletionEngine, doc: FakeDocument, text: string): Promise<string[][]> {
  const answers: string[][] = [];
  for (const ch of text) answers.push(await engine.complete(doc.type(ch).request(), never));
  return answers;
}

describe('a host that is not this machine', { skip: address ? false : NO_REMOTE_ADDRESS }, () => {
  beforeEach(async () => {
    fake = new FakeOllama({ host: address, latency: { timeToFirstTokenMs: 5, perTokenMs: 1 } });
    await fake.start();
    fake.generate = () => ({ tokens: ['42'] });
    settings = settingsFrom({ host: fake.url, debounceMs: 0 });
    assert.equal(isLoopbackHost(settings.host), false, `${settings.host} counts as remote`);
    store = { hosts: [], get: () => store.hosts, update: async (hosts) => void (store.hosts = hosts) };
  });

  afterEach(async () => {
    for (const engine of engines.splice(0)) engine.dispose();
    await fake.stop();
  });

  it('declined: several keystrokes send nothing at all, and the question is put once', async () => {
    const { engine, asked, consent } = session(() => 'decline');
    const doc = new FakeDocument('x = █');
    const answers = await typeAndComplete(engine, doc, '1 + 2');
    await until(() => consent.blockedReason(settings.host)?.includes('did not allow') ?? false, 2000, 'the answer');
    answers.push(...await typeAndComplete(engine, doc, ' + 3'));
    assert.deepEqual(answers.flat(), []);
    assert.deepEqual(asked, [fake.url], 'asked once, while typing went on');
    assert.deepEqual(fake.requests.map((r) => `${r.method} ${r.path}`), [], 'not even /api/show, /api/tags or /api/version');
    assert.equal(fake.connections, 0);
    assert.equal(engine.state.kind, 'disabled');
    assert.match((engine.state as { reason: string }).reason, /did not allow it.*Infill: Retry/);
  });

  it('declined, with a custom model that would need /api/show: still nothing', async () => {
    fake.models.push({ name: 'my-coder:latest', size: 1, capabilities: ['completion', 'insert'] });
    settings = { ...settings, customModel: 'my-coder:latest' };
    const { engine, consent } = session(() => 'decline');
    await typeAndComplete(engine, new FakeDocument('y = █'), 'abc');
    await until(() => consent.blockedReason(settings.host)?.includes('did not allow') ?? false, 2000, 'the answer');
    await typeAndComplete(engine, new FakeDocument('z = █'), 'abc');
    assert.equal(fake.connections, 0);
  });

  it('Retry on a declined host probes nothing and asks again', async () => {
    const { engine, asked, consent } = session(() => 'decline');
    await typeAndComplete(engine, new FakeDocument('x = █'), 'a');
    await until(() => consent.blockedReason(settings.host)?.includes('did not allow') ?? false, 2000, 'the answer');
    consent.reset();
    await engine.retry();
    await until(() => asked.length === 2, 2000, 'the second question');
    await until(() => consent.blockedReason(settings.host)?.includes('did not allow') ?? false, 2000, 'the answer');
    assert.equal(fake.connections, 0, 'Retry sent no /api/version probe');
  });

  it('allowed: requests flow once answered, and a second session over the same store asks nothing', async () => {
    const first = session(() => 'allow');
    const doc = new FakeDocument('x = █');
    // The keystroke that asks sends nothing yet: the answer is not in.
    assert.deepEqual(await first.engine.complete(doc.type('1').request(), never), []);
    assert.equal(fake.requests.length, 0);
    assert.match((first.engine.state as { reason?: string }).reason ?? '', /Waiting for you/);
    await until(() => first.engine.state.kind === 'ready', 2000, 'ready once allowed');
    assert.deepEqual(await first.engine.complete(doc.type(' ').request(), never), ['42']);
    assert.equal(fake.requestsTo('/api/generate').length, 1);
    assert.deepEqual(first.asked, [fake.url]);
    assert.deepEqual(store.hosts, [fake.url]);

    const second = session(() => assert.fail('a remembered host is not asked about again'));
    assert.equal(second.engine.state.kind, 'ready');
    assert.deepEqual(await second.engine.complete(new FakeDocument('y = █').request(), never), ['42']);
    assert.deepEqual(second.asked, []);
  });

  it('forgotten after "allow": keystrokes send nothing until asked and allowed again', async () => {
    let answer: Promise<ConsentAnswer> = Promise.resolve('allow');
    const { engine, consent, asked } = session(() => answer);
    const doc = new FakeDocument('x = █');
    await engine.complete(doc.type('1').request(), never);
    await until(() => engine.state.kind === 'ready', 2000, 'ready once allowed');
    assert.deepEqual(await engine.complete(doc.type(' ').request(), never), ['42']);
    assert.equal(fake.requestsTo('/api/generate').length, 1);

    let allowAgain!: (a: ConsentAnswer) => void;
    answer = new Promise((resolve) => (allowAgain = resolve));
    const sent = fake.requests.length;
    assert.deepEqual(await consent.forgetAll(), [fake.url]);
    assert.deepEqual(store.hosts, []);
    assert.equal(engine.state.kind, 'disabled', 'the state was refreshed by the forgetting itself');
    assert.match((engine.state as { reason: string }).reason, /until you allow it/);

    // '4' types into the cached "42": not served either.
    const answers = await typeAndComplete(engine, doc, '4 + 2');
    answers.push(await engine.complete(new FakeDocument('y = █').request(), never));
    assert.deepEqual(answers.flat(), [], 'no suggestion, not even from the cache');
    assert.deepEqual(asked, [fake.url, fake.url], 'asked once more, while typing went on');
    assert.match((engine.state as { reason: string }).reason, /Waiting for you/);
    assert.equal(fake.requests.length, sent, 'nothing sent while the question is open');

    allowAgain('allow');
    await until(() => engine.state.kind === 'ready', 2000, 'ready once allowed again');
    assert.equal(fake.requests.length, sent, 'nothing sent by the answer itself');
    assert.deepEqual(await engine.complete(new FakeDocument('z = █').request(), never), ['42']);
    assert.equal(fake.requestsTo('/api/generate').length, 2);
    assert.deepEqual(store.hosts, [fake.url]);
  });

  it('a remembered host written as the user may type it ("h" vs "http://h:11434") is the same host', async () => {
    store.hosts = [address!];
    const { engine, asked } = session(() => assert.fail('not asked'));
    settings = { ...settings, host: `http://${address}:${fake.port}/` };
    engine.settingsChanged();
    // A different port is a different host: only the default port matches the bare address.
    assert.equal(engine.state.kind, 'disabled');
    store.hosts = [`${address}:${fake.port}`];
    engine.refreshState();
    assert.equal(engine.state.kind, 'ready');
    assert.deepEqual(await engine.complete(new FakeDocument('x = █').request(), never), ['42']);
    assert.deepEqual(asked, []);
  });
});
