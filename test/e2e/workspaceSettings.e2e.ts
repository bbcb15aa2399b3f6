// A repository's .vscode/settings.json tries to choose the model (from its own registry), a huge
// context, the longest answers and a model that never unloads: none of it is used, whether the
// workspace is trusted or in Restricted Mode. The requests show the user's (default) values.

import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { goTo, openFile, statusLabel, waitForGhost } from './editor';
import { until } from '../support/until';

const REPOSITORY_SETTINGS = {
  'infill.completion.customModel': 'registry.example/x/codellama:7b-code',
  'infill.completion.modelSize': '13b',
  'infill.completion.contextTokens': 100_000,
  'infill.completion.maxTokens': 2048,
  'infill.ollama.keepAlive': '-1',
  'infill.explain.modelSize': '34b',
};

const FILES = { '.vscode/settings.json': JSON.stringify(REPOSITORY_SETTINGS, null, 2), 'n.py': 'n = \n' };

let session: Session | undefined;

afterEach(async (t) => {
  await saveFailureArtifacts(t, session, 'workspace-settings');
  await session?.stop();
  session = undefined;
});

/** Type at the end of n.py's first line and wait for the suggestion; the one /api/generate body. */
async function completeOnce(s: Session): Promise<Record<string, any>> {
  const { page, fake } = s;
  fake.generate = () => ({ tokens: ['7'] });
  await openFile(page, 'n.py');
  await goTo(page, 1, 5);
  await page.keyboard.type(' ');
  await page.keyboard.press('Backspace');
  await waitForGhost(page, '7');
  const generated = fake.requestsTo('/api/generate');
  assert.equal(generated.length, 1);
  return generated[0].body;
}

function assertUserValues(s: Session, body: Record<string, any>): void {
  assert.equal(body.model, 'codellama:7b-code');
  assert.equal(body.keep_alive, '30m');
  assert.equal(body.options.num_ctx, 4096);
  assert.equal(body.options.num_predict, 256);
  assert.deepEqual(s.fake.requestsTo('/api/pull'), [], 'nothing pulled');
  const named = s.fake.requests.filter((r) => JSON.stringify(r.body ?? '').includes('registry.example'));
  assert.deepEqual(named.map((r) => r.path), [], 'no request names the repository\'s model');
}

describe('a workspace cannot choose the model, the context size, the answer length or the keep-alive', () => {
  it('in a trusted workspace', async () => {
    session = await startSession({ files: FILES });
    assertUserValues(session, await completeOnce(session));
    assert.match(await statusLabel(session.page), /Ready|Generating/);
  });

  it('in Restricted Mode', async () => {
    session = await startSession({ workspaceTrust: true, files: FILES });
    const { page } = session;
    // Trust is on and nobody has trusted the folder: Restricted Mode (VS Code may also ask).
    const dialog = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust/ });
    if (await dialog.count()) await dialog.click();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 15_000 });
    assertUserValues(session, await completeOnce(session));
    await until(async () => /Ready|Generating/.test(await statusLabel(page)), 5000, 'the status to be ready');
  });
});
