// A manual clock for modules that take injectable Timers (ConnectionHealth, CompletionEngine):
// callbacks run, in order, when `advanceTo` passes their time.

import type { Timers } from '../../src/ollama/connectionHealth';
import { until } from './until';

/** Let every pending promise callback run (a probe chain is a few microtasks deep). */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ManualClock implements Timers {
  time = 0;
  private seq = 0;
  private queue: { id: number; at: number; fn: () => void }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.queue.push({ id, at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** When the next callback is due, if any. */
  get nextAt(): number | undefined {
    return this.queue.length === 0 ? undefined : Math.min(...this.queue.map((t) => t.at));
  }

  /**
   * Run every callback due up to `time`, in order. After each, let promises settle; when a
   * callback starts real I/O (a probe over HTTP), `settled` says when its effects are in (polled
   * with a deadline).
   */
  async advanceTo(time: number, settled?: () => boolean): Promise<void> {
    for (;;) {
      const due = this.queue.filter((t) => t.at <= time).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.queue = this.queue.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
      if (settled) await until(settled, 5000, 'the callback to settle');
      else await flush();
    }
    this.time = time;
    await flush();
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.time + ms);
  }
}
