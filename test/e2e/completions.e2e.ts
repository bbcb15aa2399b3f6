// End to end in a real VS Code: what the user sees, tested as the user does it.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, startSession, type Session } from './harness';
import { MOD, openFile, waitForGhost } from './editor';
import { until } from '../support/until';

let session: Session;
let counter = 0;

/** A fresh file per scenario: each starts from a clean editor state. */
async function freshFile(ext: string, text: string): Promise<string> {
  const name = `s${++counter}.${ext}`;
  writeFileSync(join(session.workspace, name), text);
  await openFile(session.page, name);
  return name;
}

before(async () => {
  session = await startSession();
});

afterEach(async (t) => {
  if ((t as unknown as { passed?: boolean }).passed === false) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const base = join(ARTIFACTS, t.name.replace(/\W+/g, '-'));
    await session.page.screenshot({ path: `${base}.png` }).catch(() => undefined);
    writeFileSync(`${base}.requests.json`, JSON.stringify(session.fake.requests, null, 2));
  }
  await session.page.keyboard.press('Escape');
  session.fake.reset();
});

after(async () => {
  await session?.stop();
});

describe('ghost text', () => {
  it('shows the answer in a Python file and Tab inserts exactly it', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['return', ' a + b', '\n', '<EOT>'] });
    const name = await freshFile('py', 'def add(a, b):\n');
    await page.keyboard.press(`${MOD}+End`);
    await page.keyboard.type('    ret');
    await waitForGhost(page, 'urn a + b');
    await page.keyboard.press('Tab');
    await page.keyboard.press(`${MOD}+S`);
    await until(() => readFileSync(join(session.workspace, name), 'utf8') === 'def add(a, b):\n    return a + b', 5000, 'saved file');
    // Healed SPM prompt: the partial word "ret" is left for the model to produce.
    const prompts = fake.requestsTo('/api/generate').map((r) => r.body.prompt);
    assert.equal(prompts.at(-1), '<PRE> <SUF> <MID> def add(a, b):\n    ');
  });
});
