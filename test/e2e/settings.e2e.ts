// The settings panel and the walkthrough end to end.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { openFile, runCommand, waitForGhost } from './editor';
import { until } from '../support/until';

let session: Session;

before(async () => {
  session = await startSession({ files: { 'try13b.py': '\n' } });
});

afterEach(async (t) => {
  await saveFailureArtifacts(t, session, 'settings');
});

after(async () => {
  await session?.stop();
});

/** The frame of the (only) webview panel open. */
function webview(_title: string): FrameLocator {
  return session.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** The user settings.json, or {} while VS Code is rewriting it (a half-written file does not parse). */
const userSettings = (): Record<string, unknown> => {
  try {
    return JSON.parse(readFileSync(join(session.userDir, 'User/settings.json'), 'utf8'));
  } catch {
    return {};
  }
};

describe('settings panel', () => {
  it('pulls a missing model with progress to 100 %, picks 13B, and the next completion uses it', async () => {
    const { page, fake } = session;
    fake.pullScript = { totalBytes: 7_000_000, chunks: 10, chunkDelayMs: 80 };
    await runCommand(page, 'Infill: Open Settings');
    const panel = webview('Infill Settings');
    await panel.locator('#connection-status', { hasText: 'Connected: Ollama' }).waitFor({ timeout: 15_000 });
    const row13 = panel.locator('.model', { hasText: 'codellama:13b-code' });
    await row13.locator('.badge', { hasText: 'not installed' }).waitFor();
    const seen: number[] = [];
    fake.on('pullProgress', () => undefined);
    await row13.getByRole('button', { name: 'Pull codellama:13b-code' }).click();
    // Watch the progress in the panel until it reaches the installed state.
    await until(async () => {
      const value = await row13.locator('progress').getAttribute('value').catch(() => null);
      if (value !== null) seen.push(Number(value));
      return (await row13.locator('.badge.installed').count()) > 0;
    }, 20_000, 'model installed');
    assert.ok(seen.some((v) => v > 0 && v < 100), `saw progress: ${seen}`);
    const pulled = fake.requestsTo('/api/pull');
    assert.equal(pulled.length, 1);
    assert.equal(pulled[0].body.model ?? pulled[0].body.name, 'codellama:13b-code');

    await panel.locator('#completion-13b').check();
    await until(() => userSettings()['infill.completion.modelSize'] === '13b', 10_000, 'user setting written');

    fake.generate = () => ({ tokens: ['"ok"'] });
    await openFile(page, 'try13b.py');
    await page.keyboard.type('answer = ');
    await waitForGhost(page, '"ok"');
    assert.equal(fake.requestsTo('/api/generate').at(-1)!.body.model, 'codellama:13b-code');
  });

  it('measures installed models and draws the numbers', async () => {
    const { page, fake } = session;
    fake.latency = { timeToFirstTokenMs: 30, perTokenMs: 5 };
    await runCommand(page, 'Infill: Open Settings');
    const panel = webview('Infill Settings');
    await panel.locator('#measure').click();
    await panel.locator('#measure-status', { hasText: 'Measured.' }).waitFor({ timeout: 60_000 });
    const chart = panel.locator('.model', { hasText: 'codellama:7b-code' }).locator('.chart');
    await chart.waitFor();
    assert.match((await chart.textContent()) ?? '', /tokens\/s/);
    assert.equal(await panel.locator('.chart').count(), 2, 'one chart per installed completion model');
  });
});
