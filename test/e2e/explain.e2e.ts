// "Infill: Explain Selection" end to end: palette → panel → streamed, sanitised answer.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { ARTIFACTS, startSession, type Session } from './harness';
import { MOD, goTo, openFile, runCommand } from './editor';

let session: Session;

const FIXTURES: Record<string, string> = {
  'src/add.py': 'import math\n\ndef add(a, b):\n    return a + b\n\nprint(add(1, 2))\n',
  'hostile.py': 'x = 1\n',
  'stop.py': 'y = 2\n',
};

/** The explain panel's content frame (webviews are nested iframes). */
function panel(): FrameLocator {
  return session.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

before(async () => {
  session = await startSession({ files: FIXTURES });
});

afterEach(async (t) => {
  if ((t as unknown as { passed?: boolean }).passed === false) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const base = join(ARTIFACTS, `explain-${t.name.replace(/\W+/g, '-')}`);
    await session.page.screenshot({ path: `${base}.png` }).catch(() => undefined);
    writeFileSync(`${base}.requests.json`, JSON.stringify(session.fake.requests, null, 2));
  }
  session.fake.reset();
});

after(async () => {
  await session?.stop();
});

/** Select whole lines first..last (1-based) with the keyboard. */
async function selectLines(first: number, last: number): Promise<void> {
  const { page } = session;
  await goTo(page, first, 1);
  for (let i = first; i <= last; i++) await page.keyboard.press('Shift+ArrowDown');
}

describe('explain selection', () => {
  it('streams the explanation of the selected code into the panel', async () => {
    const { page, fake } = session;
    fake.chat = () => ({ tokens: ['`add` ', 'returns ', 'the **sum** ', 'of `a` and `b`.'] });
    await openFile(page, 'add.py');
    await selectLines(3, 4);
    await runCommand(page, 'Infill: Explain Selection');
    const answer = panel().locator('#answer');
    await answer.getByText('returns the sum of a and b.', { exact: false }).waitFor({ timeout: 15_000 });
    assert.equal(await answer.locator('strong').textContent(), 'sum');
    await panel().locator('#status', { hasText: 'Done.' }).waitFor();
    assert.equal(await panel().locator('#file').textContent(), 'src/add.py');
    assert.equal(await panel().locator('#meta').textContent(), 'lines 3–4 · codellama:7b-instruct');
    const [chat] = fake.requestsTo('/api/chat');
    assert.equal(chat.body.model, 'codellama:7b-instruct');
    const user = chat.body.messages.find((m: { role: string }) => m.role === 'user').content as string;
    assert.match(user, /src\/add\.py/);
    assert.ok(!user.includes(session.workspace), 'no absolute path is sent');
    assert.match(user, /def add\(a, b\):\n {4}return a \+ b/);
  });

  it('renders a hostile answer as text: no script runs, no image loads', async () => {
    const { page, fake } = session;
    fake.chat = () => ({
      tokens: [
        '<script>document.title="pwned"</script>\n\n',
        '<img src=x onerror="document.title=\'pwned\'">\n\n',
        '[click me](javascript:document.title="pwned")\n\n',
        '![remote](https://evil.example/x.png)\n\n',
        '```html\n<iframe src="https://evil.example"></iframe>\n```\n',
      ],
    });
    await openFile(page, 'hostile.py');
    await selectLines(1, 1);
    await runCommand(page, 'Infill: Explain Selection');
    await panel().locator('#status', { hasText: 'Done.' }).waitFor({ timeout: 15_000 });
    const answer = panel().locator('#answer');
    assert.equal(await answer.locator('script, img, iframe').count(), 0);
    assert.equal(await answer.locator('a').count(), 0, 'the javascript: link is not a link');
    assert.match((await answer.textContent()) ?? '', /<script>document\.title="pwned"<\/script>/);
    assert.match((await answer.locator('pre code').textContent()) ?? '', /<iframe src="https:\/\/evil\.example"><\/iframe>/);
    await answer.getByText('click me').click();
    const title = await panel().locator('body').evaluate(() => document.title);
    assert.notEqual(title, 'pwned');
  });

  it('Stop disconnects the stream and marks the answer incomplete', async () => {
    const { page, fake } = session;
    fake.latency = { timeToFirstTokenMs: 20, perTokenMs: 150 };
    fake.chat = () => ({ tokens: Array.from({ length: 200 }, (_, i) => `word${i} `) });
    try {
      await openFile(page, 'stop.py');
      await selectLines(1, 1);
      await runCommand(page, 'Infill: Explain Selection');
      await panel().locator('#answer', { hasText: 'word1' }).waitFor({ timeout: 15_000 });
      await panel().locator('#stop').click();
      await panel().locator('#status', { hasText: 'Stopped' }).waitFor();
      await fake.waitFor(() => fake.requestsTo('/api/chat').at(-1)?.clientDisconnected);
      assert.ok(fake.requestsTo('/api/chat').at(-1)!.tokensSent < 200);
      await page.keyboard.press(`${MOD}+1`); // back to the editor
    } finally {
      fake.latency = { timeToFirstTokenMs: 20, perTokenMs: 2 };
    }
  });
});
