// Text that is not Infill's never becomes a link in a notification: VS Code turns
// `[label](command:…)` in a message into a link that runs the command when clicked. A custom
// model name is text Infill did not write (a workspace could set it before it became user-only);
// with " 34b" in it the engine refuses it locally (no server needed) and warns, naming it.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { goTo, openFile } from './editor';
import { HOSTILE } from '../support/notificationLinks';

let session: Session;

before(async () => {
  session = await startSession({
    files: { 'model.py': 'x = \n' },
    settings: { 'infill.completion.customModel': `${HOSTILE} 34b` },
  });
});

afterEach(async (t) => {
  await saveFailureArtifacts(t, session, 'untrusted');
});

after(async () => {
  await session?.stop();
});

describe('untrusted text in notifications', () => {
  it('a custom model named like a command link is shown literally, with no link in the warning', async () => {
    const { page, fake } = session;
    await openFile(page, 'model.py');
    await goTo(page, 1, 5);
    await page.keyboard.type('1');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'cannot be used for completions' });
    await toast.first().waitFor({ timeout: 15_000 });
    assert.equal(await toast.count(), 1);
    const message = toast.locator('.notification-list-item-message');
    // The word joiner Infill puts after "]" is invisible: the text reads as the setting was written.
    const text = ((await message.textContent()) ?? '').replaceAll('\u2060', '');
    assert.ok(text.startsWith(`Infill: ${HOSTILE} 34b cannot be used for completions`), text);
    assert.equal(await message.locator('a, .monaco-link').count(), 0, 'a link in the message');
    assert.equal(await page.locator('.notifications-toasts a[href^="command:"], .notifications-toasts .monaco-link').count(), 0);
    assert.equal(fake.requestsTo('/api/generate').length, 0, 'refused before any request');
  });
});
