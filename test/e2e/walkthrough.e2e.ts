// The getting-started walkthrough on VS Code's Welcome page: its steps tick themselves off.
// Two sessions, because a completed step stays completed in the profile: one where Ollama is up
// before the walkthrough is first opened (the order in which VS Code's own onContext: completion
// events miss it), one where Ollama starts while the walkthrough is open.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { saveFailureArtifacts, startSession, type Session, type SessionOptions } from './harness';
import { runCommand } from './editor';
import { DEFAULT_MODELS } from '../support/fakeOllama';
import { until } from '../support/until';

const WALKTHROUGH = 'infill-dev.infill#gettingStarted';
const STEPS = ['startOllama', 'pullModel', 'tryCompletion', 'openSettings'] as const;
type Step = (typeof STEPS)[number];

/** Which steps the Welcome page shows as completed (the checkbox's aria-checked). */
async function completed(page: Page): Promise<Record<Step, boolean>> {
  return page.evaluate(({ prefix, steps }) => Object.fromEntries(steps.map((step) => [step,
    document.querySelector(`[data-done-step-id="${prefix}#${step}"]`)?.getAttribute('aria-checked') === 'true'])),
  { prefix: WALKTHROUGH, steps: [...STEPS] }) as Promise<Record<Step, boolean>>;
}

async function waitForCompleted(page: Page, step: Step, timeoutMs = 20_000): Promise<void> {
  await until(async () => (await completed(page))[step], timeoutMs, `walkthrough step ${step} completed`);
}

/** Welcome: Open Walkthrough… → Get started with Infill, until its four steps are on the page. */
async function openWalkthrough(page: Page): Promise<void> {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Infill' }).first().click();
  await page.locator(`[data-done-step-id="${WALKTHROUGH}#openSettings"]`).waitFor({ timeout: 15_000 });
}

/** Select a step (its description and button show) and press its button. */
async function pressStepButton(page: Page, step: Step, button: string): Promise<void> {
  const item = page.locator(`.getting-started-step[data-step-id="${WALKTHROUGH}#${step}"]`);
  await item.locator('.step-title').click();
  await until(async () => (await item.getAttribute('aria-expanded')) === 'true', 5000, `step ${step} expanded`);
  await item.locator('.button-container .monaco-button', { hasText: button }).click();
}

function sessionFor(options: SessionOptions): { get: () => Session } {
  let session: Session | undefined;
  before(async () => {
    session = await startSession(options);
  });
  afterEach(async (t) => {
    await saveFailureArtifacts(t, session, 'walkthrough');
  });
  after(async () => {
    await session?.stop();
  });
  return { get: () => session! };
}

describe('walkthrough, Ollama already running when it is opened', () => {
  const session = sessionFor({ models: DEFAULT_MODELS.filter((m) => m.name !== 'codellama:7b-code') });

  it('completes "Start Ollama" at once, and "Pull the model" after a pull from its button', async () => {
    const { page, fake } = session.get();
    // Infill has seen the server (and the missing model) before the walkthrough first opens.
    await until(() => fake.requestsTo('/api/tags').some((r) => r.endedAt !== undefined), 20_000, 'Infill checks the server');
    await openWalkthrough(page);
    await waitForCompleted(page, 'startOllama');
    assert.deepEqual(await completed(page), { startOllama: true, pullModel: false, tryCompletion: false, openSettings: false });

    fake.pullScript = { totalBytes: 3_800_000, chunks: 20, chunkDelayMs: 100 };
    await pressStepButton(page, 'pullModel', 'Pull the model');
    // The pull shows its progress in a notification.
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Pulling codellama:7b-code' })
      .waitFor({ timeout: 10_000 });
    await waitForCompleted(page, 'pullModel');
    const pulls = fake.requestsTo('/api/pull');
    assert.equal(pulls.length, 1);
    assert.equal(pulls[0].body.model ?? pulls[0].body.name, 'codellama:7b-code');
    assert.deepEqual(await completed(page), { startOllama: true, pullModel: true, tryCompletion: false, openSettings: false });
  });
});

describe('walkthrough, Ollama started while it is open', () => {
  const session = sessionFor({ ollamaDown: true });

  it('completes "Start Ollama" and "Pull the model" once the server answers with the model installed', async () => {
    const { page, fake } = session.get();
    await openWalkthrough(page);
    assert.deepEqual(await completed(page), { startOllama: false, pullModel: false, tryCompletion: false, openSettings: false });

    await fake.start();
    await pressStepButton(page, 'startOllama', 'Check connection');
    await waitForCompleted(page, 'startOllama');
    await waitForCompleted(page, 'pullModel');
    assert.deepEqual(await completed(page), { startOllama: true, pullModel: true, tryCompletion: false, openSettings: false });
  });
});
