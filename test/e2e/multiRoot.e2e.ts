// infill.exclude in a multi-root workspace: a folder's own .vscode/settings.json adds patterns for
// its files (and only its files), on top of the defaults, the user's and the workspace file's.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { MOD, assertNothingWithin, ghostText, goTo, quickInput, runCommand, waitForGhost, windowIdle } from './editor';

let session: Session;
let ghostMs = 0;

before(async () => {
  session = await startSession({
    workspaceFile: 'two.code-workspace',
    files: {
      'two.code-workspace': JSON.stringify({
        folders: [{ path: 'a' }, { path: 'b' }],
        settings: { 'infill.exclude': ['*.secret.py'] },
      }),
      'a/.vscode/settings.json': JSON.stringify({ 'infill.exclude': ['private_*'] }),
      'a/private_x.py': 'x = \n',
      'b/private_x.py': 'x = \n',
      'b/token.secret.py': 'x = \n',
    },
  });
});

afterEach(async (t) => {
  await saveFailureArtifacts(t, session, 'multi-root');
  await session.page.keyboard.press('Escape');
  session.fake.reset();
});

after(async () => {
  await session?.stop();
});

/**
 * Open `folder/name` through Quick Open: two folders hold the same name, so click the result Quick
 * Open describes with this folder (the folder's name beside the file's).
 */
async function openPath(page: Page, relative: string): Promise<void> {
  const [folder, name] = relative.split('/');
  await page.keyboard.press(`${MOD}+P`);
  await quickInput(page).fill(join(session.workspace, relative));
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name })
    .filter({ has: page.locator('.label-description', { hasText: new RegExp(`^${folder}$`) }) }).first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator(`.editor-instance .monaco-editor.focused[data-uri$="/${relative}"]`).waitFor();
  await windowIdle(page);
}

/** Nothing may happen: watch several times as long as a suggestion took in the control file. */
async function assertNothingSent(what: string): Promise<void> {
  const { page, fake } = session;
  await assertNothingWithin(page, Math.max(2000, 5 * ghostMs), what,
    async () => fake.requests.length > 0 || (await ghostText(page)) !== '');
  assert.deepEqual(fake.requests.map((r) => r.path), []);
}

describe('infill.exclude per workspace folder', () => {
  it('b/private_x.py: no pattern of folder b matches, it gets a suggestion (the control)', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['42'] });
    await openPath(page, 'b/private_x.py');
    await goTo(page, 1, 5);
    const started = Date.now();
    await page.keyboard.type('1'); // one keystroke: one request
    await waitForGhost(page, '42');
    ghostMs = Date.now() - started;
    // Opening the file may ask too (VS Code asks on a cursor move): the last request is the typed one.
    assert.match(fake.requestsTo('/api/generate').at(-1)?.body.prompt, /x = 1/);
  });

  it('a/private_x.py: folder a\'s own pattern excludes it, also when asked explicitly', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['leaked'] });
    await openPath(page, 'a/private_x.py');
    await goTo(page, 1, 5);
    await page.keyboard.type('1');
    await page.keyboard.press('Alt+Backslash'); // Trigger Inline Suggestion: no debounce
    await assertNothingSent('a suggestion or request in a/private_x.py');
  });

  it('a/private_x.py: Explain Selection refuses it', async () => {
    const { page, fake } = session;
    await openPath(page, 'a/private_x.py');
    await goTo(page, 1, 1);
    await page.keyboard.press('Shift+End');
    await runCommand(page, 'Infill: Explain Selection');
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'matches infill.exclude' }).waitFor();
    assert.deepEqual(fake.requests.map((r) => r.path), []);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('b/token.secret.py: the workspace file\'s pattern applies in every folder', async () => {
    const { page } = session;
    await openPath(page, 'b/token.secret.py');
    await goTo(page, 1, 5);
    await page.keyboard.type('1');
    await page.keyboard.press('Alt+Backslash');
    await assertNothingSent('a suggestion or request in b/token.secret.py');
  });
});
