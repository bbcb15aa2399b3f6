// What a promise rejects with, for asserting on the error itself.

import assert from 'node:assert/strict';

/** The reason `promise` rejects with; fails if it resolves, or (given `type`) if the reason is not a `type`. */
export async function rejection<T = any>(promise: Promise<unknown>, type?: abstract new (...args: any[]) => T): Promise<T> {
  try {
    await promise;
  } catch (err) {
    if (type) assert.ok(err instanceof type, `a ${type.name}, got ${String(err)}`);
    return err as T;
  }
  assert.fail('expected a rejection');
}
