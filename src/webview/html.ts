// The one HTML shell for Infill's webviews. The CSP allows nothing by default: scripts only with
// this page's nonce (so no inline handlers and no injected <script> can run), styles, images and
// fonts only from the extension's own webview resources (`cspSource`), no inline styles, no
// remote images, no connections. Model output is never placed here; it arrives later as sanitised
// HTML from renderMarkdown.

import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** From makeNonce(), new for every page. */
  nonce: string;
  /** `webview.asWebviewUri(...)` of the script and the stylesheet, as strings. */
  scriptUri: string;
  styleUri: string;
  /** Plain text; escaped here. */
  title: string;
  /** Trusted, static markup written by the extension (the panel's skeleton), inserted as is. */
  body: string;
}

const NONCE = /^[A-Za-z0-9_-]{22,}$/;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** 18 random bytes (144 bits), base64url: 24 characters, safe in a CSP source and an attribute. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource}; style-src ${cspSource}; script-src 'nonce-${nonce}'; font-src ${cspSource};`;
}

export function webviewHtml(o: WebviewHtmlOptions): string {
  // A malformed nonce could end the CSP source list early; fail loudly instead of shipping it.
  if (!NONCE.test(o.nonce)) throw new Error('webviewHtml: the nonce must come from makeNonce()');
  // cspSource comes from VS Code ("https://*.vscode-cdn.net"); still, nothing that could close the
  // attribute or start another directive.
  if (!o.cspSource.trim() || /[;,"<>&\r\n\t]/.test(o.cspSource)) throw new Error('webviewHtml: unexpected cspSource');
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body>
${o.body}
<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
