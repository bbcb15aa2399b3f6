// The Explain panel's own requests, end to end: a link in the answer opens exactly once (the
// panel's script, not also VS Code's webview link handler), and "Explain again" after
// Infill: Forget Allowed Ollama Hosts asks again and sends nothing before the answer. The fake
// Ollama listens on a non-loopback address of this machine, so it is a host Infill asks about.
// The steps build on each other, in order, in one session.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { goTo, openFile, runCommand } from './editor';
import { NO_REMOTE_ADDRESS, remoteAddress } from '../support/remoteAddress';
import { until } from '../support/until';

const address = remoteAddress();
let session: Session;

const QUESTION = 'which is not this machine';
/**
 * The answer's two links. Each has its own port: code-server opens a localhost link through its
 * port proxy, and releases before coder/code-server#8012 (4.90.3 among them) drop the link's path
 * there (`/proxy/9/`), so the port is what tells the two apart on every release.
 */
const LINKS = { first: 'http://127.0.0.1:9/infill-open-first', second: 'http://127.0.0.1:13/infill-open-second' };
const questions = (page: Page) => page.locator('.notifications-toasts .notification-toast', { hasText: QUESTION });
const chats = () => session.fake.requestsTo('/api/chat').length;

/** The explain panel's content frame (webviews are nested iframes). */
function panel(): FrameLocator {
  return session.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * Record what the workbench opens in a new browser tab (VS Code's web opener calls window.open),
 * without opening anything. Localhost links need no "open external website?" confirmation.
 */
async function recordOpens(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { infillOpened: string[]; open: (url?: string) => unknown };
    w.infillOpened = [];
    w.open = (url?: string) => {
      if (url) w.infillOpened.push(String(url));
      const tab = { opener: null, location: { set href(value: string) { w.infillOpened.push(value); } } };
      return tab;
    };
  });
}

/**
 * How many times the workbench opened `link`: as code-server's proxy URL for its port, with the
 * link's path (or without it, on releases before coder/code-server#8012).
 */
async function opened(page: Page, link: string): Promise<number> {
  const urls = await page.evaluate(() => (window as unknown as { infillOpened: string[] }).infillOpened);
  const { port, pathname } = new URL(link);
  const proxy = `${new URL(page.url()).origin}/proxy/${port}`;
  return urls.filter((u) => u === `${proxy}${pathname}` || u === `${proxy}/`).length;
}

describe('the Explain panel\'s requests', { skip: address ? false : NO_REMOTE_ADDRESS }, () => {
  before(async () => {
    session = await startSession({ files: { 'explain.py': 'def add(a, b):\n    return a + b\n' }, ollamaAddress: address });
    session.fake.chat = () => ({
      tokens: [`See [first](${LINKS.first}) `, `and [second](${LINKS.second}).`],
    });
  });

  afterEach(async (t) => {
    await saveFailureArtifacts(t, session, 'explain-requests');
  });

  after(async () => {
    await session?.stop();
  });

  it('explains once the host is allowed', async () => {
    const { page } = session;
    await openFile(page, 'explain.py');
    await goTo(page, 2, 1);
    await page.keyboard.press('Shift+End');
    await runCommand(page, 'Infill: Explain Selection');
    await questions(page).first().waitFor();
    await questions(page).locator('.monaco-button', { hasText: 'Send code to this host' }).click();
    await panel().locator('#status', { hasText: 'Done.' }).waitFor({ timeout: 15_000 });
    assert.equal(chats(), 1);
  });

  it('a link in the answer opens exactly once', async () => {
    const { page } = session;
    await recordOpens(page);
    await panel().locator('#answer a', { hasText: 'first' }).click();
    await until(async () => (await opened(page, LINKS.first)) > 0, 10_000, 'the first link to open');
    // Each click's messages are handled in order: once the second link has opened, a second open
    // of the first one (VS Code's own handler is the faster path) would have happened.
    await panel().locator('#answer a', { hasText: 'second' }).click();
    await until(async () => (await opened(page, LINKS.second)) > 0, 10_000, 'the second link to open');
    assert.equal(await opened(page, LINKS.first), 1, 'opens of the first link');
    assert.equal(await opened(page, LINKS.second), 1, 'opens of the second link');
  });

  it('after Forget Allowed Ollama Hosts, Explain again asks again and sends nothing', async () => {
    const { page, fake } = session;
    await runCommand(page, 'Infill: Forget Allowed Ollama Hosts');
    const confirmation = page.locator('.notifications-toasts .notification-toast', { hasText: 'Forget that Infill may send' });
    await confirmation.locator('.monaco-button', { hasText: 'Forget' }).click();
    await confirmation.first().waitFor({ state: 'hidden' });
    fake.reset();

    await panel().locator('#again').click();
    await until(async () => chats() > 0 || (await questions(page).count()) > 0, 15_000, 'a question or a request');
    assert.equal(chats(), 0, 'nothing sent before the answer');
    await questions(page).first().waitFor();
    await questions(page).locator('.monaco-button', { hasText: 'Not now' }).click();
    await panel().locator('#error-text', { hasText: 'Nothing was sent' }).waitFor();
    await panel().locator('#retry').click();
    await panel().locator('#status', { hasText: 'Could not explain.' }).waitFor();
    assert.equal(await questions(page).count(), 0, 'declined in this session: not asked again');
    assert.equal(chats(), 0, '/api/chat requests after forgetting');
    assert.deepEqual(fake.requests.map((r) => r.path), []);
  });
});
