// Messages between the extension and the Explain webview; its script (scripts/explainView.ts)
// imports the same types. Everything coming from the webview is untrusted: it renders model output,
// so a page that got script to run could post anything. `parseFromExplainView` therefore accepts
// only the exact shapes below (parseMessage) and returns a fresh object, never the input.

import { parseMessage, type Check, type MessageShapes } from './parseMessage';

export type ToExplainView =
  | { type: 'start'; requestId: number; file: string; range: string; model: string; truncated: boolean }
  /** The whole answer so far, rendered (sanitised HTML from renderStreaming). */
  | { type: 'chunk'; requestId: number; html: string }
  | { type: 'done'; requestId: number; html: string }
  | { type: 'stopped'; requestId: number }
  | { type: 'error'; requestId: number; kind: 'unreachable' | 'modelMissing' | 'failed'; message: string; model?: string; incomplete: boolean }
  | { type: 'pullProgress'; requestId: number; percent: number; text: string; done: boolean };

export type FromExplainView =
  | { type: 'ready' }
  | { type: 'stop'; requestId: number }
  | { type: 'again' }
  | { type: 'retry' }
  | { type: 'pull'; model: string }
  | { type: 'openLink'; href: string }
  | { type: 'copy'; text: string };

export const LIMITS = {
  /** UTF-16 code units (a code block copied from the panel). */
  copyText: 1024 * 1024,
  href: 2048,
  /** Ollama itself refuses names over 128 bytes. */
  model: 200,
} as const;

// Ollama's name grammar (types/model/name.go): [host/][namespace/]model[:tag], parts of
// [A-Za-z0-9_.-] (no '.' in the namespace). Stricter here: each part starts with a letter, digit
// or '_' (nothing that looks like a flag or a path), and no '..'.
const PART = '[A-Za-z0-9_][A-Za-z0-9_.-]*';
const NAMESPACE = '[A-Za-z0-9_][A-Za-z0-9_-]*';
const MODEL_NAME = new RegExp(`^(?:${PART}/)?(?:${NAMESPACE}/)?${PART}(?::${PART})?$`);

export function isOllamaModelName(name: string): boolean {
  return name.length <= LIMITS.model && MODEL_NAME.test(name) && !name.includes('..');
}

/**
 * An absolute http(s) URL with no credentials. Checked on the raw text as well as parsed, because
 * the URL parser forgives things a browser or the OS would read differently ("http:evil",
 * "http:\\evil", embedded tabs, "user@host").
 */
export function isSafeExternalLink(href: string): boolean {
  if (typeof href !== 'string' || href.length > LIMITS.href) return false;
  if (!/^https?:\/\/[^/\\?#@\s]/i.test(href) || /[\s\\\u0000-\u001f\u007f]/.test(href)) return false;
  // Credentials: any '@' in the authority.
  if (/^https?:\/\/[^/?#]*@/i.test(href)) return false;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' &&
    url.username === '' && url.password === '';
}

const requestId: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const text = (max: number): Check => (v) => typeof v === 'string' && v.length <= max;

const SHAPES: MessageShapes<FromExplainView> = {
  ready: {},
  stop: { requestId },
  again: {},
  retry: {},
  pull: { model: (v) => typeof v === 'string' && isOllamaModelName(v) },
  openLink: { href: (v) => typeof v === 'string' && isSafeExternalLink(v) },
  copy: { text: text(LIMITS.copyText) },
};

export function parseFromExplainView(message: unknown): FromExplainView | undefined {
  return parseMessage(message, SHAPES);
}
