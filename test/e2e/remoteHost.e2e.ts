// The remote-host confirmation end to end in a real VS Code: the fake Ollama listens on a
// non-loopback address of this machine (192.0.2.2 here), the user setting points Infill at it.
// One question on the first keystroke; "Not now" sends nothing (completions, Explain) until
// Infill: Retry asks again; "allow" makes ghost text work and is remembered after a window reload;
// Infill: Forget Allowed Ollama Hosts withdraws it, so the next keystroke asks again.
// The steps build on each other, in order, in one session.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { MOD, assertNothingWithin, ghostText, goTo, openFile, runCommand, statusLabel, waitForGhost } from './editor';
import { NO_REMOTE_ADDRESS, remoteAddress } from '../support/remoteAddress';
import { until } from '../support/until';

const address = remoteAddress();
let session: Session;

const FIXTURES: Record<string, string> = {
  'remote.py': 'value = \n',
  'explain.py': 'def add(a, b):\n    return a + b\n',
  'again.py': 'total =\n',
};

const QUESTION = 'which is not this machine';
const questions = (page: Page) => page.locator('.notifications-toasts .notification-toast', { hasText: QUESTION });
const paths = () => session.fake.requests.map((r) => `${r.method} ${r.path}`);
const statusItem = (page: Page) => page.locator('[id="infill-dev.infill.infill.status"]');

/** The file's saved content, waited for (a read while VS Code writes can see it half written). */
async function savedAs(name: string, expected: string): Promise<void> {
  const saved = () => readFileSync(join(session.workspace, name), 'utf8');
  await until(() => saved() === expected, 5000, `${name} saved`).catch(() => assert.equal(saved(), expected));
}

describe('a host that is not this machine', { skip: address ? false : NO_REMOTE_ADDRESS }, () => {
  before(async () => {
    session = await startSession({ files: FIXTURES, ollamaAddress: address });
    session.fake.generate = () => ({ tokens: ['42'] });
  });

  afterEach(async (t) => {
    await saveFailureArtifacts(t, session, 'remote');
  });

  after(async () => {
    await session?.stop();
  });

  it('start-up contacts it not at all and asks nothing yet', async () => {
    const { page, fake } = session;
    assert.match(fake.url, new RegExp(`^http://${address!.replace(/\./g, '\\.')}:`));
    // The walkthrough's background /api/tags check would have run at activation.
    await assertNothingWithin(page, 1500, 'a request or a question before any typing',
      async () => fake.requests.length > 0 || (await questions(page).count()) > 0);
  });

  it('typing asks exactly once; "Not now" then sends nothing and asks nothing while typing on', async () => {
    const { page, fake } = session;
    await openFile(page, 'remote.py');
    await goTo(page, 1, 9);
    await page.keyboard.type('1');
    await questions(page).first().waitFor();
    await page.keyboard.type(' + 2'); // more keystrokes while the question is open
    await assertNothingWithin(page, 1000, 'a second question', async () => (await questions(page).count()) !== 1);
    assert.match(await statusLabel(page), /Waiting for you to allow/);

    await questions(page).locator('.monaco-button', { hasText: 'Not now' }).click();
    await questions(page).first().waitFor({ state: 'hidden' });
    await until(async () => /did not allow it/.test(await statusLabel(page)), 5000, 'the status bar to say why');
    await page.keyboard.type(' + 3');
    await page.keyboard.press('Alt+Backslash'); // Trigger Inline Suggestion: asked explicitly
    await assertNothingWithin(page, 2500, 'a request, ghost text or a second question after "Not now"',
      async () => fake.requests.length > 0 || (await ghostText(page)) !== '' || (await questions(page).count()) > 0);
    assert.deepEqual(paths(), []);
    await page.keyboard.press(`${MOD}+S`);
    await savedAs('remote.py', 'value = 1 + 2 + 3\n');
  });

  it('Explain Selection on the declined host sends nothing and says why', async () => {
    const { page } = session;
    await openFile(page, 'explain.py');
    await goTo(page, 2, 1);
    await page.keyboard.press('Shift+End');
    await runCommand(page, 'Infill: Explain Selection');
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'did not explain' })
      .filter({ hasText: 'Infill: Retry' }).waitFor();
    await assertNothingWithin(page, 1000, 'a request or a question', async () => paths().length > 0
      || (await questions(page).count()) > 0);
    assert.deepEqual(paths(), []);
    assert.equal(await page.locator('.webview, iframe.webview').count(), 0, 'no Explain panel opened');
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('Infill: Retry asks again; allowing makes ghost text appear, and Tab inserts it', async () => {
    const { page, fake } = session;
    await runCommand(page, 'Infill: Retry Connection');
    await questions(page).first().waitFor();
    assert.equal(await questions(page).count(), 1);
    assert.deepEqual(paths(), [], 'Retry sent no probe before the answer');
    await questions(page).locator('.monaco-button', { hasText: 'Send code to this host' }).click();
    await questions(page).first().waitFor({ state: 'hidden' });

    await openFile(page, 'again.py');
    await goTo(page, 1, 8);
    await page.keyboard.type(' ');
    await waitForGhost(page, '42');
    assert.ok(fake.requestsTo('/api/generate').length >= 1);
    await page.keyboard.press('Tab');
    await page.keyboard.press(`${MOD}+S`);
    await savedAs('again.py', 'total = 42\n');
    assert.equal(await questions(page).count(), 0);
  });

  it('after a window reload (a new extension host) the allowed host is remembered: no question', async () => {
    const { page, fake } = session;
    // The old workbench is in the page until the reload navigates: wait for the new page's load.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await statusItem(page).waitFor({ timeout: 60_000 });
    fake.reset();
    fake.generate = () => ({ tokens: ['7'] });
    await openFile(page, 'remote.py');
    await page.keyboard.press(`${MOD}+End`);
    await page.keyboard.type('x = ');
    await waitForGhost(page, '7');
    assert.equal(await questions(page).count(), 0, 'not asked again');
    assert.ok(fake.requestsTo('/api/generate').length >= 1);
    // It was a new extension host (its own log folder), so the answer came from globalState, not
    // from memory. (code-server keeps globalState in the browser's storage: restarting code-server
    // with a fresh browser would forget it, so a reload is the restart tested here.)
    const logs = join(session.userDir, 'logs');
    const hosts = readdirSync(logs).flatMap((s) => readdirSync(join(logs, s)).filter((d) => d.startsWith('exthost'))
      .filter((d) => existsSync(join(logs, s, d, 'infill-dev.infill'))));
    assert.ok(hosts.length >= 2, `Infill ran in ${hosts.length} extension host(s)`);
  });

  it('Infill: Forget Allowed Ollama Hosts: the next keystroke asks again, and nothing is sent before the answer', async () => {
    const { page, fake } = session;
    // The status bar menu offers it too, since the host is not this machine.
    await statusItem(page).click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Forget allowed Ollama hosts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });

    await runCommand(page, 'Infill: Forget Allowed Ollama Hosts');
    const confirmation = page.locator('.notifications-toasts .notification-toast', { hasText: 'Forget that Infill may send' });
    await confirmation.first().waitFor();
    assert.equal(await confirmation.count(), 1);
    assert.ok((await confirmation.first().innerText()).includes(fake.url), 'the question names the host');
    await confirmation.locator('.monaco-button', { hasText: 'Forget' }).click();
    await confirmation.first().waitFor({ state: 'hidden' });
    await until(async () => /until you allow it/.test(await statusLabel(page)), 5000, 'the status bar to say why');

    fake.reset();
    fake.generate = () => ({ tokens: ['9'] });
    await openFile(page, 'again.py');
    await page.keyboard.press(`${MOD}+End`);
    await page.keyboard.type('y = ');
    await questions(page).first().waitFor();
    await page.keyboard.type('1'); // more keystrokes while the question is open
    await assertNothingWithin(page, 1500, 'a request, ghost text or a second question before the answer',
      async () => fake.requests.length > 0 || (await ghostText(page)) !== '' || (await questions(page).count()) !== 1);
    assert.deepEqual(paths(), []);
    assert.match(await statusLabel(page), /Waiting for you to allow/);

    await questions(page).locator('.monaco-button', { hasText: 'Send code to this host' }).click();
    await questions(page).first().waitFor({ state: 'hidden' });
    await page.keyboard.type(' ');
    await waitForGhost(page, '9');
    assert.ok(fake.requestsTo('/api/generate').length >= 1);
    assert.equal(await questions(page).count(), 0, 'asked once');
  });
});
