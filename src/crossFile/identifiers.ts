// Identifiers in code: the features cross-file context is ranked by, and the names near the cursor
// whose definitions are looked up.

import type { LineSource } from '../text/lineSource';

export interface IdentifierUse {
  readonly name: string;
  readonly line: number;
  /** UTF-16 offset of the name's first character in its line. */
  readonly character: number;
}

/**
 * Only this many characters of a line are scanned (before the cursor: the last ones): lines can be
 * megabytes of minified code or data, and a keystroke must not pay for them.
 */
export const MAX_SCAN_CHARS = 2000;

/** Runs of identifier characters; a run starting with a digit is a number (`0x1F`, `2nd`), not a name. */
const WORD = /[\p{L}\p{M}\p{N}_$]+/gu;
const DIGIT_START = /^\p{N}/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}_$]/u;

/**
 * Keywords and words every file has (`self`, `this`, `true`, `None`, …) of TypeScript/JavaScript,
 * Python, Go, Java, C/C++, C# and Rust: they say nothing about which code is related.
 */
export const KEYWORDS: ReadonlySet<string> = new Set([
  // shared by many
  'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'default', 'break', 'continue', 'return', 'try', 'catch',
  'finally', 'throw', 'throws', 'new', 'delete', 'in', 'of', 'is', 'as', 'and', 'or', 'not', 'true', 'false',
  'null', 'nil', 'void', 'this', 'self', 'Self', 'super', 'class', 'struct', 'enum', 'interface', 'type', 'const',
  'let', 'var', 'static', 'public', 'private', 'protected', 'internal', 'final', 'abstract', 'import', 'export',
  'from', 'package', 'module', 'use', 'extends', 'implements', 'function', 'func', 'fn', 'def', 'async', 'await',
  'yield', 'with', 'goto', 'sizeof', 'typeof', 'instanceof', 'keyof', 'readonly', 'declare', 'namespace',
  'override', 'virtual', 'extern', 'inline', 'volatile', 'register', 'unsigned', 'signed',
  // TypeScript / JavaScript
  'undefined', 'debugger', 'constructor', 'satisfies', 'infer', 'never', 'unknown', 'any',
  'number', 'string', 'boolean', 'object', 'symbol', 'bigint',
  // Python
  'None', 'True', 'False', 'elif', 'except', 'raise', 'pass', 'lambda', 'global', 'nonlocal', 'del', 'assert',
  'cls', 'print', 'len', 'str', 'int', 'float', 'bool', 'list', 'dict', 'tuple',
  // Go
  'go', 'chan', 'defer', 'select', 'map', 'range', 'fallthrough', 'iota', 'make', 'append', 'error',
  // Java / C#
  'synchronized', 'transient', 'native', 'strictfp', 'char', 'byte', 'short', 'long', 'double', 'sealed',
  'record', 'using', 'out', 'ref', 'params', 'base', 'lock', 'event', 'operator', 'implicit', 'explicit',
  // C / C++
  'auto', 'typedef', 'union', 'template', 'typename', 'friend', 'mutable', 'nullptr', 'include', 'define',
  'ifdef', 'ifndef', 'endif', 'pragma', 'std',
  // Rust
  'mut', 'pub', 'crate', 'impl', 'trait', 'where', 'match', 'loop', 'move', 'dyn', 'unsafe', 'mod', 'Some', 'Ok',
  'Err', 'Option', 'Result', 'usize', 'isize', 'u8', 'u16', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64', 'f32', 'f64',
]);

interface Word {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** The identifier runs of `text` from `from` to `to` (no keyword filter); a run cut at either edge is dropped. */
function wordsIn(text: string, from: number, to: number, keepCutAtEnd = false): Word[] {
  const words: Word[] = [];
  const slice = text.slice(from, to);
  for (const m of slice.matchAll(WORD)) {
    const start = from + m.index;
    const end = start + m[0].length;
    if (DIGIT_START.test(m[0])) continue;
    // Part of a longer run that the scan window cuts: not a whole name.
    if (start === from && from > 0 && WORD_CHAR.test(text[from - 1])) continue;
    if (end === to && !keepCutAtEnd && to < text.length && WORD_CHAR.test(text[to])) continue;
    words.push({ name: m[0], start, end });
  }
  return words;
}

/**
 * The identifiers of `text` (letters, digits, `_`, `$`; not starting with a digit), keywords left out.
 * Each line is read up to MAX_SCAN_CHARS.
 */
export function identifierSet(text: string): Set<string> {
  const names = new Set<string>();
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    for (const w of wordsIn(text, lineStart, Math.min(lineEnd, lineStart + MAX_SCAN_CHARS))) {
      if (!KEYWORDS.has(w.name)) names.add(w.name);
    }
    lineStart = lineEnd + 1;
  }
  return names;
}

/**
 * Identifiers used on the cursor line before the cursor and on up to `linesAbove` lines above it,
 * nearest first (right to left on a line, then the line above), each name once, keywords left out,
 * and not the word the cursor is in or right after (still being typed). At most `max`.
 * Reads only those lines: the cursor line's last MAX_SCAN_CHARS before the cursor, each line
 * above up to MAX_SCAN_CHARS.
 */
export function identifiersNearCursor(lines: LineSource, cursor: { line: number; character: number },
  linesAbove: number, max: number): IdentifierUse[] {
  const found: IdentifierUse[] = [];
  if (max <= 0 || cursor.line < 0 || cursor.line >= lines.lineCount) return found;
  const seen = new Set<string>();
  const lowest = Math.max(0, cursor.line - Math.max(0, linesAbove));
  for (let line = cursor.line; line >= lowest; line--) {
    const text = lines.lineAt(line);
    let words: Word[];
    if (line === cursor.line) {
      const end = Math.max(0, Math.min(cursor.character, text.length));
      // The word cut by the cursor is dropped below, wherever it ends.
      words = wordsIn(text, Math.max(0, end - MAX_SCAN_CHARS), end, true);
      // The word ending at the cursor is still being typed (`foo.ba|`): its definition is not asked.
      if (words.length > 0 && words[words.length - 1].end === end) words.pop();
    } else {
      words = wordsIn(text, 0, Math.min(text.length, MAX_SCAN_CHARS));
    }
    for (let i = words.length - 1; i >= 0; i--) {
      const { name, start } = words[i];
      if (KEYWORDS.has(name) || seen.has(name)) continue;
      seen.add(name);
      found.push({ name, line, character: start });
      if (found.length === max) return found;
    }
  }
  return found;
}
