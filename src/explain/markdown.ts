// Markdown → HTML for the Explain panel. The model's output is untrusted (it can echo anything in
// the selection, and a prompt in a comment can steer it), so the renderer only ever emits a fixed
// set of tags with attributes it writes itself:
//   - raw HTML is off (escaped as text), linkify and typographer are off;
//   - links become anchors only for absolute http(s) URLs without credentials, with the URL in
//     `data-link` for the webview to hand to the extension (which checks it again); anything else
//     (javascript:, command:, file:, relative, ...) renders as its plain link text;
//   - images never load: they render as "[image: alt]" text;
//   - table alignment becomes a class (the CSP blocks inline styles);
//   - the fence language is reduced to [a-z0-9+#-] before it reaches a class attribute.
// Highlight.js escapes the code it highlights and only adds <span class="hljs-…">.

import MarkdownIt from 'markdown-it';
import type { RendererRule, Token } from 'markdown-it';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { isSafeExternalLink } from '../webview/protocol';

// A modest set keeps the bundle small; each brings its aliases (ts, py, sh, yml, html, c++, ...).
const LANGUAGES = {
  bash, c, cpp, csharp, css, go, java, javascript, json, kotlin, markdown, php, python, ruby, rust,
  sql, swift, typescript, xml, yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
// Parse every link so the renderer decides (the default would print "[x](javascript:…)" as source).
md.validateLink = () => true;

const escapeHtml = md.utils.escapeHtml;

/** The fence's first word, reduced to what may go into a class name. */
export function sanitizeLanguage(info: string): string {
  const word = md.utils.unescapeAll(info).trim().split(/\s+/)[0] ?? '';
  return word.toLowerCase().replace(/[^a-z0-9+#-]/g, '').slice(0, 32);
}

function highlight(code: string, language: string): string {
  if (language && hljs.getLanguage(language)) {
    try {
      return hljs.highlight(code, { language, ignoreIllegals: true }).value;
    } catch {
      // A grammar bug must not lose the answer: fall through to plain text.
    }
  }
  return escapeHtml(code);
}

function codeBlock(code: string, language: string): string {
  const cls = language ? `hljs language-${language}` : 'hljs';
  return '<div class="code-block"><button class="copy" type="button" aria-label="Copy code">Copy</button>' +
    `<pre><code class="${cls}">${highlight(code, language)}</code></pre></div>\n`;
}

const rules = md.renderer.rules;

rules.fence = (tokens, idx) => {
  const language = sanitizeLanguage(tokens[idx].info);
  return codeBlock(tokens[idx].content, language);
};
rules.code_block = (tokens, idx) => codeBlock(tokens[idx].content, '');

/** Safe links are marked while rendering the opening token, so the closing one knows. */
const SAFE = 'infillSafeLink';

rules.link_open = (tokens, idx) => {
  const token = tokens[idx];
  const href = String(token.attrGet('href') ?? '');
  const safe = isSafeExternalLink(href);
  token.meta = { ...(token.meta ?? {}), [SAFE]: safe };
  if (!safe) return '';
  const attr = escapeHtml(href);
  return `<a href="${attr}" data-link="${attr}">`;
};
rules.link_close = (tokens, idx) => {
  // Links cannot nest, so the nearest earlier link_open is this one's.
  for (let i = idx - 1; i >= 0; i--) {
    if (tokens[i].type === 'link_open') return tokens[i].meta?.[SAFE] ? '</a>' : '';
  }
  return '';
};

rules.image = (tokens, idx, options, env, renderer) => {
  const alt = renderer.renderInlineAsText(tokens[idx].children ?? [], options, env);
  return escapeHtml(alt ? `[image: ${alt}]` : '[image]');
};

const alignedCell: RendererRule = (tokens, idx, options, _env, renderer) => {
  const token: Token = tokens[idx];
  const style = String(token.attrGet('style') ?? '');
  const align = /text-align:\s*(left|center|right)/.exec(style)?.[1];
  token.attrs = align ? [['class', `align-${align}`]] : null;
  return renderer.renderToken(tokens, idx, options);
};
rules.th_open = alignedCell;
rules.td_open = alignedCell;

/** Renders a complete answer. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}

/**
 * Renders an answer still being streamed. An unclosed fence already renders as a code block to
 * the end (CommonMark), so only the unfinished last line needs care: a lone "-" or "=" would turn
 * the paragraph above into a heading, and a half-typed closing fence would show as code, for one
 * chunk each. Such a line is held back until its line break arrives.
 */
export function renderStreaming(text: string): string {
  const lastBreak = text.lastIndexOf('\n');
  const lastLine = text.slice(lastBreak + 1);
  const flickers = /^ {0,3}(?:`+|~+|-+|=+)[ \t]*$/.test(lastLine);
  return md.render(flickers ? text.slice(0, lastBreak + 1) : text);
}
