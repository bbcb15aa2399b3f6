// A definition cut to its declaration: what a caller needs (signature, fields, members), not the
// body, so more definitions fit the budget.

/** Bodies of at most this many lines are kept whole. */
export const SMALL_BODY_LINES = 8;
/** The most lines a cut declaration has. */
export const MAX_DECLARATION_LINES = 30;

/**
 * The declaration starting at `start` in `lines`, by indentation and brackets (language-agnostic):
 * the signature up to where its body opens, then either the whole body (at most SMALL_BODY_LINES) or
 * the body's member lines (the lines one level in: fields, method signatures), with deeper lines
 * replaced by one `...` line at their indentation, and the closing line. At most
 * MAX_DECLARATION_LINES lines.
 */
export function cutDeclaration(lines: readonly string[], start: number): string[] {
  void lines; void start;
  throw new Error('todo');
}
