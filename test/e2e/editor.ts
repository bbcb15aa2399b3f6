// What a user does in the editor, as Playwright steps, and what they see, read from the DOM.
// Every step waits for the editor's own state (which document has focus, where the cursor is)
// before the next key: VS Code applies much of it asynchronously, so on a busy machine a key sent
// as soon as a tab or a focus ring shows can still land in the previous document or position.

import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { until } from '../support/until';

const isMac = process.platform === 'darwin';
export const MOD = isMac ? 'Meta' : 'Control';

/**
 * The text editor with keyboard focus, showing the document whose URI ends with `uriEnd` (the
 * editor sets `data-uri` when its model is set; until then it still shows the previous document).
 */
function focusedEditor(page: Page, uriEnd: string) {
  return page.locator(`.editor-instance .monaco-editor.focused[data-uri$="${uriEnd}"]`);
}

/** The text box of Quick Open and the command palette (VS Code 1.90 also has a checkbox input there). */
export function quickInput(page: Page) {
  return page.locator('.quick-input-widget input[type="text"]');
}

/**
 * Wait until the window has been idle once, so that an editor shown before this call is ready for
 * typing. VS Code creates some parts of a text editor only in the window's first idle time after
 * the editor (at the latest 5 s after it): in 1.90 the inline-suggestion controller is one of them,
 * and it hears only the keys typed after it exists, so keys typed before that never get ghost text.
 * Idle callbacks run in the order they were asked for (and VS Code's own deadline is the earlier
 * one), so once this one has run, the editor's has too.
 */
export async function windowIdle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 30_000 })));
}

/**
 * Open a workspace file through Quick Open, and wait until its document has keyboard focus and
 * its editor is ready for typing. `path` is relative to the workspace folder (`main.ts`, `src/main.ts`).
 */
export async function openFile(page: Page, path: string): Promise<void> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  await page.keyboard.press(`${MOD}+P`);
  await quickInput(page).fill(path);
  // Click the filtered result itself, not whatever row happens to be focused.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await page.locator(`.tab.active[data-resource-name="${name}"]`).waitFor();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await focusedEditor(page, `/${path}`).waitFor();
  await windowIdle(page);
}

/** The status bar's cursor position of the active text editor, e.g. "Ln 3, Col 5", or "2 selections" with two cursors. */
export async function cursorStatus(page: Page): Promise<string> {
  return (await page.locator('[id="status.editor.selection"]').textContent({ timeout: 10_000 }))?.trim() ?? '';
}

/** Wait until the active text editor's (one) cursor is at a 1-based line and column. */
export async function waitForCursor(page: Page, line: number, column: number): Promise<void> {
  const expected = `Ln ${line}, Col ${column}`;
  await until(async () => (await cursorStatus(page)) === expected, 10_000, `the cursor at ${expected}`)
    .catch(async (e: Error) => assert.fail(`${e.message}; the status bar says ${JSON.stringify(await cursorStatus(page))}`));
}

/** Run a command from the palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Move the cursor to a 1-based line and column with "Go to Line". */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press(`${MOD}+G`);
  await quickInput(page).fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  // Keys typed next must reach the editor, not the closing quick input.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.editor-instance .monaco-editor.focused').waitFor();
  await waitForCursor(page, line, column);
}

/** The ghost text on screen: the part on the cursor line plus the preview lines below it. */
export async function ghostText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-instance .monaco-editor.focused') ?? document;
    const inline = Array.from(editor.querySelectorAll('.view-lines .ghost-text-decoration, .view-lines .ghost-text-decoration-preview'))
      .map((e) => e.textContent ?? '').join('');
    const below = Array.from(editor.querySelectorAll('.suggest-preview-text .view-line'))
      .map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' '));
    return [inline.replace(/\u00a0/g, ' '), ...below].join('\n').replace(/\n+$/, '');
  });
}

/** Wait until the ghost text is exactly `expected` (or any non-empty text when undefined). */
export async function waitForGhost(page: Page, expected?: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = await ghostText(page);
    if (expected === undefined ? last !== '' : last === expected) return last;
    if (Date.now() > deadline) throw new Error(`ghost text: expected ${JSON.stringify(expected)}, saw ${JSON.stringify(last)}`);
    await page.waitForTimeout(25);
  }
}

/**
 * Nothing may happen, so there is no event to wait for: watch for a bounded time instead, failing
 * as soon as `happened` is true.
 */
export async function assertNothingWithin(page: Page, ms: number, what: string,
  happened: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    assert.equal(await happened(), false, what);
    await page.waitForTimeout(50);
  }
}

/** The status bar item's accessible label ("Infill: <state>"). */
export async function statusLabel(page: Page): Promise<string> {
  return (await page.locator('[id="infill-dev.infill.infill.status"]').getAttribute('aria-label')) ?? '';
}

export async function toastCount(page: Page): Promise<number> {
  return page.locator('.notifications-toasts .notification-toast').count();
}
