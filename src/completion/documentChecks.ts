// Checks on the text around the cursor that decide "no completion" before anything is sent.

/** Characters that do not occur in text a person edits: C0 controls (but tab, LF, VT, FF, CR), DEL, U+FFFD. */
const ODD = /[\u0001-\u0008\u000e-\u001f\u007f\ufffd]/g;

/**
 * Text that is not code: a NUL byte anywhere, or odd characters (how VS Code shows bytes of a binary
 * file: controls, or U+FFFD for invalid UTF-8) making up a tenth of it. Such a prompt wastes the
 * model's time and can only produce garbage. Escape sequences in a log or one stray U+FFFD pass.
 */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const odd = text.match(ODD)?.length ?? 0;
  return odd >= 4 && odd * 10 >= text.length;
}

/** The cursor between the two halves of a surrogate pair (or next to a lone half). */
export function splitsSurrogatePair(linePrefix: string, lineSuffix: string): boolean {
  const before = linePrefix.charCodeAt(linePrefix.length - 1);
  const after = lineSuffix.charCodeAt(0);
  return (before >= 0xd800 && before <= 0xdbff) || (after >= 0xdc00 && after <= 0xdfff);
}
