// Cross-file context through the real engine, over HTTP to the fake Ollama: the exact prompt, the
// block shared by consecutive prompts (Ollama's prompt cache), the budget, and what never goes.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contextBudget, promptBudget, PROMPT_OVERHEAD_TOKENS } from '../../src/completion/completionPipeline';
import { CrossFileContext, type ContextDocument } from '../../src/crossFile/crossFileContext';
import { realTimers } from '../../src/ollama/connectionHealth';
import { estimateTokens } from '../../src/text/tokenEstimate';
import { silentLogger } from '../../src/util/log';
import { engineRig, type EngineRig } from '../support/engineRig';
import { FakeDocument } from '../support/fakeDocument';
import { MemorySources } from '../support/memorySources';
import { never } from '../support/never';

const B_TS = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const BLOCK = '// Path: src/b.ts\n// export function add(a: number, b: number): number {\n//   return a + b;\n// }\n';

describe('cross-file context in the prompt', () => {
  let rig: EngineRig;
  let sources: MemorySources;
  let context: CrossFileContext;

  beforeEach(async () => {
    rig = await engineRig();
    sources = new MemorySources([
      { path: 'src/b.ts', text: B_TS },
      { path: '.env', text: 'API_TOKEN=add-sk-live-123\nconst total = add(1, 2);', languageId: 'typescript', excluded: true },
    ]);
    sources.declared.set('add', ['src/b.ts', 0]);
    context = new CrossFileContext({ sources, budget: () => contextBudget(rig.settings), log: silentLogger, timers: realTimers });
  });

  afterEach(async () => {
    context.dispose();
    await rig.dispose();
  });

  /** One keystroke as the VS Code provider makes it: tell the service, then ask with the block reader. */
  async function complete(doc: FakeDocument, ready = true) {
    const request = doc.request();
    const contextDoc: ContextDocument = { key: doc.key, version: doc.version, languageId: 'typescript', path: 'src/a.ts', lines: request.lines };
    context.update(contextDoc, request.cursor);
    if (ready) await context.settled();
    return rig.engine.complete({ ...request, crossFile: () => context.blockFor(doc.key).text }, never);
  }

  it('the other file\'s declaration sits between <MID> and the file\'s prefix, byte for byte', async () => {
    rig.fake.generate = () => ({ tokens: ['total', ' * 2;', '\n'] });
    const doc = new FakeDocument('const total = add(1, 2);\nconst next = █\n', 'file:///ws/src/a.ts');
    assert.deepEqual(await complete(doc), ['total * 2;']);
    assert.equal(rig.generates()[0].body.prompt,
      `<PRE> <SUF>\n <MID> ${BLOCK}const total = add(1, 2);\nconst next = `);
  });

  it('consecutive prompts share the block and everything before the typed text', async () => {
    rig.fake.generate = () => ({ tokens: ['<EOT>'] });
    const doc = new FakeDocument('const total = add(1, 2);\nconst next = █\n', 'file:///ws/src/a.ts');
    await complete(doc);
    for (const typed of ['(', ' ', '[', ' ', '+', ' ']) {
      doc.type(typed);
      await complete(doc);
    }
    const prompts = rig.generates().map((r) => r.body.prompt as string);
    assert.ok(prompts.length >= 4, `${prompts.length} requests`);
    for (let i = 1; i < prompts.length; i++) {
      assert.ok(prompts[i].startsWith(prompts[i - 1]), `request ${i} extends request ${i - 1}: ${JSON.stringify(prompts.slice(i - 1, i + 1))}`);
      assert.ok(prompts[i].includes(BLOCK));
    }
    // The fake's prompt cache: only the newly typed tokens are evaluated.
    for (const r of rig.generates().slice(1)) assert.ok((r.promptEvalCount ?? 0) <= 4, `evaluated ${r.promptEvalCount}`);
  });

  it('a request sent before the block is ready goes without it, and waits for nothing', async () => {
    rig.fake.generate = () => ({ tokens: ['<EOT>'] });
    let release!: () => void;
    sources.hold = new Promise((resolve) => { release = resolve; });
    const doc = new FakeDocument('const total = add(1, 2);\nconst next = █\n', 'file:///ws/src/a.ts');
    await complete(doc, false);
    assert.equal(rig.generates()[0].body.prompt, '<PRE> <SUF>\n <MID> const total = add(1, 2);\nconst next = ');
    release();
    await context.settled();
    doc.type('(');
    await complete(doc);
    assert.ok((rig.generates()[1].body.prompt as string).includes(BLOCK));
  });

  it('the window gives up the context\'s share whenever context is on, so the prompt fits', async () => {
    rig.fake.generate = () => ({ tokens: ['<EOT>'] });
    const lines = Array.from({ length: 3000 }, (_, i) => `const v${i} = add(${i}, ${i + 1});`);
    const doc = FakeDocument.fromLines([...lines, ''], 3000, 0, 'file:///ws/src/a.ts');
    await complete(doc);
    const prompt = rig.generates()[0].body.prompt as string;
    assert.ok(prompt.includes(BLOCK));
    assert.ok(estimateTokens(prompt) <= promptBudget(rig.settings) + PROMPT_OVERHEAD_TOKENS, `${estimateTokens(prompt)} tokens`);
    const windowTokens = estimateTokens(prompt.slice(prompt.indexOf(BLOCK) + BLOCK.length));
    assert.ok(windowTokens <= promptBudget(rig.settings) - contextBudget(rig.settings), `window ${windowTokens}`);
  });

  it('an excluded file open in another tab never reaches a prompt, even when it is the most similar', async () => {
    rig.fake.generate = () => ({ tokens: ['<EOT>'] });
    sources.neighbourPaths = ['.env'];
    const doc = new FakeDocument('const total = add(1, 2);\nconst next = █\n', 'file:///ws/src/a.ts');
    await complete(doc);
    const prompt = rig.generates()[0].body.prompt as string;
    assert.ok(!prompt.includes('sk-live') && !prompt.includes('.env'), prompt);
    assert.ok(!sources.read.has('.env'));
  });

  it('without the block reader (setting off) the prompt is the file alone', async () => {
    rig.fake.generate = () => ({ tokens: ['<EOT>'] });
    const doc = new FakeDocument('const total = add(1, 2);\nconst next = █\n', 'file:///ws/src/a.ts');
    await rig.engine.complete(doc.request(), never);
    assert.equal(rig.generates()[0].body.prompt, '<PRE> <SUF>\n <MID> const total = add(1, 2);\nconst next = ');
  });
});
