// With no selection, "Explain" takes the block that starts on the cursor line: that line and the
// lines after it that are indented deeper, plus a closing line at its own indentation ("}", "end").

import { indentWidth } from '../text/indentation';
import type { LineSource } from '../text/lineSource';

const CLOSER = /^\s*([)\]}]|end\b)/;
/** Never more than this many lines: the prompt budget truncates anyway. */
const MAX_BLOCK_LINES = 400;

export function enclosingBlock(doc: LineSource, line: number): { first: number; last: number } | undefined {
  const start = doc.lineAt(line);
  if (start.trim() === '') return undefined;
  const indent = indentWidth(start);
  let last = line;
  for (let i = line + 1; i < doc.lineCount && i - line < MAX_BLOCK_LINES; i++) {
    const text = doc.lineAt(i);
    if (text.trim() === '') continue;
    if (indentWidth(text) > indent) {
      last = i;
      continue;
    }
    if (CLOSER.test(text) && indentWidth(text) === indent) last = i;
    break;
  }
  return { first: line, last };
}
