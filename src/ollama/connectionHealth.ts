// Whether Ollama is reachable, and a cheap way back once it is not.
//
// When a request finds no server, completions stop sending generate requests (none per keystroke
// to a dead server) and a health probe (GET /api/version) runs every 5 s, so completions come back
// by themselves within 5 s of the server returning. A rolling limit of 12 connection attempts a
// minute (probes plus the failed requests themselves) holds on top of that, and the first 20 s of
// an outage see 4: the failed request and the probes at 5, 10 and 15 s. Nothing else in Infill
// polls the server meanwhile (the set-up context follows this state instead of asking).
//
// The interval is flat on purpose: 12 a minute is one attempt per 5 s on average, so any quicker
// probe early in an outage (e.g. 1 s, 2 s, 4 s) spends the minute's budget and forces a gap longer
// than 5 s later in that minute, and a server returning then would wait up to 13 s.

import { Emitter } from '../util/emitter';

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Between probes while the server is down: flat, see above. */
export const PROBE_INTERVAL_MS = 5000;
export const MAX_ATTEMPTS_PER_MINUTE = 12;
const MINUTE = 60_000;

export class ConnectionHealth {
  private up = true;
  private timer: unknown;
  private probing = false;
  private disposed = false;
  private readonly attempts: number[] = [];
  private readonly changes: Emitter<boolean>;

  /**
   * `onListenerError`: where an onChange listener's error goes (the log). `mayProbe`: false while
   * the host may not be contacted (a remote host not allowed, or forgotten): the probe is skipped,
   * not sent, and tried again at the next interval.
   */
  constructor(private readonly probe: () => Promise<boolean>, private readonly timers: Timers,
    onListenerError: (err: unknown) => void, private readonly mayProbe: () => boolean = () => true) {
    this.changes = new Emitter<boolean>(onListenerError);
  }

  get reachable(): boolean {
    return this.up;
  }

  onChange(listener: (reachable: boolean) => void): () => void {
    const subscription = this.changes.event(listener);
    return () => subscription.dispose();
  }

  /**
   * Count a connection attempt toward the limit. Only attempts while the server is down count:
   * requests that succeeded before the outage must not delay the first probes after it.
   */
  noteAttempt(): void {
    if (this.up) return;
    this.attempts.push(this.timers.now());
    this.prune();
  }

  reportUnreachable(): void {
    if (this.disposed) return;
    if (this.up) {
      this.up = false;
      // The request that found the server gone counts; earlier outages' attempts still do too.
      this.attempts.push(this.timers.now());
      this.prune();
      this.emit();
    }
    this.schedule();
  }

  reportReachable(): void {
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.up) {
      this.up = true;
      this.emit();
    }
  }

  /** Probe now (the user asked to retry). Resolves to whether the server answered. */
  async retryNow(): Promise<boolean> {
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await this.runProbe();
    return this.up;
  }

  dispose(): void {
    this.disposed = true;
    this.timers.clearTimeout(this.timer);
    this.changes.dispose();
  }

  private schedule(): void {
    if (this.disposed || this.up || this.timer !== undefined || this.probing) return;
    const now = this.timers.now();
    let at = now + PROBE_INTERVAL_MS;
    this.prune();
    // The attempt at `at` must not be the 13th within a minute: wait for the oldest to age out.
    if (this.attempts.length >= MAX_ATTEMPTS_PER_MINUTE) {
      at = Math.max(at, this.attempts[this.attempts.length - MAX_ATTEMPTS_PER_MINUTE] + MINUTE);
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.runProbe();
    }, at - now);
  }

  private async runProbe(): Promise<void> {
    if (this.disposed || this.probing) return;
    if (!this.mayProbe()) {
      // Nothing goes to a host that is not allowed; once it is, the next interval probes it.
      this.schedule();
      return;
    }
    this.probing = true;
    this.noteAttempt();
    let ok = false;
    try {
      ok = await this.probe();
    } catch {
      ok = false;
    } finally {
      this.probing = false;
    }
    if (this.disposed) return;
    if (ok) {
      this.reportReachable();
    } else {
      if (this.up) {
        this.up = false;
        this.emit();
      }
      this.schedule();
    }
  }

  private prune(): void {
    const cutoff = this.timers.now() - MINUTE;
    while (this.attempts.length > 0 && this.attempts[0] <= cutoff) this.attempts.shift();
  }

  private emit(): void {
    // A listener's failure must not stop the others or the probing (the emitter reports it).
    this.changes.fire(this.up);
  }
}
