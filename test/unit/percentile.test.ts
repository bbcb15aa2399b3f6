import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile } from '../../src/util/percentile';

describe('percentile (nearest rank)', () => {
  test('always one of the values: rank = ceil(p/100 × n)', () => {
    const values = [15, 20, 35, 40, 50];
    assert.equal(percentile(values, 0), 15);
    assert.equal(percentile(values, 5), 15);
    assert.equal(percentile(values, 30), 20);
    assert.equal(percentile(values, 40), 20);
    assert.equal(percentile(values, 50), 35);
    assert.equal(percentile(values, 95), 50);
    assert.equal(percentile(values, 100), 50);
    assert.equal(percentile([3, 1, 2], 50), 2, 'unsorted input');
    assert.equal(percentile([1, 2, 3, 4, 5, 6], 50), 3);
    assert.equal(percentile([1, 2, 3, 4, 5, 6], 95), 6);
    assert.equal(percentile([7], 95), 7);
    const input = [3, 1];
    percentile(input, 50);
    assert.deepEqual(input, [3, 1], 'the input is not sorted in place');
  });

  test('no values or p outside 0–100 throw', () => {
    assert.throws(() => percentile([], 50), RangeError);
    assert.throws(() => percentile([1], -1), RangeError);
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], NaN), RangeError);
  });
});
