// End to end in a real VS Code: what the user sees, tested as the user does it.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveFailureArtifacts, startSession, type Session } from './harness';
import { MOD, ghostText, goTo, openFile, runCommand, statusLabel, toastCount, waitForGhost } from './editor';
import { FakeOllama } from '../support/fakeOllama';
import { until } from '../support/until';

let session: Session;

/** One file per scenario, created before VS Code starts so Quick Open has indexed it. */
const FIXTURES: Record<string, string> = {
  'add.py': 'def add(a, b):\n',
  'total.ts': 'const total = sum();\n',
  'loop.py': 'for i in \n',
  'fast.js': '\n',
  'escape.py': '\n',
  'alternatives.py': 'def f(a, b):\n',
  'stopped.py': '\n',
  'missing.py': '\n',
  'toggle.py': '\n',
  'elsewhere.py': 'n =\n',
  'crlf.py': 'value = 1\r\n',
  'indent.py': 'def f():\n',
};

/** Open a scenario's own file: each starts from a clean editor state. */
async function freshFile(name: keyof typeof FIXTURES & string): Promise<string> {
  await openFile(session.page, name);
  return name;
}

before(async () => {
  session = await startSession({ files: FIXTURES });
});

afterEach(async (t) => {
  await saveFailureArtifacts(t, session, 'completions');
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
    const name = await freshFile('add.py');
    await page.keyboard.press(`${MOD}+End`);
    await page.keyboard.type('    ret');
    await waitForGhost(page, 'urn a + b');
    await page.keyboard.press('Tab');
    await page.keyboard.press(`${MOD}+S`);
    await until(() => readFileSync(join(session.workspace, name), 'utf8') === 'def add(a, b):\n    return a + b', 5000, 'saved file');
    // Healed SPM prompt: the partial word "ret" is left for the model to produce. (Tab's whole
    // suggestion in one edit asks nothing more at the line end it leaves.)
    const prompts = fake.requestsTo('/api/generate').map((r) => r.body.prompt);
    assert.equal(prompts.at(-1), '<PRE> <SUF> <MID> def add(a, b):\n    ');
  });

  it('sends the exact SPM prompt for a TypeScript file with code after the cursor', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['a', ', b', ')'] });
    const name = await freshFile('total.ts');
    await goTo(page, 1, 19);
    await page.keyboard.type('a');
    await waitForGhost(page, ', b');
    await page.keyboard.press('Tab');
    await page.keyboard.press(`${MOD}+S`);
    await until(() => readFileSync(join(session.workspace, name), 'utf8') === 'const total = sum(a, b);\n', 5000, 'saved file');
    const generates = fake.requestsTo('/api/generate');
    assert.equal(generates.length, 1);
    assert.equal(generates[0].body.prompt, '<PRE> <SUF>);\n <MID> const total = sum(');
    assert.equal(generates[0].body.raw, true);
  });

  it('keeps the suggestion while the user types along, with no new request', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['range', '(10):'] });
    await freshFile('loop.py');
    await goTo(page, 1, 10);
    await page.keyboard.type('r');
    await waitForGhost(page, 'ange(10):');
    const before = fake.requestsTo('/api/generate').length;
    for (const [ch, rest] of [['a', 'nge(10):'], ['n', 'ge(10):'], ['g', 'e(10):']]) {
      await page.keyboard.type(ch);
      await waitForGhost(page, rest);
    }
    assert.equal(fake.requestsTo('/api/generate').length, before);
    assert.equal(before, 1);
  });

  it('disconnects superseded requests while typing fast, one request in flight at a time', async () => {
    const { page, fake } = session;
    fake.latency = { timeToFirstTokenMs: 600, perTokenMs: 2 };
    fake.generate = () => ({ tokens: ['zzz'] });
    try {
      await freshFile('fast.js');
      await page.keyboard.type('let alpha = beta + gamma; ', { delay: 70 });
      await fake.waitFor(() => fake.requestsTo('/api/generate').some((r) => r.clientDisconnected));
      const generates = fake.requestsTo('/api/generate');
      assert.ok(generates.length >= 2, `requests: ${generates.length}`);
      assert.ok(generates.filter((r) => r.clientDisconnected).every((r) => r.disconnectPhase === 'beforeHeaders'));
      // One request wanted at a time: one still open when the next arrives is the superseded one
      // being torn down (the engine aborts it and starts the next without waiting for its socket
      // to close, so on a busy machine the server can see the two overlap), never one answered.
      const overlapped = generates.filter((a) => generates.some((b) => b.arrivedAt > a.arrivedAt
        && b.arrivedAt < (a.endedAt ?? Infinity)));
      assert.deepEqual(overlapped.filter((r) => !r.clientDisconnected || r.disconnectPhase !== 'beforeHeaders'), []);
    } finally {
      fake.latency = { timeToFirstTokenMs: 20, perTokenMs: 2 };
    }
  });

  it('Escape dismisses, and typing something else replaces the suggestion', async () => {
    const { page, fake } = session;
    // SPM answers "41"; once the typed word leaves it, the PSM fallback answers for "s".
    fake.generate = (body) => ({ tokens: [String(body.prompt).startsWith('<PRE> <SUF>') ? '41' : 'tr(1)'] });
    await freshFile('escape.py');
    await page.keyboard.type('x = ');
    await waitForGhost(page, '41');
    await page.keyboard.press('Escape');
    await waitForGhost(page, '');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('= ');
    await waitForGhost(page, '41');
    await page.keyboard.type('s');
    await waitForGhost(page, 'tr(1)');
  });

  it('shows a multi-line answer in a CRLF file and inserts it with CRLF line breaks', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['a = 1', '\n', 'b = 2', '\n', '<EOT>'] });
    const name = await freshFile('crlf.py');
    await goTo(page, 1, 10);
    await page.keyboard.press('Enter');
    // The first line shows as soon as it is complete; the rest arrives from the stream/cache.
    await waitForGhost(page, 'a = 1');
    await page.keyboard.press('Tab');
    await waitForGhost(page, '\nb = 2');
    await page.keyboard.press('Tab');
    await page.keyboard.press(`${MOD}+S`);
    await until(() => readFileSync(join(session.workspace, name), 'utf8') === 'value = 1\r\na = 1\r\nb = 2\r\n', 5000,
      'CRLF file saved');
    const prompts = fake.requestsTo('/api/generate').map((r) => r.body.prompt);
    assert.deepEqual(prompts, ['<PRE> <SUF>\n <MID> value = 1\n']);
  });

  it('accepts with Tab a suggestion that starts with indentation at column 0', async () => {
    const { page, fake } = session;
    fake.generate = () => ({ tokens: ['    return', ' 1', '\n', '<EOT>'] });
    const name = await freshFile('indent.py');
    await goTo(page, 1, 9);
    await page.keyboard.press('Enter'); // no auto-indent: the cursor is at column 0
    await waitForGhost(page, '    return 1');
    await page.keyboard.press('Tab');
    await page.keyboard.press(`${MOD}+S`);
    await until(() => readFileSync(join(session.workspace, name), 'utf8') === 'def f():\n    return 1\n', 5000, 'accepted');
  });

  it('Alt+] shows a different alternative sampled at the alternatives temperature', async () => {
    const { page, fake } = session;
    const alternatives = ['return a - b', 'return a * b', 'return b - a'];
    let n = 0;
    fake.generate = (body) => ({ tokens: [body.options.temperature === 0.1 ? 'return a + b' : alternatives[n++ % 3]] });
    await freshFile('alternatives.py');
    await page.keyboard.press(`${MOD}+End`);
    await page.keyboard.type('    r');
    await waitForGhost(page, 'eturn a + b');
    await page.keyboard.press('Alt+BracketRight');
    const seen = await until(async () => {
      const text = await ghostText(page);
      return text !== 'eturn a + b' && text !== '' ? text : undefined;
    }, 10_000, 'another alternative');
    assert.ok(['eturn a - b', 'eturn a * b', 'eturn b - a'].includes(seen ?? ''), `shown: ${seen}`);
    const hot = fake.requestsTo('/api/generate').filter((r) => r.body.options.temperature === 0.8);
    assert.equal(hot.length, 3);
  });
});

describe('status and errors', () => {
  it('shows Ollama stopped in the status bar without a notification storm, and recovers by itself', async () => {
    const { page, fake } = session;
    const name = await freshFile('stopped.py');
    const toastsBefore = await toastCount(page);
    await fake.stop();
    await page.keyboard.type('value = 1\nother = 2\nthird = 3', { delay: 40 });
    await until(async () => (await statusLabel(page)).includes('unreachable'), 10_000, 'unreachable status');
    assert.ok((await toastCount(page)) - toastsBefore <= 1, 'at most one notification');
    await page.keyboard.press(`${MOD}+S`);
    await until(() => readFileSync(join(session.workspace, name), 'utf8') === 'value = 1\nother = 2\nthird = 3\n', 5000, 'typing unaffected');
    await fake.start();
    await until(async () => (await statusLabel(page)).includes('Ready'), 10_000, 'ready again');
    fake.generate = () => ({ tokens: [' 4'] });
    await page.keyboard.type('\nfourth =');
    await waitForGhost(page, ' 4');
    await page.keyboard.press('Escape');
    // Dismiss the one warning so later scenarios start clean.
    await page.locator('.notifications-toasts .codicon-notifications-clear, .notifications-toasts .codicon-close').first().click().catch(() => undefined);
  });

  it('offers to pull a missing model, shows progress, and completes afterwards', async () => {
    const { page, fake } = session;
    fake.models = fake.models.filter((m) => m.name !== 'codellama:7b-code');
    fake.pullScript = { totalBytes: 4_000_000, chunks: 8, chunkDelayMs: 100 };
    await freshFile('missing.py');
    await page.keyboard.type('y = ');
    const pull = page.locator('.notifications-toasts .monaco-button', { hasText: 'Pull codellama:7b-code' });
    await pull.waitFor({ timeout: 10_000 });
    assert.match(await statusLabel(page), /not installed/);
    await pull.click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Pulling codellama:7b-code' }).waitFor();
    await page.locator('.notifications-toasts', { hasText: 'is ready' }).waitFor({ timeout: 15_000 });
    assert.equal(fake.requestsTo('/api/pull').length, 1);
    fake.generate = () => ({ tokens: ['"done"'] });
    await page.keyboard.type('z = ');
    await waitForGhost(page, '"done"');
  });

  it('sends no requests while completions are toggled off', async () => {
    const { page, fake } = session;
    await freshFile('toggle.py');
    await runCommand(page, 'Infill: Toggle Completions');
    await until(async () => (await statusLabel(page)).includes('turned off'), 5000, 'off status');
    await page.keyboard.type('a = 1\nb = ', { delay: 30 });
    await page.keyboard.press(`${MOD}+S`);
    assert.equal(fake.requestsTo('/api/generate').length, 0);
    await runCommand(page, 'Infill: Toggle Completions');
    await until(async () => (await statusLabel(page)).includes('Ready'), 5000, 'on again');
    fake.generate = () => ({ tokens: ['2'] });
    await page.keyboard.type(' ');
    await waitForGhost(page, '2');
  });

  it('ignores a workspace setting that points the host elsewhere', async () => {
    const { page, fake } = session;
    const elsewhere = new FakeOllama();
    await elsewhere.start();
    try {
      mkdirSync(join(session.workspace, '.vscode'), { recursive: true });
      writeFileSync(join(session.workspace, '.vscode/settings.json'), JSON.stringify({ 'infill.ollama.host': elsewhere.url }));
      fake.generate = () => ({ tokens: ['7'] });
      await freshFile('elsewhere.py');
      await goTo(page, 1, 4);
      // One keystroke, one edit: a request per keystroke, however slowly the keys arrive.
      await page.keyboard.type(' ');
      await waitForGhost(page, '7');
      assert.equal(elsewhere.requests.length, 0);
      assert.equal(fake.requestsTo('/api/generate').length, 1);
    } finally {
      await elsewhere.stop();
    }
  });
});
