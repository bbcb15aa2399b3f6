// A definition cut to its declaration: what a caller needs (signature, fields, members), not the
// body, so more definitions fit the budget.

import { indentWidth } from '../text/indentation';

/** Bodies of at most this many lines are kept whole. */
export const SMALL_BODY_LINES = 8;
/** The most lines a cut declaration has. */
export const MAX_DECLARATION_LINES = 30;

/** Brackets are counted in this many characters of a line (minified lines can be megabytes). */
const SCAN_CHARS = 2000;
/** A line that closes a block at the block's own indentation: `}`, `)`, `];`, `end`. */
const CLOSING_LINE = /^[ \t]*([)\]}]|end\b)/;
/**
 * A body opened after one of these words (before any `(`) holds members worth keeping (fields,
 * method signatures); any other body after a parameter list is a function's statements.
 */
const TYPE_WORD = /\b(class|interface|struct|enum|trait|impl|union|namespace|module|object|record|type)\b/;

/** Open brackets across lines, outside strings and comments; rough, so callers check indentation too. */
class BracketScanner {
  readonly stack: string[] = [];
  private inBlockComment = false;

  scan(line: string): void {
    const n = Math.min(line.length, SCAN_CHARS);
    for (let i = 0; i < n; i++) {
      const ch = line[i];
      if (this.inBlockComment) {
        if (ch === '*' && line[i + 1] === '/') {
          this.inBlockComment = false;
          i++;
        }
      } else if (ch === '"' || ch === "'" || ch === '`') {
        // Unclosed on this line (a Rust lifetime, an apostrophe): an ordinary character.
        const close = closingQuote(line, i, n);
        if (close !== -1) i = close;
      } else if (ch === '/' && line[i + 1] === '/') {
        return;
      } else if (ch === '/' && line[i + 1] === '*') {
        this.inBlockComment = true;
        i++;
      } else if (ch === '#' && (i + 1 === n || line[i + 1] === ' ' || line[i + 1] === '\t')) {
        return; // `# comment`; `#[attr]`, `#include`, `#private` are code
      } else if (ch === '(' || ch === '[' || ch === '{') {
        this.stack.push(ch);
      } else if (ch === ')' || ch === ']' || ch === '}') {
        this.stack.pop();
      }
    }
  }
}

function closingQuote(line: string, open: number, n: number): number {
  const quote = line[open];
  for (let j = open + 1; j < n; j++) {
    if (line[j] === '\\') j++;
    else if (line[j] === quote) return j;
  }
  return -1;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function leadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return line.slice(0, i);
}

/** Lines `from`..`to` (inclusive) of `lines`. */
function range(lines: readonly string[], from: number, to: number): string[] {
  return lines.slice(from, to + 1);
}

interface Parts {
  readonly signatureEnd: number;
  /** Body lines bodyStart..bodyEnd (inclusive; empty when bodyEnd < bodyStart). */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly closing: number | undefined;
}

/** Where the declaration at `start` (not blank) ends its signature and its body. */
function findParts(lines: readonly string[], start: number): Parts {
  const base = indentWidth(lines[start]);
  const scanner = new BracketScanner();
  // A non-blank line at the declaration's indentation that closes nothing, or one further out,
  // belongs to the next declaration (or the brackets were miscounted): it ends this one.
  const endsDeclaration = (i: number): boolean => {
    const indent = indentWidth(lines[i]);
    return !isBlank(lines[i]) && (indent < base || (indent === base && !CLOSING_LINE.test(lines[i])));
  };
  const lastNonBlank = (from: number, to: number): number => {
    let i = to;
    while (i > from && isBlank(lines[i])) i--;
    return i;
  };

  // The signature runs while a parenthesis is the innermost open bracket (parameters over lines).
  let signatureEnd = start;
  for (let i = start; i < lines.length; i++) {
    if (i > start && endsDeclaration(i)) {
      const last = lastNonBlank(start, i - 1);
      return { signatureEnd: last, bodyStart: last + 1, bodyEnd: last, closing: undefined };
    }
    scanner.scan(lines[i]);
    signatureEnd = i;
    if (scanner.stack[scanner.stack.length - 1] !== '(') break;
  }

  let next = signatureEnd + 1;
  while (next < lines.length && isBlank(lines[next])) next++;
  if (scanner.stack.length === 0) {
    // A brace on the next line at the same indentation (Allman style) opens the body.
    if (next < lines.length && indentWidth(lines[next]) === base && lines[next].trimStart().startsWith('{')) {
      scanner.scan(lines[next]);
      signatureEnd = next;
      if (scanner.stack.length === 0) return { signatureEnd, bodyStart: next + 1, bodyEnd: next, closing: undefined };
    } else if (next < lines.length && indentWidth(lines[next]) > base) {
      // Indentation only (Python, Ruby, a continued expression): the deeper lines, then an `end`.
      let i = next;
      while (i < lines.length && (isBlank(lines[i]) || indentWidth(lines[i]) > base)) i++;
      const bodyEnd = lastNonBlank(signatureEnd, i - 1);
      const closing = i < lines.length && indentWidth(lines[i]) === base && CLOSING_LINE.test(lines[i]) ? i : undefined;
      return { signatureEnd, bodyStart: signatureEnd + 1, bodyEnd, closing };
    } else {
      return { signatureEnd, bodyStart: signatureEnd + 1, bodyEnd: signatureEnd, closing: undefined };
    }
  }

  // A bracketed body: until every bracket open on the signature is closed.
  for (let i = signatureEnd + 1; i < lines.length; i++) {
    if (endsDeclaration(i)) {
      const last = lastNonBlank(signatureEnd, i - 1);
      const closes = last > signatureEnd && indentWidth(lines[last]) === base && CLOSING_LINE.test(lines[last]);
      return closes
        ? { signatureEnd, bodyStart: signatureEnd + 1, bodyEnd: last - 1, closing: last }
        : { signatureEnd, bodyStart: signatureEnd + 1, bodyEnd: last, closing: undefined };
    }
    scanner.scan(lines[i]);
    if (scanner.stack.length === 0) return { signatureEnd, bodyStart: signatureEnd + 1, bodyEnd: i - 1, closing: i };
  }
  return { signatureEnd, bodyStart: signatureEnd + 1, bodyEnd: lastNonBlank(signatureEnd, lines.length - 1), closing: undefined };
}

/**
 * The body's lines without comments: a comment among members is no member, and a JSDoc block would
 * take member lines (its ` * …` lines are deeper than the members, so they would become a `...`).
 * Whole-line comments only: `//`, `#` (Python, shell; not `#[attr]`, `#include`, `#private`), and
 * block comments from a line starting `/*` to the line that ends them.
 */
function withoutComments(body: readonly string[]): string[] {
  const out: string[] = [];
  let inBlockComment = false;
  for (const line of body) {
    const text = line.trim();
    if (inBlockComment) {
      inBlockComment = !text.includes('*/');
    } else if (text.startsWith('/*')) {
      inBlockComment = !text.includes('*/', 2);
    } else if (!text.startsWith('//') && !/^#(\s|$)/.test(text)) {
      out.push(line);
    }
  }
  return out;
}

/** A constructor's first line: its body assigns the instance's fields. */
const CONSTRUCTOR = /^\s*(?:(?:public|protected|private)\s+)?constructor\s*\(|^\s*def\s+__init__\s*\(/;
/** `this.x = …`, `this.#x = …`, `self.x = …`, `self.x: int = …` (not `==`, not `this.x.y = …`); group 1 is x. */
const FIELD_ASSIGNMENT = /^(?:this|self)\.(#?[\p{L}_$][\p{L}\p{N}_$]*)\s*(?::[^=]*)?=(?![=>])/u;

/**
 * A constructor's collapsed body: its field assignments, the first of each field, one line each (the
 * first line of a longer one) at the body's indentation, then one `...` if anything else was left out.
 * Without fields: one `...`.
 */
function constructorFields(run: readonly string[]): string[] {
  const indent = leadingWhitespace(run[0]);
  const fields: string[] = [];
  const seen = new Set<string>();
  for (const line of run) {
    const text = line.trim();
    const name = FIELD_ASSIGNMENT.exec(text)?.[1];
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    fields.push(indent + text);
  }
  return fields.length === run.length ? fields : [...fields, `${indent}...`];
}

/**
 * The body's member lines: the lines one level in (comments dropped), a member's parameters over
 * several lines whole, and each run of deeper lines (a member's body) as one `...` at its first
 * line's indentation; a constructor's body as its field assignments (constructorFields).
 */
function memberLines(body: readonly string[]): string[] {
  const lines = withoutComments(body).filter((line) => !isBlank(line));
  const out: string[] = [];
  if (lines.length === 0) return out;
  const memberIndent = indentWidth(lines[0]);
  let owner = ''; // the first line of the member the lines belong to
  let scanner = new BracketScanner();
  for (let i = 0; i < lines.length;) {
    const line = lines[i];
    const deeper = indentWidth(line) > memberIndent;
    // Parameters over several lines, up to the member-level `) {` / `):` that closes them.
    const inParameters = scanner.stack[scanner.stack.length - 1] === '(' && (deeper || /^\s*\)/.test(line));
    if (inParameters || !deeper) {
      if (!inParameters) {
        scanner = new BracketScanner();
        if (!CLOSING_LINE.test(line)) owner = line;
      }
      scanner.scan(line);
      out.push(line);
      i++;
      continue;
    }
    let end = i;
    while (end < lines.length && indentWidth(lines[end]) > memberIndent) end++;
    const run = lines.slice(i, end);
    out.push(...(CONSTRUCTOR.test(owner) ? constructorFields(run) : [`${leadingWhitespace(line)}...`]));
    scanner = new BracketScanner();
    i = end;
  }
  return out;
}

/** Whether the signature opens a function's statements rather than a type's members. */
function isFunctionLike(signature: readonly string[]): boolean {
  const text = signature.join(' ');
  const paren = text.indexOf('(');
  return paren !== -1 && !TYPE_WORD.test(text.slice(0, paren));
}

/**
 * The declaration starting at `start` in `lines`, by indentation and brackets (language-agnostic):
 * the signature up to where its body opens, then either the whole body (at most SMALL_BODY_LINES) or
 * the body's member lines (the lines one level in: fields, method signatures), with deeper lines
 * replaced by one `...` line at their indentation, and the closing line. At most
 * MAX_DECLARATION_LINES lines.
 *
 * A large body after a parameter list (a function's statements, not a type's members) becomes a
 * single `...` line. Past MAX_DECLARATION_LINES, the last lines kept are followed by `...` and the
 * closing line.
 */
export function cutDeclaration(lines: readonly string[], start: number): string[] {
  if (!Number.isInteger(start) || start < 0 || start >= lines.length || isBlank(lines[start])) return [];
  const parts = findParts(lines, start);
  const signature = range(lines, start, parts.signatureEnd);
  const body = range(lines, parts.bodyStart, parts.bodyEnd);
  const closing = parts.closing === undefined ? [] : [lines[parts.closing]];
  const firstBodyLine = body.find((line) => !isBlank(line));
  let inner: string[];
  if (body.length <= SMALL_BODY_LINES || firstBodyLine === undefined) inner = body;
  else if (isFunctionLike(signature)) inner = [`${leadingWhitespace(firstBodyLine)}...`];
  else inner = memberLines(body);

  const all = [...signature, ...inner, ...closing];
  if (all.length <= MAX_DECLARATION_LINES) return all;
  const kept = all.slice(0, MAX_DECLARATION_LINES - 1 - closing.length);
  const gap = `${leadingWhitespace(firstBodyLine ?? signature[signature.length - 1])}...`;
  if (kept[kept.length - 1].trim() !== '...') kept.push(gap);
  return [...kept, ...closing];
}
