// A dead server while the user types for minutes, on a simulated clock: connection attempts are
// counted at the socket (the fake's dead listener accepts and resets each one), the engine's
// health probes run on the clock the engine is given, and the HTTP underneath is real.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ATTEMPTS_PER_MINUTE } from '../../src/ollama/connectionHealth';
import { FakeDocument } from '../support/fakeDocument';
import { figures, ManualClock, never, printFigures, rig, settleWithin, unhandled } from './harness';

const KEY_EVERY_MS = 250;
const MINUTE = 60_000;

/** Attempts in each whole simulated minute from 0, and the most in any rolling minute. */
function rates(times: readonly number[], until: number): { perMinute: number[]; maxRolling: number } {
  const perMinute: number[] = [];
  for (let m = 0; (m + 1) * MINUTE <= until; m++) perMinute.push(times.filter((t) => t >= m * MINUTE && t < (m + 1) * MINUTE).length);
  let maxRolling = 0;
  for (const end of times) maxRolling = Math.max(maxRolling, times.filter((t) => t > end - MINUTE && t <= end).length);
  return { perMinute, maxRolling };
}

/** Type through an outage that ends at `back` (simulated ms); returns the figures. */
async function outage(back: number): Promise<{ attempts: number[]; readyAt: number; served: string[] }> {
  const clock = new ManualClock();
  const r = await rig({ timers: clock });
  try {
    const attempts: number[] = [];
    r.fake.on('connection', (c: { dead: boolean }) => { if (c.dead) attempts.push(clock.now()); });
    r.fake.generate = () => ({ tokens: [' b', '\n'] });
    const d = new FakeDocument('def add(a, b):\n    return█\n');
    // Served once before the server dies. (Also: Node 20's fetch, on its very first request in a
    // process, misses a connection that the server accepts and closes at once, and waits until the
    // header deadline; later requests see "other side closed" at once.)
    assert.deepEqual(await settleWithin([r.engine.complete(d.request(), never)]), [[' b']]);
    await r.fake.playDead();
    let readyAt = -1;
    r.engine.onState((s) => { if (s.kind === 'ready' && readyAt < 0 && clock.now() >= back) readyAt = clock.now(); });
    const settled = () => clock.pending > 0 || r.engine.state.kind !== 'unreachable';
    let previous: AbortController | undefined;
    let served: string[] = [];
    for (let t = 0; ; t += KEY_EVERY_MS) {
      if (t >= back && t - KEY_EVERY_MS < back) await r.fake.start(); // the server returns
      await clock.advanceTo(t, settled);
      previous?.abort();
      previous = new AbortController();
      const [got] = await settleWithin([r.engine.complete(d.type(t % 1000 === 0 ? ' ' : 'a').request(), previous.signal)]);
      if (t < back) {
        assert.deepEqual(got, [], `nothing served while dead (t = ${t})`);
        if (t > 0) assert.equal(r.engine.state.kind, 'unreachable', `t = ${t}: ${JSON.stringify(r.engine.state)}`);
      } else if (got.length > 0) {
        served = got;
        break;
      }
      assert.ok(t < back + 10_000, 'completions did not come back within 10 s of the server');
    }
    assert.equal(r.fake.requestsTo('/api/version').length, 1, 'one probe found the server back');
    assert.deepEqual(r.notices, [{ kind: 'unreachable', host: r.fake.url }]);
    assert.deepEqual(unhandled, []);
    return { attempts, readyAt, served };
  } finally {
    await r.dispose();
  }
}

after(() => printFigures('Dead server (simulated clock, attempts counted at the socket)'));

describe('dead server, typing on for minutes', () => {
  it(`at most ${MAX_ATTEMPTS_PER_MINUTE} connection attempts in any minute over 3 minutes, back within 5 s`, async () => {
    const back = 3 * MINUTE + 2500;
    const { attempts, readyAt, served } = await outage(back);
    const { perMinute, maxRolling } = rates(attempts, back);
    assert.ok(maxRolling <= MAX_ATTEMPTS_PER_MINUTE, `max ${maxRolling} in a rolling minute; at ${attempts}`);
    // One attempt every 5 s: the request that found it dead, then the probes. That request may go
    // out on the kept-alive connection of the last good one (then it is no new connection): 11 or 12.
    assert.ok(perMinute[0] === 11 || perMinute[0] === 12, `first minute: ${perMinute[0]}`);
    assert.deepEqual(perMinute.slice(1), [12, 12], 'later minutes: a probe every 5 s');
    // From the failure on (t = 0, the first keystroke after the server died): 4 in the first 20 s
    // (3 when the failed request went out on the last good request's kept-alive connection).
    const first20 = attempts.filter((t) => t < 20_000);
    assert.ok(first20.length === 3 || first20.length === 4, `first 20 s: ${first20}`);
    assert.deepEqual(first20.slice(-3), [5000, 10_000, 15_000], 'then a probe every 5 s, nothing else');
    assert.ok(readyAt - back <= 5000, `ready ${readyAt - back} ms after the server came back`);
    assert.deepEqual(served, [' b']);
    figures.push({ case: `dead 3 min, ${KEY_EVERY_MS} ms/keystroke`, survived: true, notifications: 1,
      deadPerMinute: perMinute.join(' / '), first20s: first20.length, recoveryMs: readyAt - back });
  });

  for (const back of [2_500, 47_500, 58_000, 91_000]) {
    it(`server back at ${back / 1000} s: completions within 5 s (simulated)`, async () => {
      const { attempts, readyAt, served } = await outage(back);
      assert.ok(rates(attempts, back).maxRolling <= MAX_ATTEMPTS_PER_MINUTE);
      assert.ok(readyAt >= back && readyAt - back <= 5000, `ready ${readyAt - back} ms after the server came back`);
      assert.deepEqual(served, [' b']);
      figures.push({ case: `server back at ${back / 1000} s`, survived: true, notifications: 1, recoveryMs: readyAt - back });
    });
  }
});
