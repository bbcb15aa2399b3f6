// "Infill: Explain Selection" end to end: palette → panel → streamed, sanitised answer.

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FrameLocator } from 'playwright-core';
import { saveFailureArtifacts, startSession, type Session } from './harness';
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
  await saveFailureArtifacts(t, session, 'explain');
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

  it('renders a hostile answer as text: no script runs, nothing is loaded from anywhere', async () => {
    const { page, fake } = session;
    // A canary: every payload below would make a request to it if it ran or loaded. It answers
    // with an image/CSS/HTML-ish 200 so nothing fails early.
    const hits: string[] = [];
    const canary = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
      res.end('ok');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
    const browserRequests: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().startsWith(url) || request.url().includes('evil.example')) browserRequests.push(request.url());
    };
    page.on('request', onRequest);
    try {
      // The canary works: a request to it is seen.
      await fetch(`${url}/control`);
      assert.deepEqual(hits, ['/control']);
      hits.length = 0;
      fake.chat = () => ({
        tokens: [
          `<script>fetch("${url}/script");document.title="pwned"</script>\n\n`,
          `<img src="${url}/img" onerror="fetch('${url}/onerror');document.title='pwned'">\n\n`,
          `<iframe src="${url}/iframe"></iframe>\n\n`,
          `<link rel="stylesheet" href="${url}/css"><style>@import "${url}/import";</style>\n\n`,
          `<meta http-equiv="refresh" content="0;url=${url}/refresh">\n\n`,
          `<a href="${url}/anchor">raw link</a>\n\n`,
          `[click me](javascript:fetch("${url}/javascript");document.title="pwned")\n\n`,
          `![remote](${url}/remote.png)\n\n`,
          '![remote](https://evil.example/x.png)\n\n',
          '```html\n<iframe src="https://evil.example"></iframe>\n```\n',
        ],
      });
      await openFile(page, 'hostile.py');
      await selectLines(1, 1);
      await runCommand(page, 'Infill: Explain Selection');
      try {
        // The panel is the previous scenario's, still saying "Done." until this answer arrives: wait
        // for this answer (its file and its last paragraph) before its "Done.".
        await panel().locator('#file', { hasText: 'hostile.py' }).waitFor({ timeout: 15_000 });
        await panel().locator('#answer pre code', { hasText: 'evil.example' }).waitFor({ timeout: 15_000 });
        await panel().locator('#status', { hasText: 'Done.' }).waitFor({ timeout: 15_000 });
      } catch (e) {
        // A payload that ran may have navigated the panel away: say what reached the canary first.
        assert.deepEqual({ hits, browserRequests }, { hits: [], browserRequests: [] }, 'the answer reached the canary');
        throw e;
      }
      const answer = panel().locator('#answer');
      assert.equal(await answer.locator('script, img, iframe, link, style, meta').count(), 0);
      assert.equal(await answer.locator('a').count(), 0, 'neither the javascript: link nor the raw <a> is a link');
      assert.match((await answer.textContent()) ?? '', /<script>fetch\(/);
      assert.match((await answer.locator('pre code').textContent()) ?? '', /<iframe src="https:\/\/evil\.example"><\/iframe>/);
      await answer.getByText('click me').click();
      await answer.getByText('raw link', { exact: false }).click();
      assert.notEqual(await panel().locator('body').evaluate(() => document.title), 'pwned');
      // The panel's own script still works after all that (the answer did not break the page)...
      await panel().locator('#again').waitFor();
      // Whatever the answer could load was asked for when it was rendered, before "Done." and the
      // clicks above; a last request from here has reached the canary after those would have.
      await fetch(`${url}/end`);
      assert.deepEqual(hits, ['/end'], 'requests the answer made to the canary');
      assert.deepEqual(browserRequests, [], 'requests the browser made for the answer');
    } finally {
      page.off('request', onRequest);
      await new Promise<void>((resolve) => canary.close(() => resolve()));
    }
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
