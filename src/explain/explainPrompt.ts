// The chat messages for "Explain selection" (Code Llama - Instruct through Ollama's /api/chat; the
// model's template wraps them as `[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user} [/INST]`, A4).
//
// The selection is the subject, the surrounding lines only help the model read it, so when the
// prompt is over budget the context goes first, then the selection is cut at a line boundary
// (keeping its beginning) and the message says so, rather than letting Ollama silently drop the
// start of the prompt. Everything is LF-normalised and trimmed at the ends (Meta's README strips
// inputs); code goes into fences longer than any backtick run inside it so it cannot close them.

import { estimateTokens } from '../text/tokenEstimate';

export interface ExplainInput {
  languageId: string;
  /** Relative to the workspace folder; made relative again by `relativeLabel` to be sure. */
  relativePath: string;
  selection: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** A few lines around the selection (may be ''). */
  before: string;
  after: string;
}

export interface ExplainPrompt {
  messages: { role: 'system' | 'user'; content: string }[];
  truncated: boolean;
  /** The last selection line the model sees (== endLine unless truncated). */
  shownEndLine: number;
}

export const EXPLAIN_SYSTEM = [
  'You are an expert programmer explaining code to a colleague.',
  'Explain the selected code concisely in Markdown: first what it does, then how it works, then notable pitfalls or bugs, if any.',
  'Put any code in fenced code blocks tagged with the language. Do not repeat the whole selection.',
  'The surrounding context is only there to help you understand the selection; do not explain it.',
].join('\n');

/**
 * Tokens the chat template adds around the two messages (BOS, `[INST]`, `<<SYS>>`, `<</SYS>>`,
 * `[/INST]`, newlines: about 25), rounded up so the estimate stays an upper bound.
 */
export const TEMPLATE_TOKENS = 32;

export function relativeLabel(path: string): string {
  let p = path.replace(/[\u0000-\u001f\u007f]/g, '').replace(/\\/g, '/').replace(/^file:\/\//i, '');
  // Repeat: "~/", "C:/", "//server/share" and a drive after a slash ("/C:/x") can be stacked.
  for (let previous = ''; previous !== p;) {
    previous = p;
    p = p.replace(/^\/+/, '').replace(/^[a-z]:(\/|$)/i, '').replace(/^~[^/]*(\/|$)/, '');
  }
  p = p.split('/').filter((part) => part !== '' && part !== '.').join('/');
  return p || 'untitled';
}

/** A backtick fence longer than any backtick run in `code` (at least 3). */
export function fenceFor(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function fenced(code: string, info: string): string {
  const fence = fenceFor(code);
  return `${fence}${info}\n${code}\n${fence}`;
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Drops trailing whitespace and blank lines only: leading ones would shift the line numbers. */
function trimEnd(text: string): string {
  return text.replace(/\s+$/, '');
}

function lineRange(start: number, end: number): string {
  return start === end ? `line ${start}` : `lines ${start}-${end}`;
}

interface Parts {
  header: string;
  info: string;
  before: string;
  after: string;
  selection: string;
  startLine: number;
  endLine: number;
}

interface Shown {
  code: string;
  endLine: number;
  /** Only the beginning of the first line fits. */
  partial?: boolean;
}

function userMessage(p: Parts, shown: Shown | undefined): string {
  const sections = [p.header];
  if (p.before) sections.push(`Context before the selection (not to explain):\n${fenced(p.before, p.info)}`);
  const code = shown ? shown.code : p.selection;
  const showing = shown?.partial ? `the start of line ${p.startLine}` : shown && lineRange(p.startLine, shown.endLine);
  const cut = shown ? ` (truncated to fit the context window, showing ${showing} of ${lineRange(p.startLine, p.endLine)})` : '';
  sections.push(`Selected code${cut}:\n${fenced(code, p.info)}`);
  if (p.after) sections.push(`Context after the selection (not to explain):\n${fenced(p.after, p.info)}`);
  sections.push(shown
    ? `Explain the selected code. It was cut ${shown.partial ? 'inside' : 'after'} line ${shown.endLine}; do not guess what follows.`
    : 'Explain the selected code.');
  return sections.join('\n\n');
}

export function buildExplainPrompt(input: ExplainInput, budgetTokens: number): ExplainPrompt {
  const language = input.languageId.replace(/[^A-Za-z0-9_+#.-]/g, '');
  const startLine = input.startLine;
  const endLine = Math.max(input.startLine, input.endLine);
  const parts: Parts = {
    header: `Language: ${language || 'plaintext'}\nFile: ${relativeLabel(input.relativePath)}\n` +
      `Selection: ${lineRange(startLine, endLine)}`,
    info: language,
    before: trimEnd(normalise(input.before)),
    after: trimEnd(normalise(input.after)),
    selection: trimEnd(normalise(input.selection)),
    startLine,
    endLine,
  };
  const available = budgetTokens - TEMPLATE_TOKENS - estimateTokens(EXPLAIN_SYSTEM);
  const fits = (user: string) => estimateTokens(user) <= available;
  const result = (user: string, truncated: boolean, shownEndLine: number): ExplainPrompt => ({
    messages: [{ role: 'system', content: EXPLAIN_SYSTEM }, { role: 'user', content: user }],
    truncated,
    shownEndLine,
  });

  const full = userMessage(parts, undefined);
  if (fits(full)) return result(full, false, endLine);
  const bare = { ...parts, before: '', after: '' };
  const noContext = userMessage(bare, undefined);
  if (fits(noContext)) return result(noContext, false, endLine);

  // Keep the most whole lines that fit (binary search: the message grows with the line count).
  const lines = bare.selection.split('\n');
  const withLines = (k: number) =>
    userMessage(bare, { code: lines.slice(0, k).join('\n'), endLine: startLine + k - 1 });
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(withLines(mid))) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) return result(withLines(lo), true, startLine + lo - 1);

  // Not even the first line fits (minified code, tiny budget): cut it by characters.
  const first = lines[0];
  const withChars = (n: number) => {
    // Never split a surrogate pair.
    const end = n > 0 && /[\ud800-\udbff]/.test(first[n - 1]) ? n - 1 : n;
    return userMessage(bare, { code: first.slice(0, end), endLine: startLine, partial: true });
  };
  lo = 0;
  hi = first.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(withChars(mid))) lo = mid;
    else hi = mid - 1;
  }
  return result(withChars(lo), true, startLine);
}
