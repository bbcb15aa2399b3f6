import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/util/emitter';
import { describeError } from '../../src/util/errors';

describe('Emitter', () => {
  test('a throwing listener is reported with its error and does not starve the others', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>((err) => errors.push(err));
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('listener broke');
    });
    const second = emitter.event((n) => seen.push(n));
    emitter.fire(1);
    second.dispose();
    emitter.fire(2);
    assert.deepEqual(seen, [1]);
    assert.deepEqual(errors.map((e) => (e as Error).message), ['listener broke', 'listener broke']);
  });
});

describe('describeError', () => {
  test('an Error keeps its stack (String(err) would drop it)', () => {
    const err = new Error('boom');
    assert.equal(describeError(err), err.stack);
    assert.match(describeError(err), /^Error: boom\n\s+at /);
  });

  test('anything else thrown is written as text', () => {
    assert.equal(describeError('plain'), 'plain');
    assert.equal(describeError({ code: 7 }), '{"code":7}');
    assert.equal(describeError(undefined), 'undefined');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(describeError(cyclic), '[object Object]');
  });
});
