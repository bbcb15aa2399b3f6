// Text that is not Infill's, from where it starts (a custom model setting a workspace can set, a
// server's error, a failed pull) to the exact words the VS Code glue shows: never a link.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NoticePolicy, type Notice } from '../../src/completion/notices';
import { errorMessage, pullFailedMessage } from '../../src/completion/noticeMessages';
import { runPull } from '../../src/ollama/pullRun';
import type { GenerateScript } from '../support/fakeOllama';
import { FakeDocument } from '../support/fakeDocument';
import { engineRig, type EngineRig } from '../support/engineRig';
import { never } from '../support/never';
import { HOSTILE, notificationLinks } from '../support/notificationLinks';

const J = '\u2060';
let rig: EngineRig;
let notices: Notice[];

beforeEach(async () => {
  rig = await engineRig();
  notices = [];
  new NoticePolicy((notice) => notices.push(notice)).attach(rig.engine);
});

afterEach(async () => {
  await rig.dispose();
});

describe('untrusted text in the completion notifications', () => {
  it('a custom model "<command link> 34b": refused locally, the warning shows the name literally', async () => {
    rig.useSettings({ customModel: `${HOSTILE} 34b` });
    assert.deepEqual(await rig.engine.complete(new FakeDocument('x = █').request(), never), []);
    assert.equal(rig.fake.requests.length, 0, 'no server needed');
    assert.deepEqual(notices, [{ kind: 'error', message: `${HOSTILE} 34b cannot be used for completions: Code Llama 34B was ` +
      'not trained for fill-in-the-middle. Use codellama:7b-code or codellama:13b-code.' }]);
    const shown = errorMessage(notices[0].kind === 'error' ? notices[0].message : '');
    assert.equal(shown, `Infill: [x]${J}(command:workbench.action.quit) 34b cannot be used for completions: Code Llama 34B ` +
      'was not trained for fill-in-the-middle. Use codellama:7b-code or codellama:13b-code.');
    assert.deepEqual(notificationLinks(shown), []);
  });

  it("a server's error text", async () => {
    rig.fake.generate = (): GenerateScript => ({ status: 500, error: `${HOSTILE} out of memory` });
    await rig.engine.complete(new FakeDocument('x = █').request(), never);
    assert.deepEqual(notices, [{ kind: 'error', message: `${HOSTILE} out of memory` }]);
    const shown = errorMessage(`${HOSTILE} out of memory`);
    assert.equal(shown, `Infill: [x]${J}(command:workbench.action.quit) out of memory`);
    assert.deepEqual(notificationLinks(shown), []);
  });

  it("a failed pull's error text", async () => {
    rig.fake.pullScript = { ...rig.fake.pullScript, failAtPercent: 10, error: `${HOSTILE} disk full` };
    const outcome = await runPull(rig.fake.url, 'codellama:13b-code', new AbortController().signal, () => undefined);
    assert.equal(outcome.ok, false);
    const shown = pullFailedMessage('codellama:13b-code', outcome.ok ? '' : outcome.error.message);
    assert.equal(shown, `Could not pull codellama:13b-code: [x]${J}(command:workbench.action.quit) disk full`);
    assert.deepEqual(notificationLinks(shown), []);
  });
});
