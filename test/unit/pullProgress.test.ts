import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, PullProgress, type PullLine } from '../../src/ollama/pullProgress';
import { pulledBytes } from '../../src/ollama/pullRun';

describe('PullProgress', () => {
  test('starts at 0 with no layers', () => {
    const p = new PullProgress();
    assert.deepEqual(p.state(), { status: 'starting', completedBytes: 0, totalBytes: 0, percent: 0, success: false });
    assert.deepEqual(p.update({ status: 'pulling manifest' }),
      { status: 'pulling manifest', completedBytes: 0, totalBytes: 0, percent: 0, success: false });
  });

  test('percent over all layers, never going back, 100 on success', () => {
    const p = new PullProgress();
    const lines: PullLine[] = [
      { status: 'pulling manifest' },
      { status: 'pulling aaa', digest: 'sha256:aaa', total: 1000, completed: 0 },
      { status: 'pulling aaa', digest: 'sha256:aaa', total: 1000, completed: 500 },
      // A second, bigger layer appears: the overall fraction drops to 10%, the percent must not.
      { status: 'pulling bbb', digest: 'sha256:bbb', total: 4000, completed: 0 },
      { status: 'pulling bbb', digest: 'sha256:bbb', total: 4000, completed: 2000 },
      { status: 'pulling aaa', digest: 'sha256:aaa', total: 1000, completed: 1000 },
      { status: 'pulling bbb', digest: 'sha256:bbb', total: 4000, completed: 3999 },
      { status: 'pulling bbb', digest: 'sha256:bbb', total: 4000, completed: 4000 },
      { status: 'verifying sha256 digest' },
      { status: 'writing manifest' },
      { status: 'success' },
    ];
    const states = lines.map((l) => p.update(l));
    assert.deepEqual(states.map((s) => s.percent), [0, 0, 50, 50, 50, 60, 99, 100, 100, 100, 100]);
    assert.deepEqual(states.map((s) => s.totalBytes), [0, 1000, 1000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000]);
    assert.equal(states[6].completedBytes, 4999);
    for (let i = 1; i < states.length; i++) assert.ok(states[i].percent >= states[i - 1].percent, `step ${i}`);
    assert.deepEqual(states.at(-1), { status: 'success', completedBytes: 5000, totalBytes: 5000, percent: 100, success: true });
    assert.equal(states.slice(0, -1).some((s) => s.success), false);
  });

  test('success with nothing downloaded (already up to date) is 100', () => {
    const p = new PullProgress();
    p.update({ status: 'pulling manifest' });
    assert.equal(p.update({ status: 'success' }).percent, 100);
  });

  test('completed above total is capped; lines without a digest or total are ignored', () => {
    const p = new PullProgress();
    assert.equal(p.update({ status: 'pulling a', digest: 'a', total: 100, completed: 250 }).completedBytes, 100);
    assert.equal(p.update({ status: 'pulling b', digest: 'b', completed: 50 }).totalBytes, 100);
    assert.equal(p.update({ status: 'pulling c', digest: 'c', total: 0, completed: 0 }).totalBytes, 100);
    assert.equal(p.update({ status: 'pulling d', total: 100, completed: 100 }).totalBytes, 100);
    const s = p.update({ status: 'pulling e', digest: 'e', total: 300 });
    assert.equal(s.completedBytes, 100);
    assert.equal(s.totalBytes, 400);
    assert.equal(s.percent, 100, 'held at its highest value');
  });

  test('a layer reporting less than before (a restarted part) does not lower the percent', () => {
    const p = new PullProgress();
    p.update({ status: 'pulling a', digest: 'a', total: 100, completed: 70 });
    const s = p.update({ status: 'pulling a', digest: 'a', total: 100, completed: 10 });
    assert.equal(s.percent, 70);
    assert.equal(s.completedBytes, 10);
  });
});

describe('formatBytes', () => {
  test('decimal units, one decimal above bytes', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1000), '1.0 KB');
    assert.equal(formatBytes(1500), '1.5 KB');
    assert.equal(formatBytes(3_825_000_000), '3.8 GB');
    assert.equal(formatBytes(7_365_000_000), '7.4 GB');
    assert.equal(formatBytes(2_500_000_000_000), '2.5 TB');
    assert.equal(formatBytes(5_000_000_000_000_000), '5000.0 TB');
  });

  test('a value that rounds up to 1000 moves to the next unit', () => {
    assert.equal(formatBytes(999_999), '1.0 MB');
    assert.equal(formatBytes(999_960_000), '1.0 GB');
    assert.equal(formatBytes(999_949), '999.9 KB');
    assert.equal(formatBytes(999_950), '1.0 MB');
  });

  test('units of 1000, not 1024 (the settings panel shows these same strings)', () => {
    assert.equal(formatBytes(1023), '1.0 KB');
    assert.equal(formatBytes(1024), '1.0 KB');
    assert.equal(formatBytes(1_048_576), '1.0 MB');
    assert.equal(formatBytes(1_000_000), '1.0 MB');
  });
});

describe('pulledBytes', () => {
  test('shows the bytes once the size is known, nothing before', () => {
    const state = { status: 'pulling', completedBytes: 1_250_000, totalBytes: 3_800_000_000, percent: 0, success: false };
    assert.equal(pulledBytes(state), ' — 1.3 MB of 3.8 GB');
    assert.equal(pulledBytes({ ...state, completedBytes: 0, totalBytes: 0 }), '');
  });
});
