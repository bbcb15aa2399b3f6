// Identifiers in code: the features cross-file context is ranked by, and the names near the cursor
// whose definitions are looked up.

import type { LineSource } from '../text/lineSource';

export interface IdentifierUse {
  readonly name: string;
  readonly line: number;
  /** UTF-16 offset of the name's first character in its line. */
  readonly character: number;
}

/** The identifiers of `text` (letters, digits, `_`, `$`; not starting with a digit), keywords left out. */
export function identifierSet(text: string): Set<string> {
  void text;
  throw new Error('todo');
}

/**
 * Identifiers used on the cursor line before the cursor and on up to `linesAbove` lines above it,
 * nearest first (right to left on a line, then the line above), each name once, keywords left out,
 * and not the word the cursor is in or right after (still being typed). At most `max`.
 */
export function identifiersNearCursor(lines: LineSource, cursor: { line: number; character: number },
  linesAbove: number, max: number): IdentifierUse[] {
  void lines; void cursor; void linesAbove; void max;
  throw new Error('todo');
}
