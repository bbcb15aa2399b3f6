// The window of another file that looks most like the code before the cursor: Jaccard similarity
// of identifier sets, over windows of WINDOW_LINES lines (what Copilot ranks neighbouring tabs by).

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
  void a; void b;
  throw new Error('todo');
}

/**
 * The best window of `lines` for `query` (ties: the earliest), sliding `step` lines at a time; a
 * file shorter than a window is one window. Undefined when no window shares an identifier.
 * Linear in the number of lines.
 */
export function bestWindow(lines: readonly string[], query: ReadonlySet<string>,
  windowLines = WINDOW_LINES, step = 1): WindowMatch | undefined {
  void lines; void query; void windowLines; void step;
  throw new Error('todo');
}
