import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HostConsent, hostKey, type ConsentAnswer, type ConsentStore } from '../../src/settings/hostConsent';

/** A question the test answers when it wants to; every question asked is recorded. */
class Questions {
  readonly asked: string[] = [];
  private readonly open: ((answer: ConsentAnswer) => void)[] = [];
  ask = (host: string): Promise<ConsentAnswer> => {
    this.asked.push(host);
    return new Promise((resolve) => this.open.push(resolve));
  };
  answer(answer: ConsentAnswer): void {
    const resolve = this.open.shift();
    assert.ok(resolve, 'no question is open');
    resolve(answer);
  }
  get openCount(): number { return this.open.length; }
}

class MemoryStore implements ConsentStore {
  constructor(public hosts: string[] = []) {}
  writes = 0;
  get(): readonly string[] { return this.hosts; }
  async update(hosts: string[]): Promise<void> { this.writes++; this.hosts = hosts; }
}

/** Lets queued microtasks (the question being put) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));
const REMOTE = 'http://192.0.2.2:11434';

function setup(store = new MemoryStore()) {
  const questions = new Questions();
  let changes = 0;
  const consent = new HostConsent({ ask: questions.ask, store, onChange: () => changes++ });
  return { consent, questions, store, changes: () => changes };
}

describe('HostConsent', () => {
  it('loopback hosts are never blocked and never asked about', async () => {
    const { consent, questions } = setup();
    for (const host of ['http://127.0.0.1:11434', 'localhost', 'http://[::1]:8080', '127.0.0.2']) {
      assert.equal(consent.blockedReason(host), undefined, host);
      assert.equal(await consent.request(host), true, host);
    }
    assert.deepEqual(questions.asked, []);
  });

  it('a remote host is blocked before anything is asked; blockedReason alone never asks', () => {
    const { consent, questions } = setup();
    for (let i = 0; i < 5; i++) assert.match(consent.blockedReason(REMOTE) ?? '', /until you allow it/);
    assert.deepEqual(questions.asked, []);
  });

  it('asks once while the question is open, however many requests come in', async () => {
    const { consent, questions } = setup();
    const answers = [consent.request(REMOTE), consent.request('192.0.2.2'), consent.request('http://192.0.2.2')];
    await settle();
    assert.deepEqual(questions.asked, [REMOTE], 'one question, about the normalised host');
    assert.match(consent.blockedReason(REMOTE) ?? '', /Waiting for you/);
    questions.answer('allow');
    assert.deepEqual(await Promise.all(answers), [true, true, true]);
    assert.equal(consent.blockedReason(REMOTE), undefined);
  });

  it('"allow" is remembered in the store, normalised, and holds for a new session', async () => {
    const { consent, questions, store } = setup();
    const allowed = consent.request('192.0.2.2');
    await settle();
    questions.answer('allow');
    assert.equal(await allowed, true);
    assert.deepEqual(store.hosts, [REMOTE]);

    const next = setup(store); // a new session over the same store
    assert.equal(next.consent.blockedReason('http://192.0.2.2:11434/'), undefined);
    assert.equal(await next.consent.request('192.0.2.2:11434'), true);
    assert.deepEqual(next.questions.asked, []);
  });

  it('"allow" is per host: another remote host is still asked about', async () => {
    const { consent, questions } = setup(new MemoryStore([REMOTE]));
    const other = consent.request('http://192.0.2.3:11434');
    await settle();
    assert.deepEqual(questions.asked, ['http://192.0.2.3:11434']);
    assert.notEqual(consent.blockedReason('192.0.2.3'), undefined);
    assert.equal(consent.blockedReason('192.0.2.2'), undefined);
    questions.answer('decline');
    assert.equal(await other, false);
  });

  it('a port is part of the host: allowing :11434 does not allow :8080', () => {
    const { consent } = setup(new MemoryStore([REMOTE]));
    assert.notEqual(consent.blockedReason('http://192.0.2.2:8080'), undefined);
  });

  it('hosts an older version stored as typed are read normalised', () => {
    const { consent } = setup(new MemoryStore(['192.0.2.2', ' https://ollama.example.com ']));
    assert.equal(consent.blockedReason(REMOTE), undefined);
    assert.equal(consent.blockedReason('https://ollama.example.com:11434'), undefined);
  });

  for (const answer of ['decline', undefined] as const) {
    it(`${answer === undefined ? 'dismissed' : 'declined'}: blocked, not asked again until reset, nothing stored`, async () => {
      const { consent, questions, store } = setup();
      const first = consent.request(REMOTE);
      await settle();
      questions.answer(answer);
      assert.equal(await first, false);
      for (let i = 0; i < 5; i++) assert.equal(await consent.request(REMOTE), false);
      assert.deepEqual(questions.asked, [REMOTE], 'asked once');
      assert.match(consent.blockedReason(REMOTE) ?? '', /did not allow it.*Infill: Retry/);
      assert.equal(store.writes, 0);

      consent.reset(); // Infill: Retry
      assert.match(consent.blockedReason(REMOTE) ?? '', /until you allow it/);
      const again = consent.request(REMOTE);
      await settle();
      assert.deepEqual(questions.asked, [REMOTE, REMOTE], 'asked again after Retry');
      questions.answer('allow');
      assert.equal(await again, true);
      assert.deepEqual(store.hosts, [REMOTE]);
    });
  }

  it('tells its owner when the answer changes what blockedReason says', async () => {
    const { consent, questions, changes } = setup();
    const answer = consent.request(REMOTE);
    assert.equal(changes(), 1, 'the question opened');
    await settle();
    questions.answer('decline');
    await answer;
    assert.equal(changes(), 2, 'declined');
    consent.reset();
    assert.equal(changes(), 3, 'reset');
    consent.reset();
    assert.equal(changes(), 3, 'nothing to reset');
  });

  it('a question that fails counts as dismissed, also when it throws at once', async () => {
    const errors: unknown[] = [];
    for (const ask of [() => Promise.reject(new Error('no window')), () => { throw new Error('sync'); }]) {
      const consent = new HostConsent({ ask, store: new MemoryStore(), onError: (e) => errors.push(e) });
      assert.equal(await consent.request(REMOTE), false);
      assert.match(consent.blockedReason(REMOTE) ?? '', /did not allow it/);
    }
    assert.equal(errors.length, 2);
  });

  it('a store that fails to remember still allows the host for this session', async () => {
    const errors: unknown[] = [];
    const store: ConsentStore = { get: () => [], update: () => Promise.reject(new Error('disk full')) };
    const consent = new HostConsent({ ask: async () => 'allow', store, onError: (e) => errors.push(e) });
    assert.equal(await consent.request(REMOTE), true);
    assert.equal(consent.blockedReason(REMOTE), undefined);
    assert.equal(errors.length, 1);
  });

  it('forgetAll withdraws every "allow": the hosts are returned, the store emptied, the next request asks', async () => {
    const other = 'http://192.0.2.3:11434';
    const { consent, questions, store, changes } = setup(new MemoryStore(['192.0.2.2', other]));
    assert.deepEqual(consent.allowedHosts(), [REMOTE, other]);
    assert.deepEqual(await consent.forgetAll(), [REMOTE, other], 'normalised');
    assert.deepEqual(store.hosts, []);
    assert.equal(changes(), 1);
    assert.deepEqual(consent.allowedHosts(), []);
    for (const host of [REMOTE, other]) assert.match(consent.blockedReason(host) ?? '', /until you allow it/);
    assert.deepEqual(questions.asked, [], 'forgetting asks nothing');

    const again = consent.request(REMOTE);
    await settle();
    assert.deepEqual(questions.asked, [REMOTE]);
    questions.answer('allow');
    assert.equal(await again, true);
    assert.deepEqual(store.hosts, [REMOTE], 'remembered again, only the host allowed again');
    assert.match(consent.blockedReason(other) ?? '', /until you allow it/);
  });

  it('forgetAll blocks at once, before the store has written', async () => {
    let write: (() => void) | undefined;
    const store = new MemoryStore([REMOTE]);
    store.update = (hosts) => new Promise((resolve) => (write = () => { store.hosts = hosts; resolve(); }));
    const { consent } = setup(store);
    const forgetting = consent.forgetAll();
    assert.notEqual(consent.blockedReason(REMOTE), undefined);
    assert.deepEqual(consent.allowedHosts(), []);
    write!();
    assert.deepEqual(await forgetting, [REMOTE]);
    assert.notEqual(consent.blockedReason(REMOTE), undefined);
  });

  it('forgetAll also forgets a host allowed only for this session (the store failed to remember it)', async () => {
    const errors: unknown[] = [];
    const store: ConsentStore = { get: () => [], update: () => Promise.reject(new Error('disk full')) };
    const consent = new HostConsent({ ask: async () => 'allow', store, onError: (e) => errors.push(e) });
    assert.equal(await consent.request(REMOTE), true);
    assert.deepEqual(await consent.forgetAll(), [REMOTE]);
    assert.notEqual(consent.blockedReason(REMOTE), undefined);
    assert.equal(errors.length, 1, 'the store was not written: it held nothing');
  });

  it('a store that fails to forget still blocks the host for this session', async () => {
    const errors: unknown[] = [];
    const store: ConsentStore = { get: () => [REMOTE], update: () => Promise.reject(new Error('disk full')) };
    const questions = new Questions();
    const consent = new HostConsent({ ask: questions.ask, store, onError: (e) => errors.push(e) });
    assert.deepEqual(await consent.forgetAll(), [REMOTE]);
    assert.equal(errors.length, 1);
    assert.match(consent.blockedReason(REMOTE) ?? '', /until you allow it/);
    const again = consent.request(REMOTE);
    await settle();
    assert.deepEqual(questions.asked, [REMOTE], 'asked again');
    questions.answer('allow');
    assert.equal(await again, true);
    assert.equal(consent.blockedReason(REMOTE), undefined);
  });

  it('forgetAll resets this session\'s "not now": a declined host is asked again', async () => {
    const { consent, questions, changes } = setup();
    const first = consent.request(REMOTE);
    await settle();
    questions.answer('decline');
    assert.equal(await first, false);
    const before = changes();
    assert.deepEqual(await consent.forgetAll(), [], 'nothing was allowed');
    assert.equal(changes(), before + 1);
    assert.match(consent.blockedReason(REMOTE) ?? '', /until you allow it/);
    void consent.request(REMOTE);
    await settle();
    assert.deepEqual(questions.asked, [REMOTE, REMOTE]);
  });

  it('forgetAll with nothing allowed or declined writes nothing and changes nothing', async () => {
    const { consent, store, changes } = setup();
    assert.deepEqual(await consent.forgetAll(), []);
    assert.equal(store.writes, 0);
    assert.equal(changes(), 0);
  });

  it('a corrupt store is read as empty', () => {
    const store = { get: () => 'not a list' as unknown as string[], update: async () => undefined };
    const consent = new HostConsent({ ask: async () => undefined, store });
    assert.notEqual(consent.blockedReason(REMOTE), undefined);
  });
});

describe('hostKey', () => {
  it('normalises like ollama-js, and keeps an unparsable host as typed (trimmed)', () => {
    assert.equal(hostKey('192.0.2.2'), REMOTE);
    assert.equal(hostKey('HTTP://192.0.2.2:11434/api'), REMOTE);
    assert.equal(hostKey(' http://a b '), 'http://a b');
  });
});
