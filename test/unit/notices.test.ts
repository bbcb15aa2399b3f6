import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineState } from '../../src/completion/completionEngine';
import { NoticePolicy, type Notice } from '../../src/completion/notices';
import { MAX_ERROR_MESSAGE_CHARS, readableError } from '../../src/ollama/client';
import { Emitter } from '../../src/util/emitter';

/** No listener here throws: if one did, the test fails at once. */
const rethrow = (err: unknown) => {
  throw err;
};

function source() {
  const unreachable = new Emitter<string>(rethrow);
  const missing = new Emitter<string>(rethrow);
  const state = new Emitter<EngineState>(rethrow);
  return {
    unreachable, missing, state,
    events: { onUnreachable: unreachable.event, onModelMissing: missing.event, onState: state.event },
  };
}

describe('NoticePolicy', () => {
  test('one notice per distinct problem until reset; other states are not notices', () => {
    const shown: Notice[] = [];
    const policy = new NoticePolicy((n) => shown.push(n));
    const s = source();
    const sub = policy.attach(s.events);
    for (let i = 0; i < 3; i++) {
      s.unreachable.fire('http://127.0.0.1:11434');
      s.missing.fire('codellama:7b-code');
      s.state.fire({ kind: 'error', message: 'CUDA error: out of memory' });
      s.state.fire({ kind: 'ready', model: 'codellama:7b-code' });
      s.state.fire({ kind: 'unreachable', host: 'http://127.0.0.1:11434' });
    }
    s.state.fire({ kind: 'error', message: 'server busy' });
    s.unreachable.fire('http://other:11434');
    assert.deepEqual(shown, [
      { kind: 'unreachable', host: 'http://127.0.0.1:11434' },
      { kind: 'modelMissing', model: 'codellama:7b-code' },
      { kind: 'error', message: 'CUDA error: out of memory' },
      { kind: 'error', message: 'server busy' },
      { kind: 'unreachable', host: 'http://other:11434' },
    ]);
    policy.reset(); // the user's Retry
    s.unreachable.fire('http://127.0.0.1:11434');
    assert.equal(shown.length, 6);
    sub.dispose();
    s.missing.fire('codellama:13b-code');
    assert.equal(shown.length, 6, 'disposed: no longer listening');
  });
});

describe('readableError', () => {
  test('an HTML page becomes its title; long or multi-line bodies become one short line', () => {
    const page = '<!DOCTYPE html><html><head><title>504 Gateway\n Time-out</title></head><body><h1>504</h1></body></html>';
    assert.equal(readableError(page, 504), 'HTTP 504 from a server that is not Ollama (a proxy?): 504 Gateway Time-out');
    assert.equal(readableError('<html><body>down</body></html>', 502), 'HTTP 502 from a server that is not Ollama (a proxy?)');
    assert.equal(readableError('model "x" not found, try pulling it first', 404), 'model "x" not found, try pulling it first');
    assert.equal(readableError('  a\n  b  ', 500), 'a b');
    assert.equal(readableError('', 500), 'HTTP 500');
    const long = readableError('x'.repeat(5000), 500);
    assert.equal(long.length, MAX_ERROR_MESSAGE_CHARS);
    assert.ok(long.endsWith('…'));
  });
});

describe('deadlines', () => {
  test('are the ones the README documents', async () => {
    const { COMPLETION_TIMEOUTS } = await import('../../src/completion/completionEngine');
    const { EXPLAIN_TIMEOUTS } = await import('../../src/explain/explainRun');
    assert.deepEqual(COMPLETION_TIMEOUTS, { headersMs: 30_000, idleMs: 10_000 });
    assert.deepEqual(EXPLAIN_TIMEOUTS, { headersMs: 120_000, idleMs: 30_000 });
  });
});
