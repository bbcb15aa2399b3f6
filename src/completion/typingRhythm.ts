// How long to wait after a keystroke before asking the model.
// Aborts are real and cheap (the HTTP request is closed, the server stops), so the base delay can
// be short. Inside a fast burst the next key is likely to come soon, so we wait a little longer
// (fewer requests started just to be aborted); at a natural pause (after punctuation, on a fresh
// line) the user is likely to look at the screen, so we go almost at once.

/** Intervals between keystrokes below this are a burst. */
export const BURST_INTERVAL_MS = 150;
const SAMPLES = 4;

const PAUSE_AFTER = /[;{}()[\]:,.=>]\s*$/;

export function isNaturalPause(linePrefix: string, lineSuffix: string): boolean {
  if (lineSuffix.trim() !== '') return false;
  return linePrefix.trim() === '' || PAUSE_AFTER.test(linePrefix);
}

/** The debounce for this keystroke: `base` adapted to the recent intervals between keystrokes. */
export function adaptiveDelay(base: number, recentIntervals: readonly number[], naturalPause: boolean): number {
  if (base <= 0) return 0;
  if (naturalPause) return Math.round(base / 2);
  if (recentIntervals.length === 0) return base;
  const sorted = [...recentIntervals].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  // In a burst, wait about as long as the typist's own rhythm (at most 2.5 × base).
  if (median < BURST_INTERVAL_MS) return Math.round(Math.min(base * 2.5, Math.max(base, median * 1.2)));
  return base;
}

/** Remembers when the last few keystrokes (provider calls) happened. */
export class TypingRhythm {
  private last: number | undefined;
  private readonly intervals: number[] = [];

  note(now: number): void {
    if (this.last !== undefined) {
      const gap = now - this.last;
      // A long gap starts a new rhythm; it says nothing about the next burst.
      if (gap > 2000) this.intervals.length = 0;
      else {
        this.intervals.push(gap);
        if (this.intervals.length > SAMPLES) this.intervals.shift();
      }
    }
    this.last = now;
  }

  recent(): readonly number[] {
    return this.intervals;
  }
}

/** Wait `ms`, or less if `signal` aborts; resolves to whether the full wait completed. */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
