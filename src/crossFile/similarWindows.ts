// The window of another file that looks most like the code before the cursor: Jaccard similarity
// of identifier sets, over windows of WINDOW_LINES lines (what Copilot ranks neighbouring tabs by).

import { identifierSet } from './identifiers';

export const WINDOW_LINES = 60;

export interface WindowMatch {
  /** First line of the window (0-based) and one past its last. */
  readonly start: number;
  readonly end: number;
  /** Jaccard similarity of the window's identifiers with the query, 0..1. */
  readonly score: number;
}

/** |a ∩ b| / |a ∪ b|; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const name of small) if (large.has(name)) common++;
  const union = a.size + b.size - common;
  return union === 0 ? 0 : common / union;
}

/**
 * The best window of `lines` for `query` (ties: the earliest), sliding `step` lines at a time; a
 * file shorter than a window is one window. Undefined when no window shares an identifier.
 * Linear in the number of lines.
 *
 * Windows start at 0, step, 2·step, …; when the last of those ends before the file does, one more
 * window ends at the file's end, so the last lines are ranked too.
 */
export function bestWindow(lines: readonly string[], query: ReadonlySet<string>,
  windowLines = WINDOW_LINES, step = 1): WindowMatch | undefined {
  if (lines.length === 0 || query.size === 0) return undefined;
  const size = Math.max(1, Math.floor(windowLines));
  const stride = Math.max(1, Math.floor(step));
  // Each line's identifiers once; the window keeps a count per identifier, so sliding costs the
  // lines entering and leaving, never the whole window.
  const lineSets = lines.map((line) => identifierSet(line));
  const counts = new Map<string, number>();
  let distinct = 0; // identifiers in the window
  let common = 0; // of those, in the query

  const add = (line: number): void => {
    for (const name of lineSets[line]) {
      const n = counts.get(name) ?? 0;
      counts.set(name, n + 1);
      if (n === 0) {
        distinct++;
        if (query.has(name)) common++;
      }
    }
  };
  const remove = (line: number): void => {
    for (const name of lineSets[line]) {
      const n = counts.get(name)!;
      if (n === 1) {
        counts.delete(name);
        distinct--;
        if (query.has(name)) common--;
      } else {
        counts.set(name, n - 1);
      }
    }
  };

  let best: WindowMatch | undefined;
  let lo = 0; // the window's lines are [lo, hi)
  let hi = 0;
  const lastStart = Math.max(0, lines.length - size);
  for (let start = 0; ; start = Math.min(start + stride, lastStart)) {
    const end = Math.min(start + size, lines.length);
    for (; lo < start; lo++) if (lo < hi) remove(lo);
    hi = Math.max(hi, lo);
    for (; hi < end; hi++) add(hi);
    if (common > 0) {
      const score = common / (distinct + query.size - common);
      if (best === undefined || score > best.score) best = { start, end, score };
    }
    if (start === lastStart) break;
  }
  return best;
}
