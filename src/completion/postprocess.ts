// Turning raw model text into a suggestion worth showing. All model output is untrusted text;
// nothing here evaluates it, it is only cut.

import { indentWidth } from '../text/indentation';

/** Text the model may emit that ends the middle: the end-of-infill token, or echoed sentinels. */
const END_MARKERS = ['<EOT>', '<EOD>', '<PRE>', '<SUF>', '<MID>'] as const;

export interface CleanText {
  /** The usable text so far. */
  readonly text: string;
  /** An end marker was seen: the text is final. */
  readonly ended: boolean;
}

/**
 * Cut at the first end marker (and the whitespace right before it: the piece "▁<EOT>" reads as
 * " <EOT>"). While streaming, a trailing partial marker ("<EO") is held back so it never shows.
 */
export function cleanModelText(streamed: string): CleanText {
  // The model may write CRLF or a lone CR, which an editor takes as a line break too: LF from here
  // on, so a "single line" can never carry a hidden break (the provider converts to the file's EOL).
  // A CR at the very end is held back: it may be the first half of a CRLF still on its way.
  const raw = streamed.replace(/\r\n?/g, '\n');
  const held = streamed.endsWith('\r') ? 1 : 0;
  let cut = -1;
  for (const marker of END_MARKERS) {
    const at = raw.indexOf(marker);
    if (at !== -1 && (cut === -1 || at < cut)) cut = at;
  }
  if (cut !== -1) return { text: raw.slice(0, cut).replace(/[ \t]+$/, ''), ended: true };
  const lt = raw.lastIndexOf('<');
  if (lt !== -1 && raw.length - lt < 5 && END_MARKERS.some((m) => m.startsWith(raw.slice(lt)))) {
    return { text: raw.slice(0, lt), ended: false };
  }
  return { text: held ? raw.slice(0, -1) : raw, ended: false };
}

export interface Surroundings {
  /** Cursor line before / after the cursor. */
  readonly linePrefix: string;
  readonly lineSuffix: string;
  /** The line above the cursor line ('' at the top). */
  readonly previousLine: string;
  /** A few lines below the cursor line. */
  readonly nextLines: readonly string[];
}

const CLOSING = /[)\]}"'`;,]+$/;

/** The suggestion to show for `completion` at the cursor, or undefined if it is not worth showing. */
export function postprocess(completion: string, around: Surroundings): string | undefined {
  let text = completion.split('\n').map((line) => line.trimEnd()).join('\n').trimEnd();
  if (!text.includes('\n')) text = dropRestOfLine(text, around.lineSuffix);
  else text = dropRepeatedSuffixLines(text, around.nextLines);
  if (text.trim() === '') return undefined;
  if (repeatsNeighbour(text, around)) return undefined;
  return text;
}

/** Remove what the line after the cursor already has: the whole rest of the line, or closers. */
function dropRestOfLine(text: string, lineSuffix: string): string {
  const rest = lineSuffix.trim();
  if (rest === '') return text;
  if (text.endsWith(rest) && mayDrop(text, rest.length)) return text.slice(0, text.length - rest.length).trimEnd();
  const closers = CLOSING.exec(text)?.[0] ?? '';
  const after = lineSuffix.trimStart();
  for (let n = closers.length; n > 0; n--) {
    if (after.startsWith(closers.slice(closers.length - n)) && mayDrop(text, n)) return text.slice(0, text.length - n);
  }
  return text;
}

/**
 * Whether the last `n` characters of `text` may be dropped as a repeat of the line after the cursor:
 * not if one of them closes a bracket or a string opened in the rest of `text` ("foo(█)" + "bar()"
 * must keep its own ")"). A closer with no opener in `text` is the duplicate of the one already there.
 */
function mayDrop(text: string, n: number): boolean {
  const keptLength = text.length - n;
  const brackets: boolean[] = []; // open brackets: whether each was opened in the kept part
  let quote: { ch: string; kept: boolean } | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const kept = i < keptLength;
    if (ch === '\\') {
      i++; // an escaped character, e.g. \" inside a string the cursor is in
    } else if (quote) {
      if (ch === quote.ch) {
        if (!kept && quote.kept) return false;
        quote = undefined;
      }
    } else if (ch === '"' || ch === "'" || ch === '`') {
      quote = { ch, kept };
    } else if (ch === '(' || ch === '[' || ch === '{') {
      brackets.push(kept);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (brackets.pop() === true && !kept) return false;
    }
  }
  return true;
}

/** Trailing lines of a multi-line completion that the document already has right after the cursor. */
function dropRepeatedSuffixLines(text: string, nextLines: readonly string[]): string {
  const lines = text.split('\n');
  const next = nextLines.filter((l) => l.trim() !== '');
  for (let n = Math.min(lines.length - 1, next.length); n > 0; n--) {
    const tail = lines.slice(lines.length - n);
    if (tail.every((l, i) => sameLine(l, next[i]))) return lines.slice(0, lines.length - n).join('\n').trimEnd();
  }
  return text;
}

/** The same line, indentation included: a "}" at another indentation closes another block. */
function sameLine(a: string, b: string): boolean {
  return a.trim() === b.trim() && indentWidth(a) === indentWidth(b);
}

/** The suggestion would only duplicate the line above or below the cursor. */
function repeatsNeighbour(text: string, around: Surroundings): boolean {
  const firstLine = (around.linePrefix + text.split('\n')[0] + (text.includes('\n') ? '' : around.lineSuffix)).trim();
  const below = around.nextLines.find((l) => l.trim() !== '')?.trim();
  if (!text.includes('\n')) {
    // Short lines such as "}" or "end" legitimately repeat; a loop repeats real statements.
    const substantial = firstLine.length >= 4 && /[\p{L}\p{N}]/u.test(firstLine);
    return substantial && (firstLine === around.previousLine.trim() || firstLine === below);
  }
  const added = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const next = around.nextLines.map((l) => l.trim()).filter((l) => l !== '');
  return added.length > 0 && added.length <= next.length && added.every((l, i) => l === next[i]);
}

/** Surroundings from a window's prefix and suffix, reading only their ends. */
export function surroundingsOf(prefix: string, suffix: string, linePrefix: string, lineSuffix: string,
  nextLineCount = 3): Surroundings {
  const beforeLine = prefix.length - linePrefix.length - 1;
  const previousLine = beforeLine < 0 ? '' : prefix.slice(prefix.lastIndexOf('\n', beforeLine - 1) + 1, beforeLine);
  const nextLines: string[] = [];
  let at = lineSuffix.length;
  while (nextLines.length < nextLineCount && at < suffix.length && suffix[at] === '\n') {
    const end = suffix.indexOf('\n', at + 1);
    nextLines.push(suffix.slice(at + 1, end === -1 ? suffix.length : end));
    at = end === -1 ? suffix.length : end;
  }
  return { linePrefix, lineSuffix, previousLine, nextLines };
}
