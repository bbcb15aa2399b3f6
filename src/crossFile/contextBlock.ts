// The cross-file context block: snippets rendered as comment blocks, within a token budget, in a
// fixed order, so the same snippets always give the same bytes (Ollama's prompt cache).

import { estimateTokens } from '../text/tokenEstimate';
import { commentBlock, commentHead, commentLine, commentTail, type CommentSyntax } from './commentSyntax';
import { covers, type Snippet } from './snippet';

export interface ContextBlock {
  /** The rendered comment blocks, "" when none; placed right before the file's own prefix. */
  readonly text: string;
  /** estimateTokens(text). */
  readonly tokens: number;
  /** The snippets it holds, in the order rendered. */
  readonly snippets: readonly Snippet[];
}

export const EMPTY_BLOCK: ContextBlock = { text: '', tokens: 0, snippets: [] };

export const MIN_SNIPPET_LINES = 3;

interface Taken {
  readonly snippet: Snippet;
  readonly text: string;
  readonly tokens: number;
}

function inside(s: Snippet, taken: readonly Taken[]): boolean {
  return taken.some(({ snippet: t }) => covers(t, s));
}

/**
 * The longest first part of `snippet` (at least MIN_SNIPPET_LINES lines) whose block fits `budget`.
 * Every piece of a block ends with "\n" and estimateTokens counts lines on their own, so a block's
 * tokens are the sum of its pieces': one pass finds the cut.
 */
function cut(syntax: CommentSyntax, snippet: Snippet, budget: number): Taken | undefined {
  let tokens = estimateTokens(commentHead(syntax, snippet.path)) + estimateTokens(commentTail(syntax));
  let count = 0;
  while (count < snippet.lines.length) {
    const more = estimateTokens(commentLine(syntax, snippet.lines[count]));
    if (tokens + more > budget) break;
    tokens += more;
    count++;
  }
  for (; count >= MIN_SNIPPET_LINES; count--) {
    const lines = snippet.lines.slice(0, count);
    const text = commentBlock(syntax, snippet.path, lines);
    // The sum is exact; checking the rendered block keeps "never over budget" independent of that.
    const blockTokens = estimateTokens(text);
    if (blockTokens <= budget) return { snippet: { ...snippet, lines }, text, tokens: blockTokens };
  }
  return undefined;
}

/**
 * Take snippets in the order given (highest priority first), each if its comment block still fits
 * `budget` tokens, else cut to its first lines that fit (at least MIN_SNIPPET_LINES) or skipped;
 * a snippet whose lines are all inside one taken before (same path) is skipped, and one taken
 * before whose lines are all inside a later one is dropped for it. Render the taken
 * ones with the lowest priority first, so the most useful sits next to the file's own code.
 * Inside means inside what was taken (a cut snippet covers only its first lines); a snippet with
 * no lines is skipped.
 */
export function renderContextBlock(syntax: CommentSyntax, snippets: readonly Snippet[], budget: number): ContextBlock {
  if (!(budget > 0)) return EMPTY_BLOCK;
  const taken: Taken[] = [];
  let left = budget;
  for (const snippet of snippets) {
    if (snippet.lines.length === 0 || inside(snippet, taken)) continue;
    const text = commentBlock(syntax, snippet.path, snippet.lines);
    const tokens = estimateTokens(text);
    // Snippets taken before that this one shows whole (a declaration inside a file's window) would
    // say the same twice: if this one is taken whole, they go and their tokens are free again.
    const whole: Taken = { snippet, text, tokens };
    const covered = taken.filter((t) => inside(t.snippet, [whole]));
    const freed = covered.reduce((sum, t) => sum + t.tokens, 0);
    const piece = tokens <= left + freed ? whole : cut(syntax, snippet, left);
    if (piece === undefined) continue;
    if (piece === whole) {
      for (const t of covered) taken.splice(taken.indexOf(t), 1);
      left += freed;
    }
    taken.push(piece);
    // Blocks end with "\n" and the estimate counts lines on their own: the block's tokens add up.
    left -= piece.tokens;
  }
  if (taken.length === 0) return EMPTY_BLOCK;
  taken.reverse();
  const text = taken.map((t) => t.text).join('');
  return { text, tokens: estimateTokens(text), snippets: taken.map((t) => t.snippet) };
}
