// Indentation as a visual width, so tabs and spaces compare: a completion ends where the
// indentation drops out of the cursor's block, and Explain's block ends the same way.

/** Visual columns of the leading whitespace of `line` (a tab moves to the next tab stop). */
export function indentWidth(line: string, tabSize = 4): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += tabSize - (width % tabSize);
    else break;
  }
  return width;
}
