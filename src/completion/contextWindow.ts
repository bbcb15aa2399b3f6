// Which part of the document goes into the prompt, within a token budget.
//
// Only the lines needed are read (through LineSource), never the whole text, so the work per
// keystroke is bounded by the budget, not by the document size.
//
// Stable edges: in an SPM prompt the suffix comes first and the prefix last, so two consecutive
// prompts share everything up to the cursor as long as neither window edge moves. Ollama then
// evaluates only the newly typed tokens (its prompt cache reuses the longest common token prefix).
// So the edges are kept from one request to the next while the window still fits, and when they
// must move they jump, leaving HEADROOM of the budget free for the next stretch of typing. The top
// edge is kept as an absolute line (typing below it does not move it); the bottom edge is kept as a
// distance from the end of the document (typing above it does not move it).

import type { LineSource } from '../text/lineSource';
import { estimateLineTokens, estimateTokens } from '../text/tokenEstimate';

export interface Cursor {
  readonly line: number;
  /** UTF-16 offset in the line, as VS Code positions are. */
  readonly character: number;
}

export interface WindowEdges {
  /** First line of the prefix (absolute). */
  readonly firstLine: number;
  /** Lines of the document after the last line of the suffix. */
  readonly linesAfterEnd: number;
}

export interface ContextWindow {
  /** LF-joined text from the window's first line up to the cursor. */
  readonly prefix: string;
  /** LF-joined text from the cursor to the window's last line. */
  readonly suffix: string;
  /** Text on the cursor line before / after the cursor (possibly shortened on giant lines). */
  readonly linePrefix: string;
  readonly lineSuffix: string;
  readonly edges: WindowEdges;
  readonly prefixTokens: number;
  readonly suffixTokens: number;
}

/** Share of the budget given to the prefix; the code before the cursor matters most. */
export const PREFIX_SHARE = 0.75;
/** Share of each side left free when edges move, so they then stay put for a while. */
export const HEADROOM = 0.15;
/** Kept edges are dropped when a side uses less than this share of its budget. */
export const MIN_USE = 0.5;

/** The longest end of `text` (at most `budget` tokens), not splitting a surrogate pair. */
export function tailWithin(text: string, budget: number): string {
  // A token covers at most ~16 characters; look no further back than that. So a giant line
  // (minified code) costs estimates of its last budget × 16 characters only, never of all of it.
  const reach = budget * 16;
  if (text.length <= reach && estimateTokens(text) <= budget) return text;
  let lo = Math.max(0, text.length - reach);
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (estimateTokens(text.slice(mid)) <= budget) hi = mid; else lo = mid + 1;
  }
  return text.slice(isLowSurrogate(text, lo) ? lo + 1 : lo);
}

/** The longest start of `text` (at most `budget` tokens), not splitting a surrogate pair. */
export function headWithin(text: string, budget: number): string {
  const reach = budget * 16;
  if (text.length <= reach && estimateTokens(text) <= budget) return text;
  let lo = 0;
  let hi = Math.min(text.length, reach);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (estimateTokens(text.slice(0, mid)) <= budget) lo = mid; else hi = mid - 1;
  }
  return text.slice(0, isLowSurrogate(text, lo) ? lo - 1 : lo);
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Select the window around `cursor`. `budget` is the prompt budget in tokens (num_ctx minus
 * num_predict minus the sentinels); `previous` are the edges used for the same document last time.
 */
export function selectWindow(doc: LineSource, cursor: Cursor, budget: number,
  previous?: WindowEdges): ContextWindow {
  const lineText = doc.lineAt(cursor.line);
  const prefixBudget = Math.floor(budget * PREFIX_SHARE);
  const suffixBudget = budget - prefixBudget;
  // A giant cursor line (minified code) is cut to what fits; the rest of the window is then empty.
  const linePrefix = tailWithin(lineText.slice(0, cursor.character), prefixBudget);
  const lineSuffix = headWithin(lineText.slice(cursor.character), suffixBudget);
  const linePrefixTokens = estimateTokens(linePrefix);
  const lineSuffixTokens = estimateTokens(lineSuffix);

  const lastDocLine = doc.lineCount - 1;
  let firstLine: number;
  let lastLine: number;
  const kept = previous && keepEdges(doc, cursor.line, previous, prefixBudget - linePrefixTokens,
    suffixBudget - lineSuffixTokens);
  if (kept) {
    ({ firstLine, lastLine } = kept);
  } else {
    // Fresh edges: fill each side to (1 - HEADROOM) of its share; a side that reaches the
    // document's edge early hands its unused budget to the other side.
    const fill = 1 - HEADROOM;
    const up = fillUp(doc, cursor.line, Math.floor(prefixBudget * fill) - linePrefixTokens);
    const down = fillDown(doc, cursor.line, Math.floor(suffixBudget * fill) - lineSuffixTokens);
    firstLine = up.line;
    lastLine = down.line;
    if (firstLine === 0 && up.left > 0) lastLine = fillDown(doc, cursor.line, down.used + up.left).line;
    else if (lastLine === lastDocLine && down.left > 0) firstLine = fillUp(doc, cursor.line, up.used + down.left).line;
  }

  const before: string[] = [];
  let prefixTokens = linePrefixTokens;
  for (let i = firstLine; i < cursor.line; i++) {
    const text = doc.lineAt(i);
    prefixTokens += estimateLineTokens(text);
    before.push(text);
  }
  const after: string[] = [];
  let suffixTokens = lineSuffixTokens;
  for (let i = cursor.line + 1; i <= lastLine; i++) {
    const text = doc.lineAt(i);
    suffixTokens += estimateLineTokens(text);
    after.push(text);
  }
  before.push(linePrefix);
  after.unshift(lineSuffix);
  return {
    prefix: before.join('\n'),
    suffix: after.join('\n'),
    linePrefix,
    lineSuffix,
    edges: { firstLine, linesAfterEnd: lastDocLine - lastLine },
    prefixTokens,
    suffixTokens,
  };
}

/** Lines above `line` that fit in `budget`: returns the first line taken and what was used/left. */
function fillUp(doc: LineSource, line: number, budget: number) {
  let used = 0;
  let first = line;
  while (first > 0) {
    const cost = estimateLineTokens(doc.lineAt(first - 1));
    if (used + cost > budget) break;
    used += cost;
    first--;
  }
  return { line: first, used, left: first === 0 ? Math.max(0, budget - used) : 0 };
}

function fillDown(doc: LineSource, line: number, budget: number) {
  let used = 0;
  let last = line;
  while (last < doc.lineCount - 1) {
    const cost = estimateLineTokens(doc.lineAt(last + 1));
    if (used + cost > budget) break;
    used += cost;
    last++;
  }
  return { line: last, used, left: last === doc.lineCount - 1 ? Math.max(0, budget - used) : 0 };
}

/**
 * The previous edges if the cursor is still inside them, the whole window still fits
 * (`prefixLeft`/`suffixLeft`: each side's budget left after the cursor line's own text; a side that
 * reached the document's edge lent its spare budget to the other, so only the total is checked),
 * and neither side has shrunk below MIN_USE of its share (the cursor jumped next to an edge) unless
 * it reaches the document's edge. Sums exit early, so rejecting costs no more than keeping.
 */
function keepEdges(doc: LineSource, cursorLine: number, previous: WindowEdges, prefixLeft: number,
  suffixLeft: number): { firstLine: number; lastLine: number } | undefined {
  const firstLine = previous.firstLine;
  const lastLine = doc.lineCount - 1 - previous.linesAfterEnd;
  if (firstLine > cursorLine || lastLine < cursorLine) return undefined;
  const total = prefixLeft + suffixLeft;
  let prefixUsed = 0;
  for (let i = firstLine; i < cursorLine; i++) {
    prefixUsed += estimateLineTokens(doc.lineAt(i));
    if (prefixUsed > total) return undefined;
  }
  if (firstLine > 0 && prefixUsed < prefixLeft * MIN_USE) return undefined;
  let suffixUsed = 0;
  for (let i = cursorLine + 1; i <= lastLine; i++) {
    suffixUsed += estimateLineTokens(doc.lineAt(i));
    if (prefixUsed + suffixUsed > total) return undefined;
  }
  if (previous.linesAfterEnd > 0 && suffixUsed < suffixLeft * MIN_USE) return undefined;
  return { firstLine, lastLine };
}
