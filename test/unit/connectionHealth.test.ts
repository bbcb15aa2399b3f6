import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConnectionHealth, MAX_ATTEMPTS_PER_MINUTE, PROBE_INTERVAL_MS,
} from '../../src/ollama/connectionHealth';
import { flush, ManualClock } from '../support/manualClock';

/** No listener here throws: if one did, the test fails at once. */
const rethrow = (err: unknown) => {
  throw err;
};

/** The shared manual clock, by the name these tests use. */
const FakeTimers = ManualClock;
type FakeTimers = ManualClock;

interface Harness {
  timers: FakeTimers;
  health: ConnectionHealth;
  server: { up: boolean };
  probes: number[];
  attempts: number[];
  events: boolean[];
  /** A generate request made by the engine: counted, and reported unreachable if the server is down. */
  request(): void;
}

function harness(): Harness {
  const timers = new FakeTimers();
  const server = { up: true };
  const probes: number[] = [];
  const attempts: number[] = [];
  const events: boolean[] = [];
  const health = new ConnectionHealth(async () => {
    probes.push(timers.now());
    attempts.push(timers.now());
    return server.up;
  }, timers, rethrow);
  health.onChange((reachable) => events.push(reachable));
  const request = () => {
    health.noteAttempt();
    attempts.push(timers.now());
    if (server.up) health.reportReachable(); else health.reportUnreachable();
  };
  return { timers, health, server, probes, attempts, events, request };
}

/** The most attempts in any rolling minute (an attempt exactly 60 s earlier has aged out). */
function maxPerMinute(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0; i < sorted.length; i++) {
    const count = sorted.filter((t) => t > sorted[i] - 60_000 && t <= sorted[i]).length;
    max = Math.max(max, count);
  }
  return max;
}

const gaps = (times: readonly number[]) => times.slice(1).map((t, i) => t - times[i]);

describe('ConnectionHealth: probing an unreachable server', () => {
  test('starts reachable and does nothing until told otherwise', async () => {
    const h = harness();
    assert.equal(h.health.reachable, true);
    await h.timers.advanceBy(60_000);
    assert.deepEqual(h.probes, []);
    assert.equal(h.timers.pending, 0);
  });

  test('probes every 5 s (a flat interval: quicker early probes would force a longer gap later)', async () => {
    assert.equal(PROBE_INTERVAL_MS, 5000);
    const h = harness();
    h.server.up = false;
    h.request();
    assert.equal(h.health.reachable, false);
    assert.deepEqual(h.probes, [], 'no probe right after the failed request');
    await h.timers.advanceTo(40_000);
    assert.deepEqual(h.probes, [5000, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000]);
    assert.equal(h.timers.pending, 1, 'exactly one probe is scheduled at a time');
  });

  test(`never more than ${MAX_ATTEMPTS_PER_MINUTE} attempts in any rolling minute over 5 minutes`, async () => {
    const h = harness();
    h.server.up = false;
    // Three requests were in flight when the server went away.
    h.request();
    h.request();
    h.request();
    await h.timers.advanceTo(300_000);
    assert.equal(maxPerMinute(h.attempts), MAX_ATTEMPTS_PER_MINUTE);
    // The limit does not starve probing: after the first minute, one probe every 5 s.
    const late = h.probes.filter((t) => t >= 70_000);
    assert.ok(gaps(late).every((g) => g === 5000), `gaps ${gaps(late)}`);
    assert.ok(h.probes.length >= 5 * MAX_ATTEMPTS_PER_MINUTE - 6, `${h.probes.length} probes in 5 minutes`);
  });

  test('the first 20 s of an outage see 4 attempts, the failed request included', async () => {
    const h = harness();
    h.server.up = false;
    h.request(); // at 0: the request that found the server gone
    await h.timers.advanceTo(60_000);
    assert.deepEqual(h.attempts.filter((t) => t < 20_000), [0, 5000, 10_000, 15_000]);
  });

  test('a host that may not be contacted is never probed; once allowed, the next interval probes it', async () => {
    const timers = new FakeTimers();
    const probes: number[] = [];
    let allowed = true;
    const health = new ConnectionHealth(async () => {
      probes.push(timers.now());
      return false;
    }, timers, rethrow, () => allowed);
    health.reportUnreachable();
    await timers.advanceTo(7000);
    assert.deepEqual(probes, [5000]);
    allowed = false; // e.g. Forget Allowed Ollama Hosts
    await timers.advanceTo(120_000);
    assert.deepEqual(probes, [5000], 'nothing while not allowed');
    allowed = true;
    await timers.advanceTo(125_000);
    assert.equal(probes.length, 2);
    assert.ok(probes[1] > 120_000 && probes[1] <= 125_000, `probed at ${probes[1]}`);
    health.dispose();
  });

  test('while the server flaps, no probe is ever more than the 12th attempt in its minute', async () => {
    const h = harness();
    const log: { at: number; probe: boolean }[] = [];
    const probesBefore = () => h.probes.length;
    let seenProbes = 0;
    // Down for 7 s, up for 3 s, repeatedly. The engine sends a request each second while it
    // believes the server is reachable; the ones that find it down are attempts at a dead server.
    for (let t = 0; t < 300_000; t += 1000) {
      await h.timers.advanceTo(t);
      for (; seenProbes < probesBefore(); seenProbes++) log.push({ at: h.probes[seenProbes], probe: true });
      h.server.up = t % 10_000 >= 7000;
      if (h.health.reachable) {
        h.request();
        if (!h.server.up) log.push({ at: t, probe: false });
      }
    }
    let probesChecked = 0;
    log.forEach((entry, i) => {
      if (!entry.probe) return;
      const inMinute = log.slice(0, i + 1).filter((e) => e.at > entry.at - 60_000).length;
      assert.ok(inMinute <= MAX_ATTEMPTS_PER_MINUTE, `probe at ${entry.at} is attempt ${inMinute} of its minute`);
      probesChecked++;
    });
    assert.ok(probesChecked > 20, `${probesChecked} probes`);
    assert.ok(h.events.filter((r) => r).length >= 3, 'it found the server back several times');
  });

  test('requests that succeeded before an outage do not delay its first probe', async () => {
    const h = harness();
    for (let t = 0; t < 20_000; t += 500) {
      await h.timers.advanceTo(t);
      h.request(); // 40 successful requests in the last minute
    }
    h.server.up = false;
    h.request();
    assert.equal(h.timers.nextAt, h.timers.now() + PROBE_INTERVAL_MS);
  });

  test('comes back within 5 s of the server returning, for any return time', async () => {
    for (let back = 1; back <= 240_000; back += 499) {
      const h = harness();
      h.server.up = false;
      h.request();
      await h.timers.advanceTo(back);
      assert.equal(h.health.reachable, false);
      h.server.up = true;
      const next = h.timers.nextAt;
      assert.ok(next !== undefined && next - back <= 5000, `back at ${back}: next probe at ${next}`);
      await h.timers.advanceTo(next);
      assert.equal(h.health.reachable, true, `back at ${back}`);
      assert.deepEqual(h.events, [false, true]);
      assert.equal(h.timers.pending, 0, 'probing stops once reachable');
    }
  });

  test('a probe that throws counts as a failure', async () => {
    const timers = new FakeTimers();
    let calls = 0;
    const health = new ConnectionHealth(async () => {
      calls++;
      throw new Error('ECONNREFUSED');
    }, timers, rethrow);
    health.reportUnreachable();
    await timers.advanceTo(15_000);
    assert.equal(calls, 3);
    assert.equal(health.reachable, false);
    assert.equal(timers.pending, 1);
  });
});

describe('ConnectionHealth: events', () => {
  test('onChange fires once per transition', async () => {
    const h = harness();
    h.server.up = false;
    h.health.reportUnreachable();
    h.health.reportUnreachable();
    h.request();
    await h.timers.advanceTo(20_000);
    assert.deepEqual(h.events, [false]);
    assert.equal(h.timers.pending, 1, 'repeated reports do not stack probes');
    h.server.up = true;
    await h.timers.advanceTo(30_000);
    assert.deepEqual(h.events, [false, true]);
    h.health.reportReachable();
    h.request();
    assert.deepEqual(h.events, [false, true]);
    h.server.up = false;
    h.request();
    assert.deepEqual(h.events, [false, true, false]);
    h.health.reportReachable();
    assert.deepEqual(h.events, [false, true, false, true]);
    assert.equal(h.timers.pending, 0, 'reportReachable cancels the pending probe');
  });

  test('after coming back, a new outage is probed 5 s after its failed request', async () => {
    const h = harness();
    h.server.up = false;
    h.request();
    await h.timers.advanceTo(30_000);
    h.server.up = true;
    await h.timers.advanceTo(40_000);
    assert.equal(h.health.reachable, true);
    const before = h.probes.length;
    h.server.up = false;
    h.request(); // at 40 s
    await h.timers.advanceTo(51_000);
    assert.deepEqual(h.probes.slice(before), [45_000, 50_000]);
  });

  test('a throwing listener does not stop the others; unsubscribing works', () => {
    const timers = new FakeTimers();
    const errors: unknown[] = [];
    const health = new ConnectionHealth(async () => false, timers, (err) => errors.push(err));
    const seen: string[] = [];
    health.onChange(() => {
      throw new Error('boom');
    });
    const off = health.onChange((r) => seen.push(`a${r}`));
    health.onChange((r) => seen.push(`b${r}`));
    health.reportUnreachable();
    off();
    health.reportReachable();
    assert.deepEqual(seen, ['afalse', 'bfalse', 'btrue']);
    assert.deepEqual(errors.map((e) => (e as Error).message), ['boom', 'boom'], 'reported, not swallowed');
  });
});

describe('ConnectionHealth: retryNow and dispose', () => {
  test('retryNow probes at once and reports the result', async () => {
    const h = harness();
    h.server.up = false;
    h.request();
    await h.timers.advanceTo(500);
    h.server.up = true;
    const result = h.health.retryNow();
    assert.deepEqual(h.probes, [500], 'probed immediately');
    assert.equal(await result, true);
    assert.equal(h.health.reachable, true);
    assert.deepEqual(h.events, [false, true]);
    assert.equal(h.timers.pending, 0, 'the scheduled probe was cancelled');
    await h.timers.advanceTo(10_000);
    assert.deepEqual(h.probes, [500]);
  });

  test('retryNow against a dead server: false, and probing goes on from there (no duplicate timer)', async () => {
    const h = harness();
    h.server.up = false;
    h.request();
    await h.timers.advanceTo(500);
    assert.equal(await h.health.retryNow(), false);
    assert.deepEqual(h.events, [false]);
    assert.equal(h.timers.pending, 1);
    await h.timers.advanceTo(11_000);
    // retryNow was the first failure: the next probes follow it every 5 s.
    assert.deepEqual(h.probes, [500, 5500, 10_500]);
  });

  test('retryNow while reachable probes once and stays quiet when it answers', async () => {
    const h = harness();
    assert.equal(await h.health.retryNow(), true);
    assert.deepEqual(h.probes, [0]);
    assert.deepEqual(h.events, []);
  });

  test('retryNow finding the server gone marks it unreachable and starts probing', async () => {
    const h = harness();
    h.server.up = false;
    assert.equal(await h.health.retryNow(), false);
    assert.deepEqual(h.events, [false]);
    assert.equal(h.timers.pending, 1);
  });

  test('dispose stops probing', async () => {
    const h = harness();
    h.server.up = false;
    h.request();
    await h.timers.advanceTo(11_000);
    assert.deepEqual(h.probes, [5000, 10_000]);
    h.health.dispose();
    assert.equal(h.timers.pending, 0);
    await h.timers.advanceTo(120_000);
    assert.deepEqual(h.probes, [5000, 10_000]);
    h.health.reportUnreachable();
    assert.equal(h.timers.pending, 0);
  });

  test('dispose during a probe: nothing is scheduled when it settles, no events', async () => {
    const timers = new FakeTimers();
    let settle: (ok: boolean) => void = () => {};
    const health = new ConnectionHealth(() => new Promise<boolean>((resolve) => (settle = resolve)), timers, rethrow);
    const events: boolean[] = [];
    health.reportUnreachable();
    health.onChange((r) => events.push(r));
    await timers.advanceTo(5000);
    assert.equal(timers.pending, 0, 'the probe is in flight');
    health.dispose();
    settle(true);
    await flush();
    assert.equal(timers.pending, 0);
    assert.deepEqual(events, []);
    assert.equal(health.reachable, false);
  });
});
