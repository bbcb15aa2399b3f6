// End to end at line ends: after a pause at the end of a finished line, the next line shows as ghost
// text below it; Enter keeps the same answer on the new line (no second request), Tab inserts it.
// And while the user types, nothing but /api/generate reaches the server.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { MOD, assertNothingWithin, cursorStatus, openFile, waitForCursor, waitForGhost } from './editor';
import { until } from '../support/until';

let session: Session;

const FIXTURES: Record<string, string> = {
  'enter.py': 'def area(w, h):\n',
  'tab.py': 'def area(w, h):\n',
  'twenty.py': '',
};

/**
 * The model's answer to "    result = w * " (the prompt at the end of "    result = w * h" too: token
 * healing leaves the last word to the model): the word, then the line that follows. (One line, so
 * what shows does not depend on how far the stream got: several lines are the integration tests'.)
 */
const NEXT_LINES = ['h', '\n', '    print', '(result)', '\n', '<EOT>'];

before(async () => {
  session = await startSession({ files: FIXTURES });
});

afterEach(async (t) => {
  await saveFailureArtifacts(t, session, 'lineEnd');
  await session.page.keyboard.press('Escape');
  session.fake.reset();
});

after(async () => {
  await session?.stop();
});

/** Open `name`, go to its (empty) second line and type a finished line, waiting for each state. */
async function finishLine(name: string): Promise<void> {
  const { page, fake } = session;
  // Only the finished line gets an answer: the keystrokes before it get none to show.
  fake.generate = (body) => ({ tokens: String(body.prompt).endsWith('    result = w * ') ? NEXT_LINES : ['<EOT>'] });
  await openFile(page, name);
  await page.keyboard.press(`${MOD}+End`);
  await waitForCursor(page, 2, 1);
  await page.keyboard.type('    result = w * h');
  await waitForCursor(page, 2, 19);
}

describe('line ends', () => {
  it('a pause at the end of a finished line shows the next line; Enter shows it on the new line with no new request; Tab inserts it', async () => {
    const { page, fake } = session;
    await finishLine('enter.py');
    await waitForGhost(page, '\n    print(result)');
    const asked = fake.requestsTo('/api/generate').length;
    assert.equal(fake.requestsTo('/api/generate').at(-1)?.body.prompt,
      '<PRE> <SUF> <MID> def area(w, h):\n    result = w * ');
    await page.keyboard.press('Enter');
    // The new line's indentation is the editor's (auto-indent, or none): the ghost text supplies the rest.
    const column = await until(async () => /^Ln 3, Col (\d+)$/.exec(await cursorStatus(page))?.[1], 10_000, 'the cursor on line 3');
    await waitForGhost(page, `${' '.repeat(5 - Number(column))}print(result)`);
    await page.keyboard.press('Tab');
    await page.keyboard.press(`${MOD}+S`);
    await until(() => readFileSync(join(session.workspace, 'enter.py'), 'utf8') ===
      'def area(w, h):\n    result = w * h\n    print(result)', 5000, 'saved file');
    assert.equal(fake.requestsTo('/api/generate').length, asked, 'Enter and Tab asked nothing more');
  });

  it('Tab at the line end inserts the next line', async () => {
    const { page } = session;
    await finishLine('tab.py');
    await waitForGhost(page, '\n    print(result)');
    await page.keyboard.press('Tab');
    await page.keyboard.press(`${MOD}+S`);
    await until(() => readFileSync(join(session.workspace, 'tab.py'), 'utf8') ===
      'def area(w, h):\n    result = w * h\n    print(result)', 5000, 'saved file');
  });

  it('typing a 20-line file sends nothing but /api/generate: no /api/tags after activation', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['<EOT>'] });
    await openFile(page, 'twenty.py');
    fake.reset();
    for (let i = 1; i <= 20; i++) {
      await page.keyboard.type(`value_${i} = ${i}`);
      await page.keyboard.press('Enter');
      await waitForCursor(page, i + 1, 1);
    }
    await page.keyboard.press(`${MOD}+S`);
    await until(() => readFileSync(join(session.workspace, 'twenty.py'), 'utf8').split('\n').length === 21, 5000, 'saved file');
    // However fast the keys came, the pause on the last (empty) line asks; then every state change
    // of that completion has passed (the set-up context used to ask /api/tags on each).
    await until(() => fake.requestsTo('/api/generate').length > 0 && fake.inFlight('/api/generate') === 0, 10_000,
      'a completion request, answered');
    await assertNothingWithin(page, 1500, 'a request other than /api/generate',
      () => fake.requests.some((r) => r.path !== '/api/generate'));
    assert.deepEqual(fake.requests.filter((r) => r.path !== '/api/generate').map((r) => `${r.method} ${r.path}`), []);
  });
});
