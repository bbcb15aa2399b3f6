import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNonce, webviewHtml } from '../../src/webview/html';

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const NONCE = 'AbCdEfGhIjKlMnOpQrStUv-_';

function page(over: Partial<Parameters<typeof webviewHtml>[0]> = {}): string {
  return webviewHtml({
    cspSource: CSP_SOURCE,
    nonce: NONCE,
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/explain.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/explain.css',
    title: 'Explain: src/a.ts',
    body: '<main id="answer"></main>',
    ...over,
  });
}

describe('webviewHtml', () => {
  test('the CSP is exact', () => {
    const metas = [...page().matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
    assert.equal(metas.length, 1);
    assert.equal(metas[0][1],
      "default-src 'none'; img-src https://*.vscode-cdn.net; style-src https://*.vscode-cdn.net; " +
      `script-src 'nonce-${NONCE}'; font-src https://*.vscode-cdn.net;`);
  });

  test('the CSP comes before anything that loads', () => {
    const html = page();
    const csp = html.indexOf('Content-Security-Policy');
    assert.ok(csp > 0 && csp < html.indexOf('<link') && csp < html.indexOf('<script'));
  });

  test('the only script carries the nonce and the script URI; the stylesheet is linked', () => {
    const html = page();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${NONCE}" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/explain.js">`]);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/media\/explain\.css">/);
    assert.match(html, /<body>\n<main id="answer"><\/main>\n<script/);
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="UTF-8">/);
  });

  test('the title is HTML-escaped', () => {
    const html = page({ title: 'Explain: </title><script>alert(1)</script> & "q" \'s' });
    assert.match(html, /<title>Explain: &#60;\/title&#62;&#60;script&#62;alert\(1\)&#60;\/script&#62; &#38; &#34;q&#34; &#39;s<\/title>/);
    assert.equal([...html.matchAll(/<script/g)].length, 1);
  });

  test('URIs cannot break out of their attributes', () => {
    const html = page({ scriptUri: 'https://x/a.js"><script>alert(1)</script>', styleUri: 'https://x/a.css" onload="alert(1)' });
    assert.equal([...html.matchAll(/<script/g)].length, 1);
    assert.doesNotMatch(html, /" onload="/);
  });

  test('a malformed nonce or cspSource is refused', () => {
    for (const nonce of ['', 'short', "abcdefghijklmnopqrstuvwx'; script-src *", 'abcdefghijklmnopqrstuvwx"', 'abcdefghijklmnopqrstu vwx']) {
      assert.throws(() => page({ nonce }), /nonce/, nonce);
    }
    for (const cspSource of ['', ' ', "https://x; script-src 'unsafe-inline'", 'https://x" onload="', 'https://x\nscript-src *', 'a,b']) {
      assert.throws(() => page({ cspSource }), /cspSource/, cspSource);
    }
  });
});

describe('makeNonce', () => {
  test('base64url, at least 16 random bytes', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9_-]+$/);
    assert.ok(Buffer.from(nonce, 'base64url').length >= 16);
    assert.equal(Buffer.from(nonce, 'base64url').toString('base64url'), nonce);
  });

  test('random: no repeats over many draws, all characters used', () => {
    const nonces = new Set(Array.from({ length: 2000 }, makeNonce));
    assert.equal(nonces.size, 2000);
    const chars = new Set([...nonces].join(''));
    assert.equal(chars.size, 64);
  });

  test('accepted by webviewHtml', () => {
    const nonce = makeNonce();
    assert.match(page({ nonce }), new RegExp(`script-src 'nonce-${nonce}';[\\s\\S]*<script nonce="${nonce}"`));
  });
});
