// The user's code appears in the log only at trace level, and no prompt carries an absolute path:
// completions and explanations run against the fake Ollama with a logger that keeps every line.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildExplainPrompt } from '../../src/explain/explainPrompt';
import { EXPLAIN_PROMPT_BUDGET, explainFailureLogLine, runExplanation } from '../../src/explain/explainRun';
import type { Logger } from '../../src/util/log';
import { FakeDocument } from '../support/fakeDocument';
import { engineRig, type EngineRig } from '../support/engineRig';
import { never } from '../support/never';

type Level = keyof Logger;
const lines: { level: Level; message: string }[] = [];
const capture: Logger = {
  trace: (message) => lines.push({ level: 'trace', message }),
  debug: (message) => lines.push({ level: 'debug', message }),
  info: (message) => lines.push({ level: 'info', message }),
  warn: (message) => lines.push({ level: 'warn', message }),
  error: (message) => lines.push({ level: 'error', message }),
};

/** Words that occur only in the document (the prompt) and in the model's answer. */
const CODE_MARKER = 'zanzibarSecretTotal';
const ANSWER_MARKER = 'quokkaAnswerValue';
const HOME = '/home/alice/clients/acme-secret';

let rig: EngineRig;

function leaks(markers: string[]): string[] {
  return lines.filter((l) => l.level !== 'trace' && markers.some((m) => l.message.includes(m)))
    .map((l) => `${l.level}: ${l.message}`);
}

beforeEach(async () => {
  lines.length = 0;
  rig = await engineRig({ log: capture });
});
afterEach(() => rig.dispose());

describe('log privacy: completions', () => {
  it('prompt and answer are logged at trace only, over success, typing through, PSM fallback, abort and errors', async () => {
    const key = `file://${HOME}/src/main.py`;
    const doc = new FakeDocument(`${CODE_MARKER} = 1\nresult = ${CODE_MARKER} + █\n`, key, 'src/main.py');
    rig.fake.generate = (body) => ({ tokens: [String(body.prompt).startsWith('<PRE> <SUF>') ? `${ANSWER_MARKER}s` : `${ANSWER_MARKER}`] });
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [`${ANSWER_MARKER}s`]);
    await rig.engine.complete(doc.type('quokka').request(), never); // typing through: a cache hit
    await rig.engine.complete(doc.type('X').request(), never); // diverged from the healed answer: PSM
    // Aborted while waiting.
    rig.fake.latency = { timeToFirstTokenMs: 200, perTokenMs: 1 };
    const controller = new AbortController();
    const pending = rig.engine.complete(doc.type(' ').request(), controller.signal);
    await rig.fake.waitFor(() => rig.fake.inFlight('/api/generate') === 1);
    controller.abort();
    await pending;
    rig.fake.latency = { timeToFirstTokenMs: 5, perTokenMs: 1 };
    // A server error whose message is Ollama's own.
    rig.fake.generate = () => ({ status: 500, error: 'llama runner process has terminated' });
    await rig.engine.complete(doc.type('- ').request(), never);

    assert.deepEqual(leaks([CODE_MARKER, ANSWER_MARKER, HOME, 'alice']), []);
    // The capture works: the same text is there at trace level.
    assert.ok(lines.some((l) => l.level === 'trace' && l.message.includes(CODE_MARKER)), 'the prompt is traced');
    assert.ok(lines.some((l) => l.level === 'trace' && l.message.includes(ANSWER_MARKER)), 'the answer is traced');
    assert.ok(lines.some((l) => l.level === 'error' && l.message.includes('llama runner process has terminated')));
  });

  it('no prompt carries the document URI or path, absolute or relative', async () => {
    const doc = new FakeDocument('x = █\n', `file://${HOME}/src/main.py`, 'src/main.py');
    await rig.engine.complete(doc.request(), never);
    const bodies = rig.fake.requestsTo('/api/generate').map((r) => JSON.stringify(r.body));
    assert.equal(bodies.length, 1);
    for (const body of bodies) {
      assert.ok(!body.includes('alice') && !body.includes('main.py'), body);
    }
  });
});

describe('log privacy: explanations', () => {
  const input = {
    languageId: 'python',
    relativePath: `${HOME}/src/main.py`, // what asRelativePath returns for a file outside the workspace
    selection: `def ${CODE_MARKER}():\n    return 1`,
    startLine: 1,
    endLine: 2,
    before: '',
    after: '',
  };

  it('an absolute path never reaches the prompt: the label is the path without its root', () => {
    const prompt = buildExplainPrompt(input, EXPLAIN_PROMPT_BUDGET);
    const user = prompt.messages[1].content;
    assert.ok(!user.includes(HOME), user);
    assert.match(user, /^File: home\/alice\/clients\/acme-secret\/src\/main\.py$/m);
    assert.ok(!buildExplainPrompt({ ...input, relativePath: 'C:\\Users\\alice\\x.py' }, EXPLAIN_PROMPT_BUDGET)
      .messages[1].content.includes('C:'));
  });

  it('a failed explanation logs the error, not the code or the partial answer', async () => {
    rig.fake.chat = () => ({ tokens: [`It defines ${ANSWER_MARKER}`], errorAfterTokens: { count: 1, error: 'out of memory' } });
    const prompt = buildExplainPrompt({ ...input, relativePath: 'src/main.py' }, EXPLAIN_PROMPT_BUDGET);
    const outcome = await runExplanation({ host: rig.fake.url, model: 'codellama:7b-instruct', keepAlive: '30m', prompt },
      never, () => undefined);
    assert.equal(outcome.kind, 'failed');
    assert.ok(outcome.text.includes(ANSWER_MARKER), 'the partial answer arrived');
    if (outcome.kind !== 'failed') return;
    const line = explainFailureLogLine(outcome.error);
    assert.match(line, /out of memory/);
    assert.ok(!line.includes(CODE_MARKER) && !line.includes(ANSWER_MARKER), line);
  });
});
