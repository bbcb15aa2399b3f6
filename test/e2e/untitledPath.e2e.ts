// An untitled buffer opened with a path (`code .env` for a file not on disk yet) is matched against
// infill.exclude by that path: `.env` gets nothing, an ordinary name gets completions.
// VS Code opens a path that does not exist as such a buffer; in code-server the workbench URL's
// `payload` (`[["openFile", uri]]`) is the way to ask for it, as the `code` command does on desktop.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { assertNothingWithin, ghostText, runCommand, waitForGhost, windowIdle } from './editor';

let session: Session;
let ghostMs = 0;

before(async () => {
  session = await startSession({ files: { 'main.py': 'print("hello")\n' } });
});

afterEach(async (t) => {
  await saveFailureArtifacts(t, session, 'untitled-path');
  // A dirty buffer would be restored by the next window (hot exit): drop it.
  await runCommand(session.page, 'View: Revert and Close Editor');
});

after(async () => {
  await session?.stop();
});

/**
 * Reload the window asking it to open `name` in the workspace folder, which does not exist: an
 * untitled buffer with that path. Resolves once its editor has focus, is ready for typing, and
 * Infill is active again.
 */
async function openUntitledPath(name: string): Promise<void> {
  const { page, workspace } = session;
  assert.equal(existsSync(join(workspace, name)), false, `${name} must not exist`);
  const url = new URL(page.url());
  const uri = `vscode-remote://${url.host}${join(workspace, name)}`;
  url.searchParams.set('payload', JSON.stringify([['openFile', uri]]));
  await page.goto(url.toString());
  await page.waitForSelector('[id="infill-dev.infill.infill.status"]', { timeout: 60_000 });
  const editor = page.locator(`.editor-instance .monaco-editor[data-uri$="${join(workspace, name)}"]`);
  assert.match((await editor.getAttribute('data-uri', { timeout: 30_000 })) ?? '', /^untitled:/);
  await editor.locator('.view-lines').click();
  await page.locator('.editor-instance .monaco-editor.focused').waitFor();
  await windowIdle(page); // the reloaded window's editor is a new one
}

describe('an untitled buffer with a path', () => {
  it('notes.py (not on disk) gets a suggestion (the control)', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['42'] });
    await openUntitledPath('notes.py');
    fake.reset();
    const started = Date.now();
    await page.keyboard.type('x = 1');
    await waitForGhost(page, '42');
    ghostMs = Date.now() - started;
    assert.match(fake.requestsTo('/api/generate').at(-1)?.body.prompt, /x = 1/);
  });

  it('.env (not on disk) matches infill.exclude: nothing is sent, also when asked explicitly', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['sk-live-123'] });
    await openUntitledPath('.env');
    fake.reset();
    await page.keyboard.type('API_KEY=');
    await page.keyboard.press('Alt+Backslash'); // Trigger Inline Suggestion: no debounce
    // Nothing may happen: watch several times as long as the control's suggestion took.
    await assertNothingWithin(page, Math.max(2000, 5 * ghostMs), 'a completion request or a suggestion for .env',
      async () => fake.requestsTo('/api/generate').length > 0 || (await ghostText(page)) !== '');
    // The keys went to this buffer (an unfocused editor would also see no request).
    assert.match(await page.locator('.editor-instance .monaco-editor.focused .view-lines').innerText(), /API_KEY=/);
    const sent = fake.requests.filter((r) => JSON.stringify(r.body ?? '').includes('API_KEY'));
    assert.deepEqual(sent.map((r) => r.path), []);
  });
});
