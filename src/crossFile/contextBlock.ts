// The cross-file context block: snippets rendered as comment blocks, within a token budget, in a
// fixed order, so the same snippets always give the same bytes (Ollama's prompt cache).

import type { CommentSyntax } from './commentSyntax';
import type { Snippet } from './snippet';

export interface ContextBlock {
  /** The rendered comment blocks, "" when none; placed right before the file's own prefix. */
  readonly text: string;
  /** estimateTokens(text). */
  readonly tokens: number;
  /** The snippets it holds, in the order rendered. */
  readonly snippets: readonly Snippet[];
}

export const EMPTY_BLOCK: ContextBlock = { text: '', tokens: 0, snippets: [] };

/**
 * Take snippets in the order given (highest priority first), each if its comment block still fits
 * `budget` tokens, else cut to its first lines that fit (at least MIN_SNIPPET_LINES) or skipped;
 * a snippet whose lines are all inside one taken before (same path) is skipped. Render the taken
 * ones with the lowest priority first, so the most useful sits next to the file's own code.
 */
export function renderContextBlock(syntax: CommentSyntax, snippets: readonly Snippet[], budget: number): ContextBlock {
  void syntax; void snippets; void budget;
  throw new Error('todo');
}

export const MIN_SNIPPET_LINES = 3;
