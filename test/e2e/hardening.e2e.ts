// Hardening end to end in a real VS Code: excluded files, documents that are not files, several
// cursors, and a workspace that tries to redirect the host with Workspace Trust on.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { MOD, assertNothingWithin, cursorStatus, ghostText, goTo, openFile, runCommand, statusLabel, waitForCursor,
  waitForGhost, windowIdle } from './editor';
import { FakeOllama } from '../support/fakeOllama';
import { until } from '../support/until';

let session: Session;

const FIXTURES: Record<string, string> = {
  '.env': 'API_KEY=\n',
  'certs/server.pem': '-----BEGIN PRIVATE KEY-----\n',
  'control.py': 'value =\n',
  'multi.py': 'a = \nb = \n',
};

/**
 * How long the control scenario took from keystroke to ghost text. Where nothing may happen, the
 * scenarios watch several times as long (at least 2 s), so a request that should not exist has
 * time to show up.
 */
let ghostMs = 0;

before(async () => {
  session = await startSession({ files: FIXTURES });
});

afterEach(async (t) => {
  await saveFailureArtifacts(t, session, 'hardening');
  await session.page.keyboard.press('Escape');
  session.fake.reset();
});

after(async () => {
  await session?.stop();
});

describe('infill.exclude', () => {
  it('an ordinary file gets a suggestion (the control)', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['42'] });
    await openFile(page, 'control.py');
    await goTo(page, 1, 8);
    const started = Date.now();
    // One keystroke, one edit: a request per keystroke, however slowly the keys arrive.
    await page.keyboard.type(' ');
    await waitForGhost(page, '42');
    ghostMs = Date.now() - started;
    assert.equal(fake.requestsTo('/api/generate').length, 1);
  });

  it('typing in .env or a .pem file shows nothing and sends nothing, also when asked explicitly', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['sk-live-123'] });
    for (const name of ['.env', 'server.pem']) {
      await openFile(page, name);
      await goTo(page, 1, name === '.env' ? 9 : 28);
      await page.keyboard.type('x');
      await page.keyboard.press('Alt+Backslash'); // Trigger Inline Suggestion: no debounce
      await assertNothingWithin(page, Math.max(2000, 5 * ghostMs), `a suggestion or request in ${name}`,
        async () => fake.requests.length > 0 || (await ghostText(page)) !== '');
      await page.keyboard.press(`${MOD}+S`);
    }
    assert.equal(readFileSync(join(session.workspace, '.env'), 'utf8'), 'API_KEY=x\n');
    assert.deepEqual(fake.requests.map((r) => r.path), []);
  });

  it('Explain Selection in .env refuses with a message and sends nothing', async () => {
    const { page, fake } = session;
    await openFile(page, '.env');
    await goTo(page, 1, 1);
    await page.keyboard.press('Shift+End');
    await runCommand(page, 'Infill: Explain Selection');
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'matches infill.exclude' }).waitFor();
    assert.deepEqual(fake.requests.map((r) => r.path), []);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });
});

describe('documents that are not files', () => {
  it('an untitled buffer gets a suggestion', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['if n < 2:', '\n'] });
    await runCommand(page, 'Infill: Open Sample File'); // an untitled Python buffer, cursor at its end
    await page.locator('.tab.active[data-resource-name^="Untitled"]').waitFor();
    await page.locator('.editor-instance .monaco-editor.focused[data-uri^="untitled:"]').waitFor();
    await windowIdle(page); // the first editor of the window, when this scenario runs alone
    // The command moves the cursor to the end after the editor shows (and has focus) with it at
    // the start: a key typed before that lands at line 1.
    await waitForCursor(page, 3, 5);
    await page.keyboard.type('i');
    await waitForGhost(page, 'f n < 2:');
    assert.equal(fake.requestsTo('/api/generate').length, 1);
    await runCommand(page, 'View: Revert and Close Editor');
  });

  it('the Output panel (output scheme) gets none, also when asked explicitly', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['leaked'] });
    await runCommand(page, 'Infill: Show Log');
    const output = page.locator('.part.panel .monaco-editor').first();
    await output.waitFor();
    await output.click();
    await page.keyboard.press(`${MOD}+End`);
    await page.keyboard.press('Alt+Backslash');
    await assertNothingWithin(page, Math.max(2000, 5 * ghostMs), 'a suggestion or request in the Output panel',
      async () => fake.requests.length > 0 || (await page.locator('.part.panel .ghost-text-decoration').count()) > 0);
    await page.keyboard.press(`${MOD}+1`); // back to the editor
    assert.deepEqual(fake.requests.map((r) => r.path), []);
  });
});

describe('several cursors', () => {
  it('typing with two cursors: Tab inserts the suggestion at both, the saved file is exact', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: [' + 1'] });
    await openFile(page, 'multi.py');
    await goTo(page, 1, 5);
    await runCommand(page, 'Add Cursor Below');
    await page.locator('.editor-instance .monaco-editor.focused').waitFor();
    await until(async () => (await cursorStatus(page)) === '2 selections', 10_000, 'a second cursor');
    await page.keyboard.type('1');
    // VS Code shows the primary cursor's suggestion at every cursor: ghost text on both lines
    // (ghostText joins the cursor-line spans it finds).
    await waitForGhost(page, ' + 1 + 1');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await page.keyboard.press(`${MOD}+S`);
    // Wait for the exact content: a read while VS Code writes the file can see it half written.
    const saved = () => readFileSync(join(session.workspace, 'multi.py'), 'utf8');
    const expected = 'a = 1 + 1\nb = 1 + 1\n';
    await until(() => saved() === expected, 5000, 'the saved file').catch(() => assert.equal(saved(), expected));
  });
});

describe('Workspace Trust on: a workspace setting cannot redirect the host', () => {
  let trusted: Session;
  let elsewhere: FakeOllama;

  before(async () => {
    elsewhere = new FakeOllama();
    await elsewhere.start();
    trusted = await startSession({
      workspaceTrust: true,
      // Restricted Mode from the start without VS Code's modal question, which could otherwise
      // show at any moment of start-up (and swallow the keys typed then).
      settings: { 'security.workspace.trust.startupPrompt': 'never' },
      files: { '.vscode/settings.json': JSON.stringify({ 'infill.ollama.host': elsewhere.url }), 'n.py': 'n =\nm =\n' },
    });
  });

  after(async () => {
    await trusted?.stop();
    await elsewhere?.stop();
  });

  it('in Restricted Mode, and after the user trusts the folder, the user-level host gets the requests', async () => {
    const { page, fake } = trusted;
    fake.generate = () => ({ tokens: ['7'] });
    // Trust is on and nobody has trusted the folder yet: Restricted Mode.
    const restricted = page.locator('.statusbar-item', { hasText: 'Restricted Mode' });
    await restricted.first().waitFor({ timeout: 15_000 });
    await openFile(page, 'n.py');
    await goTo(page, 1, 4);
    // One keystroke, one edit: a request per keystroke, however slowly the keys arrive.
    await page.keyboard.type(' ');
    await waitForGhost(page, '7');
    assert.equal(fake.requestsTo('/api/generate').length, 1);
    assert.equal(elsewhere.requests.length, 0);

    // Now trust the folder: the workspace value becomes visible to VS Code's configuration.
    await page.keyboard.press('Escape');
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    await page.locator('.workspace-trust-editor .monaco-button', { hasText: 'Trust' }).first().click();
    await until(async () => (await restricted.count()) === 0, 10_000, 'Restricted Mode to end');
    await openFile(page, 'n.py');
    fake.reset();
    await goTo(page, 2, 4);
    await page.keyboard.type(' ');
    await waitForGhost(page, '7');
    assert.equal(fake.requestsTo('/api/generate').length, 1);
    assert.equal(elsewhere.requests.length, 0, 'nothing went to the workspace host');
    assert.match(await statusLabel(page), /Ready|Generating/);
  });
});
