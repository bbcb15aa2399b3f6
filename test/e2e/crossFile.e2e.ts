// Cross-file context end to end: two TypeScript files, VS Code's own TypeScript features answering
// definitions. The prompt for a completion in main.ts carries geometry.ts's declarations in the
// documented layout, byte for byte; excluded files open in other tabs never reach any request; and
// the user setting turns it off without a reload.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { MOD, goTo, openFile, runCommand, waitForCursor } from './editor';
import { until } from '../support/until';

const GEOMETRY = [
  '// Plane geometry.',
  'export interface Point { x: number; y: number }',
  '',
  'export function origin(): Point {',
  '  return { x: 0, y: 0 };',
  '}',
  '',
  'export function distance(a: Point, b: Point): number {',
  '  const dx = a.x - b.x;',
  '  const dy = a.y - b.y;',
  '  return Math.sqrt(dx * dx + dy * dy);',
  '}',
  '',
].join('\n');

/**
 * Excluded (the default `secrets.*`), and made to be chosen by every source if it were not: main.ts
 * imports it, calls its function near the cursor (the definition provider points here), and it
 * shares the most identifiers with the lines above the cursor. Its marker and its own words must
 * never leave it.
 */
const SECRETS = [
  "import { distance, origin } from './geometry';",
  '',
  "export const SIGNING_KEY = 'secretsmarker-4be9';",
  '',
  'export function signRequest(payload: object): string {',
  '  const here = origin();',
  '  const token = distance(here, here);',
  '  return `${SIGNING_KEY}:${token}:${JSON.stringify(payload)}`;',
  '}',
  '',
].join('\n');

/** Excluded by default (`.env*`). */
const DOT_ENV = 'INFILL_TOKEN=envmarker-31c7\n';

/** main.ts before and after the line the test types on (line 6). */
const MAIN_HEAD = [
  "import { distance, origin } from './geometry';",
  "import { signRequest } from './secrets';",
  '',
  'const here = origin();',
  'const token = signRequest(here);',
  '',
].join('\n');
const MAIN_TAIL = '\nconsole.log(token);\n';
const LINE = 'const d = distance(';

/** What no request may contain: the excluded files' text and names. */
const NEVER_SENT = ['secretsmarker', 'SIGNING_KEY', 'payload: object', 'secrets.ts', 'envmarker', 'INFILL_TOKEN', '.env'];

/**
 * The block for main.ts at `const d = distance(`: comment blocks in TypeScript's syntax, each
 * `// Path: {workspace-relative path}` then the snippet's lines behind `// `, lowest priority first
 * so the most useful sits next to the file's own code: the definitions of the names near the
 * cursor, farthest first: `origin` (line 4), `Point` (the type of `here`, line 5: only the type
 * definition provider gives it, main.ts never names it), `distance` (the cursor line). The imported
 * declarations are the same lines as those definitions, so they are not repeated. geometry.ts is
 * not open in a tab: its window (the whole file) would show them all, and then it alone is sent.
 */
const BLOCK = [
  '// Path: src/geometry.ts',
  '// export function origin(): Point {',
  '//   return { x: 0, y: 0 };',
  '// }',
  '// Path: src/geometry.ts',
  '// export interface Point { x: number; y: number }',
  '// Path: src/geometry.ts',
  '// export function distance(a: Point, b: Point): number {',
  '//   const dx = a.x - b.x;',
  '//   const dy = a.y - b.y;',
  '//   return Math.sqrt(dx * dx + dy * dy);',
  '// }',
  '',
].join('\n');

let session: Session;

before(async () => {
  session = await startSession({
    files: {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ES2022',
        moduleResolution: 'bundler' }, include: ['src'] }, null, 2),
      'src/geometry.ts': GEOMETRY,
      'src/secrets.ts': SECRETS,
      '.env': DOT_ENV,
      'src/main.ts': MAIN_HEAD + MAIN_TAIL,
    },
    // settings.json in a tab of its own (1.139 shows it over the editors, with no cursor position).
    settings: { 'workbench.editor.useModal': 'off' },
  });
  session.fake.generate = () => ({ tokens: ['<EOT>'] });
});

afterEach(async (t) => {
  await saveFailureArtifacts(t, session, 'crossFile');
});

after(async () => {
  await session?.stop();
});

const prompts = (): string[] => session.fake.requestsTo('/api/generate').map((r) => String(r.body.prompt));
/** The exact SPM prompt at the end of `typed` on main.ts's line 6, with `block` before the file's prefix. */
const promptWith = (block: string, typed: string) => `<PRE> <SUF>${MAIN_TAIL} <MID> ${block}${MAIN_HEAD}${typed}`;

/** The user settings.json, or {} while VS Code is rewriting it (a half-written file does not parse). */
function userSettings(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(session.userDir, 'User/settings.json'), 'utf8'));
  } catch {
    return {};
  }
}

/** What has been typed on main.ts's line 6 so far (the scenarios go on where the previous stopped). */
let typed = '';

/**
 * Type `keys` at the cursor in main.ts and wait for the request made for the text they leave (its
 * prompt ends with main.ts's text up to the cursor: `keys` end no word, so no token healing cuts
 * it). Returns that request's prompt.
 */
async function typeAndWait(keys: string): Promise<string> {
  await session.page.keyboard.type(keys);
  typed += keys;
  const text = MAIN_HEAD + typed;
  return until(() => prompts().find((p) => p.endsWith(text)), 15_000,
    `a request for ${JSON.stringify(typed)}; last prompt: ${JSON.stringify(prompts().at(-1))}`);
}

/** The block a prompt for the current text carries (what sits between `<MID> ` and main.ts's text). */
function blockOf(prompt: string): string {
  return prompt.slice(prompt.indexOf(' <MID> ') + ' <MID> '.length, prompt.length - (MAIN_HEAD + typed).length);
}

describe('cross-file context', () => {
  it('the prompt in main.ts carries geometry.ts\'s declarations between <MID> and the file\'s prefix, byte for byte', async () => {
    const { page, workspace } = session;
    // Tabs: the excluded files, then the file typed in.
    await openFile(page, '.env');
    await openFile(page, 'src/secrets.ts');
    await openFile(page, 'src/main.ts');
    await goTo(page, 6, 1);
    let last = await typeAndWait(LINE);
    // A keystroke never waits for gathering, and the TypeScript server may still be starting: the
    // first prompts may go without the block or with part of it (definitions that missed their
    // deadline count as looked up for that block). A save is a boundary: the next keystroke
    // gathers everything again. So: save, type a space, look at its prompt, until the block is there.
    const deadline = Date.now() + 60_000;
    const seen = new Set<string>();
    while (last !== promptWith(BLOCK, typed)) {
      seen.add(blockOf(last));
      if (Date.now() > deadline) {
        assert.equal(last, promptWith(BLOCK, typed), `blocks seen before: ${JSON.stringify([...seen])}`);
      }
      await page.keyboard.press(`${MOD}+S`);
      const saved = MAIN_HEAD + typed + MAIN_TAIL;
      await until(() => readFileSync(join(workspace, 'src/main.ts'), 'utf8') === saved, 10_000, 'main.ts saved');
      last = await typeAndWait(' ');
    }
  });

  it('excluded files open in other tabs (.env, src/secrets.ts) reach no request, by text or by name', async () => {
    const { page, fake } = session;
    for (const name of ['.env', 'secrets.ts', 'main.ts']) {
      assert.equal(await page.locator(`.tab[data-resource-name="${name}"]`).count(), 1, `a tab of ${name}`);
    }
    // After the block arrived (the previous scenario), over every request of the session.
    assert.ok(prompts().some((p) => p.includes(BLOCK)), 'a prompt with the block');
    assert.ok(fake.requests.length > 0);
    for (const r of fake.requests) {
      const body = JSON.stringify(r.body ?? '');
      for (const text of NEVER_SENT) assert.ok(!body.includes(text), `request #${r.id} ${r.path} contains ${text}`);
    }
  });

  it('"off" in user settings: the next prompts carry no block, without a reload', async () => {
    const { page } = session;
    assert.equal(blockOf(await typeAndWait(' ')), BLOCK, 'the block, while on');
    // A window reload would lose this.
    await page.evaluate(() => { (window as unknown as { infillE2e: string }).infillE2e = 'same window'; });
    // As a user does it: code-server does not notice settings.json written behind its back.
    await runCommand(page, 'Preferences: Open User Settings (JSON)');
    await page.locator('.tab.active[data-resource-name="settings.json"]').waitFor();
    await page.locator('.editor-instance .monaco-editor.focused[data-uri$="/User/settings.json"]').waitFor();
    await goTo(page, 2, 1);
    await page.keyboard.type('"infill.completion.crossFileContext": "off",\n');
    await page.keyboard.press(`${MOD}+S`);
    await until(() => userSettings()['infill.completion.crossFileContext'] === 'off', 10_000, 'the user setting saved');
    await page.locator('.tab.active:not(.dirty)[data-resource-name="settings.json"]').waitFor();
    await page.keyboard.press(`${MOD}+W`);
    await openFile(page, 'src/main.ts');
    await waitForCursor(page, 6, 1 + typed.length);
    // Until the extension has heard of the change, a keystroke's prompt may still have the block.
    const deadline = Date.now() + 30_000;
    let last = await typeAndWait(' ');
    while (last !== promptWith('', typed)) {
      if (Date.now() > deadline) assert.equal(last, promptWith('', typed), 'a prompt without the block');
      last = await typeAndWait(' ');
    }
    // And so it stays.
    for (let i = 0; i < 3; i++) assert.equal(await typeAndWait(' '), promptWith('', typed));
    assert.equal(await page.evaluate(() => (window as unknown as { infillE2e?: string }).infillE2e), 'same window');
  });
});
