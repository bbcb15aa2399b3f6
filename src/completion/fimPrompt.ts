// Code Llama fill-in-the-middle prompts, exactly Meta's reference layout (llama/generation.py),
// sent to Ollama with `raw: true` because Ollama's own `suffix` template only does PSM.
//
//   SPM: "<PRE> <SUF>{suffix} <MID> {prefix}"   (default: better on line infilling, paper Table 6/14)
//   PSM: "<PRE> {prefix} <SUF>{suffix} <MID>"
//
// The spaces are part of the sentinel pieces ("▁<PRE>", "▁<SUF>", "▁<MID>"); the space before the
// SPM prefix stands for SentencePiece's implicit leading space of `encode(prefix)`. With an empty
// prefix `encode("")` is empty, so both layouts collapse to "<PRE> <SUF>{suffix} <MID>".
//
// Token healing (paper App. E): in SPM the prefix and middle were tokenized together in training, so a
// prefix that ends inside a word is out of distribution ("enu" → "emrate"). We back the prefix off to
// the start of the word and keep only completions that begin with the removed characters.
// Chosen over a PSM fallback because (1) it keeps SPM's better line-infilling quality, and (2) the
// prompt stays identical while the user types through a word, so one request (and Ollama's prompt
// cache) serves every keystroke of that word. PSM is used only where healing cannot work: an
// identifier longer than MAX_HEAL characters, or a prefix that is nothing but the word.

import type { PromptFormat } from '../settings/settings';

export const STOP_TOKENS = ['<EOT>'] as const;

/** The most characters token healing backs off; longer words fall back to PSM for that request. */
export const MAX_HEAL = 40;

export interface FimPrompt {
  /** The raw prompt text for /api/generate. */
  readonly prompt: string;
  /** The layout actually used (SPM may fall back to PSM, see above). */
  readonly format: PromptFormat;
  /** The prefix the model continues: the window prefix minus `heal`. */
  readonly promptPrefix: string;
  /** Characters removed from the end of the prefix; a completion must start with them. */
  readonly heal: string;
  /** The suffix the prompt was built with. */
  readonly suffix: string;
}

const WORD_CHAR = /[\p{L}\p{N}_$]/u;

/** Length of the identifier-like run at the end of `text` (stops counting past `limit`). */
export function trailingWordLength(text: string, limit: number): number {
  let i = text.length;
  while (i > 0 && text.length - i <= limit) {
    // Step over surrogate pairs as one character so emoji and astral letters are not split.
    const code = text.charCodeAt(i - 1);
    const width = code >= 0xdc00 && code <= 0xdfff && i > 1 ? 2 : 1;
    if (!WORD_CHAR.test(text.slice(i - width, i))) break;
    i -= width;
  }
  return text.length - i;
}

export function spmPrompt(prefix: string, suffix: string): string {
  return `<PRE> <SUF>${suffix} <MID>${prefix ? ' ' + prefix : ''}`;
}

export function psmPrompt(prefix: string, suffix: string): string {
  return `<PRE>${prefix ? ' ' + prefix : ''} <SUF>${suffix} <MID>`;
}

/** `prefix` and `suffix` must already be LF-normalised (see contextWindow). */
export function buildFimPrompt(prefix: string, suffix: string, format: PromptFormat): FimPrompt {
  if (format === 'psm') {
    return { prompt: psmPrompt(prefix, suffix), format, promptPrefix: prefix, heal: '', suffix };
  }
  const word = trailingWordLength(prefix, MAX_HEAL);
  if (word === 0) {
    return { prompt: spmPrompt(prefix, suffix), format, promptPrefix: prefix, heal: '', suffix };
  }
  if (word > MAX_HEAL || word === prefix.length) {
    return { prompt: psmPrompt(prefix, suffix), format: 'psm', promptPrefix: prefix, heal: '', suffix };
  }
  const promptPrefix = prefix.slice(0, prefix.length - word);
  return { prompt: spmPrompt(promptPrefix, suffix), format, promptPrefix, heal: prefix.slice(-word), suffix };
}

/**
 * The prompt with cross-file context (crossFile/contextBlock.ts) placed right before the file's own
 * prefix: `<PRE> <SUF>{suffix} <MID> {context}{prefix}` in SPM, so it is part of what consecutive
 * prompts share; `<PRE> {context}{prefix} <SUF>{suffix} <MID>` in PSM.
 */
export function promptWithContext(fim: FimPrompt, context: string): string {
  if (!context) return fim.prompt;
  const prefix = context + fim.promptPrefix;
  return fim.format === 'spm' ? spmPrompt(prefix, fim.suffix) : psmPrompt(prefix, fim.suffix);
}
