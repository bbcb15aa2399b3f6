// Odd documents end to end in a real VS Code: Jupyter notebook cells (VS Code's built-in ipynb
// support) and git's diff view, whose original side is a read-only `git:` document.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { MOD, assertNothingWithin, ghostText, openFile, quickInput, waitForCursor, waitForGhost, windowIdle } from './editor';
import { until } from '../support/until';

interface Cell { cell_type: 'code' | 'markdown'; source: string[] }

/** An .ipynb as Jupyter writes it: nbformat 4, each cell's source a list of lines. */
function notebook(cells: Array<[Cell['cell_type'], string]>): string {
  return JSON.stringify({
    cells: cells.map(([type, text]) => ({
      cell_type: type, metadata: {}, source: text.split(/(?<=\n)/),
      ...(type === 'code' ? { execution_count: null, outputs: [] } : {}),
    })),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  }, null, 1);
}

const CELLS: Array<[Cell['cell_type'], string]> = [
  ['code', 'import math\n\ndef area(r):\n    return math.pi * r ** 2'],
  ['markdown', '## Total'],
  ['code', 'total ='],
];

function screenshotOnFailure(session: () => Session | undefined, prefix: string) {
  return async (t: unknown) => {
    const s = session();
    if (!s) return;
    await saveFailureArtifacts(t, s, prefix);
    await s.page.keyboard.press('Escape');
    s.fake.reset();
  };
}

/** Open a notebook through Quick Open and wait for its tab. */
async function openNotebook(page: Page, name: string): Promise<void> {
  await page.keyboard.press(`${MOD}+P`);
  await quickInput(page).fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await page.locator(`.tab.active[data-resource-name="${name}"]`).waitFor();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Put the cursor at the end of the code cell showing `text`, its editor focused. Found by its text:
 * a notebook opened before keeps its cell editors in the DOM. (The status bar shows no cursor
 * position in a notebook; the key below is handled after the focus, in order.)
 */
async function focusCellEnd(page: Page, text: string): Promise<void> {
  const editor = page.locator('.notebook-editor .cell-editor-container .monaco-editor', { hasText: text });
  await editor.locator('.view-lines').click();
  await page.locator('.notebook-editor .cell-editor-container .monaco-editor.focused', { hasText: text }).waitFor();
  await windowIdle(page); // each cell has an editor of its own
  await page.keyboard.press(`${MOD}+End`);
}

describe('notebook cells', () => {
  let session: Session | undefined;
  let ghostMs = 0;

  before(async () => {
    session = await startSession({
      files: {
        'demo.ipynb': notebook(CELLS),
        'secrets.ipynb': notebook([['code', 'token = ']]), // excluded by default (secrets.*)
        'private/notes.ipynb': notebook([['code', 'password = ']]), // excluded below: a pattern with a folder
      },
      settings: { 'infill.exclude': ['private/*.ipynb'] },
    });
  });
  afterEach(screenshotOnFailure(() => session, 'notebook'));
  after(async () => {
    await session?.stop();
  });

  it('a cell gets ghost text with the cells above as its prefix; Tab inserts it; the saved .ipynb is exact', async () => {
    const { page, fake } = session!;
    // Answers only the prompt typed for, so the ghost text seen belongs to it.
    fake.generate = (body) => ({ tokens: String(body.prompt).endsWith('total = ') ? ['area', '(2)'] : [] });
    await openNotebook(page, 'demo.ipynb');
    await focusCellEnd(page, 'total =');
    const started = Date.now();
    await page.keyboard.type(' ');
    await waitForGhost(page, 'area(2)');
    ghostMs = Date.now() - started;

    // The prompt: the first code cell, an empty line, then this cell up to the cursor (the markdown
    // cell is not code and stays out); the suffix is what follows the cursor in this cell only.
    const prompts = fake.requestsTo('/api/generate').map((r) => r.body.prompt);
    assert.equal(prompts.at(-1),
      '<PRE> <SUF> <MID> import math\n\ndef area(r):\n    return math.pi * r ** 2\n\ntotal = ');

    await page.keyboard.press('Tab');
    await until(async () => (await ghostText(page)) === '', 5000, 'the ghost text to be inserted');
    await page.keyboard.press(`${MOD}+S`);
    const saved = () => {
      try {
        return (JSON.parse(readFileSync(join(session!.workspace, 'demo.ipynb'), 'utf8')).cells as Cell[])
          .map((c) => [c.cell_type, c.source.join('')]);
      } catch {
        return undefined; // read while VS Code writes it
      }
    };
    const expected = [CELLS[0], CELLS[1], ['code', 'total = area(2)']];
    await until(() => JSON.stringify(saved()) === JSON.stringify(expected), 5000, 'the saved notebook')
      .catch(() => assert.deepEqual(saved(), expected));
    // Jupyter's own layout: the source is a list of lines, each but the last ending in "\n".
    const raw = JSON.parse(readFileSync(join(session!.workspace, 'demo.ipynb'), 'utf8')).cells as Cell[];
    assert.deepEqual(raw[2].source, ['total = area(2)']);
    assert.deepEqual(raw[0].source, ['import math\n', '\n', 'def area(r):\n', '    return math.pi * r ** 2']);
  });

  it('cells of a notebook matching infill.exclude send nothing, also when asked explicitly', async () => {
    const { page, fake } = session!;
    fake.generate = () => ({ tokens: ['leaked'] });
    for (const [name, cell] of [['secrets.ipynb', 'token ='], ['notes.ipynb', 'password =']]) {
      await openNotebook(page, name);
      await focusCellEnd(page, cell);
      await page.keyboard.type('x');
      await page.keyboard.press('Alt+Backslash'); // Trigger Inline Suggestion: no debounce
      await assertNothingWithin(page, Math.max(2000, 5 * ghostMs), `a suggestion or request in ${name}`,
        async () => fake.requests.length > 0 || (await ghostText(page)) !== '');
    }
    assert.deepEqual(fake.requests.map((r) => r.path), []);
  });
});

describe('git diff view', () => {
  let session: Session | undefined;
  const COMMITTED = 'def greet(name):\n    return name\n';
  const CHANGED = 'def greet(name):\n    return "Hello, " + name\n\n';

  before(async () => {
    session = await startSession({ git: { 'app.py': COMMITTED }, files: { 'app.py': CHANGED } });
  });
  afterEach(screenshotOnFailure(() => session, 'diff'));
  after(async () => {
    await session?.stop();
  });

  it('Git: Open Changes: the modified (file) side gets completions, the original (git:) side none', async () => {
    const { page, fake } = session!;
    fake.generate = () => ({ tokens: ['print(greet("you"))'] });
    await openFile(page, 'app.py');
    // The git extension finds the repository after start-up: until then the command does nothing.
    const diff = page.locator('.editor-instance .monaco-diff-editor');
    await until(async () => {
      if (await diff.count()) return true;
      // VS Code 1.139 has two commands with this title (git.openChange, git.viewChanges) and shows
      // their ids: pick the diff of this file. VS Code 1.90 has the one, without its id.
      await page.keyboard.press('F1');
      await quickInput(page).fill('>Git: Open Changes');
      const rows = page.locator('.quick-input-list .monaco-list-row');
      const titled = rows.filter({ has: page.locator('.label-name', { hasText: /^Git: Open Changes$/ }) });
      await titled.first().waitFor();
      const byId = rows.filter({ hasText: 'git.openChange' });
      await ((await byId.count()) > 0 ? byId : titled).first().click();
      return diff.waitFor({ timeout: 2000 }).then(() => true, () => false);
    }, 30_000, 'the diff editor');
    await diff.locator('.editor.modified .view-line').filter({ hasText: 'Hello' }).waitFor();

    // The modified side is the file itself: type on its last (empty) line.
    const modified = diff.locator('.editor.modified');
    await modified.locator('.view-lines').click();
    await modified.locator('.monaco-editor.focused').waitFor();
    await windowIdle(page); // the diff editor's sides are editors of their own
    await page.keyboard.press(`${MOD}+End`);
    await waitForCursor(page, 4, 1);
    const started = Date.now();
    await page.keyboard.type('p');
    await waitForGhost(page, 'rint(greet("you"))');
    const ghostMs = Date.now() - started;
    await page.keyboard.press('Tab');
    await page.keyboard.press(`${MOD}+S`);
    const expected = `${CHANGED}print(greet("you"))`;
    const saved = () => readFileSync(join(session!.workspace, 'app.py'), 'utf8');
    await until(() => saved() === expected, 5000, 'the saved file').catch(() => assert.equal(saved(), expected));

    // The original side is the committed text (scheme `git:`, read-only): an explicit trigger
    // there must not reach the provider at all.
    fake.reset();
    const original = diff.locator('.editor.original');
    await original.locator('.view-line', { hasText: 'return name' }).click();
    await original.locator('.monaco-editor.focused').waitFor();
    await page.keyboard.press('End');
    await page.keyboard.press('Alt+Backslash');
    await assertNothingWithin(page, Math.max(2000, 5 * ghostMs), 'a suggestion or request on the original side',
      async () => fake.requests.length > 0 || (await original.locator('.ghost-text-decoration').count()) > 0);
    assert.deepEqual(fake.requests.map((r) => r.path), []);
  });
});
