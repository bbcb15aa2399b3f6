// At the end of a finished line the answer is what follows it: the next lines, shown below the line.
// Enter keeps serving that answer on the new line (typing-through across the line break, whatever
// indentation the editor inserted) with no second request; anything else typed drops it.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toDocumentEol } from '../../src/completion/insertion';
import { FakeDocument } from '../support/fakeDocument';
import { engineRig, type EngineRig } from '../support/engineRig';
import { never } from '../support/never';
import { until } from '../support/until';

let rig: EngineRig;
beforeEach(async () => {
  rig = await engineRig();
});
afterEach(() => rig.dispose());

/** The first line shows as soon as it is complete; wait until the whole answer is decided and cached. */
const settled = () => until(() => rig.engine.state.kind === 'ready', 5000, 'the answer streamed to its end');

const SOURCE = 'function f(x) {\n    const y = g(x);█\n}\n';
const NEXT = ['\n', '    log', '(y);', '\n', '    return', ' y;', '\n', '}', '\n', '<EOT>'];

describe('the next lines at a line end', () => {
  it('sends the line-end prompt and shows the lines that follow, cut at the block\'s end', async () => {
    rig.fake.generate = () => ({ tokens: NEXT });
    const doc = new FakeDocument(SOURCE);
    // The first line shows as soon as it is complete, the rest once the stream has decided.
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['\n    log(y);']);
    await settled();
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['\n    log(y);\n    return y;']);
    assert.equal(rig.generates()[0].body.prompt, '<PRE> <SUF>\n}\n <MID> function f(x) {\n    const y = g(x);');
    // The one request per completion: nothing but /api/generate reached the server.
    assert.deepEqual(rig.fake.requests.map((r) => `${r.method} ${r.path}`), ['POST /api/generate']);
  });

  it('inserts exactly that text, in the document\'s line endings', async () => {
    rig.fake.generate = () => ({ tokens: NEXT });
    const doc = new FakeDocument(SOURCE);
    await rig.engine.complete(doc.request(), never);
    await settled();
    const [text] = await rig.engine.complete(doc.request(), never);
    assert.equal(toDocumentEol(text, '\r\n'), '\r\n    log(y);\r\n    return y;');
    assert.equal(toDocumentEol(text, '\n'), '\n    log(y);\n    return y;');
  });

  it('Enter keeps serving the same answer on the new line, with no new request', async () => {
    rig.fake.generate = () => ({ tokens: NEXT });
    const doc = new FakeDocument(SOURCE);
    await rig.engine.complete(doc.request(), never);
    await settled();
    // VS Code's Enter: a line break and the line's indentation.
    assert.deepEqual(await rig.engine.complete(doc.type('\n    ').request(), never), ['log(y);\n    return y;']);
    assert.deepEqual(await rig.engine.complete(doc.type('log(y);').request(), never), ['\n    return y;']);
    assert.deepEqual(await rig.engine.complete(doc.type('\n    ').request(), never), ['return y;']);
    assert.equal(rig.fake.requests.length, 1);
  });

  it('Enter without auto-indent shows the indentation too', async () => {
    rig.fake.generate = () => ({ tokens: NEXT });
    const doc = new FakeDocument(SOURCE);
    await rig.engine.complete(doc.request(), never);
    await settled();
    assert.deepEqual(await rig.engine.complete(doc.type('\n').request(), never), ['    log(y);\n    return y;']);
    assert.equal(rig.fake.requests.length, 1);
  });

  it('a tab-indented file: the exact prompt, the answer with tabs, Enter with a tab', async () => {
    rig.fake.generate = () => ({ tokens: ['\n', '\tlog', '(y);', '\n', '}', '<EOT>'] });
    const doc = new FakeDocument('function f(x) {\n\tconst y = g(x);█\n}\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['\n\tlog(y);']);
    assert.equal(rig.generates()[0].body.prompt, '<PRE> <SUF>\n}\n <MID> function f(x) {\n\tconst y = g(x);');
    assert.deepEqual(await rig.engine.complete(doc.type('\n\t').request(), never), ['log(y);']);
    assert.equal(rig.fake.requests.length, 1);
  });

  it('Enter that indents with a tab where the model wrote spaces is the same answer (tab size 4)', async () => {
    rig.fake.generate = () => ({ tokens: NEXT });
    const doc = new FakeDocument(SOURCE);
    await rig.engine.complete(doc.request(), never);
    await settled();
    assert.deepEqual(await rig.engine.complete({ ...doc.type('\n\t').request(), tabSize: 4 }, never),
      ['log(y);\n    return y;']);
    assert.equal(rig.fake.requests.length, 1);
  });

  it('a character typed on the line instead drops the answer: the next request is for the new text', async () => {
    rig.fake.generate = (body) => ({
      tokens: body.prompt.endsWith(';;') ? [' // twice', '\n', '<EOT>'] : NEXT,
    });
    const doc = new FakeDocument(SOURCE);
    await rig.engine.complete(doc.request(), never);
    assert.deepEqual(await rig.engine.complete(doc.type(';').request(), never), [' // twice']);
    assert.equal(rig.generates().length, 2);
  });

  it('a line that ends in a word: the healed prompt, and the next lines after that word', async () => {
    rig.fake.generate = () => ({ tokens: ['y', ';', '\n', '    log', '(y);', '\n', '}', '<EOT>'] });
    const doc = new FakeDocument('function f(x) {\n    const y = g(x)\n    return y█\n}\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [';']);
    rig.fake.generate = () => ({ tokens: ['y', '\n', '    log', '(y);', '\n', '}', '<EOT>'] });
    const next = new FakeDocument('function h(x) {\n    const y = g(x)\n    return y█\n}\n', 'file:///work/other.js');
    assert.deepEqual(await rig.engine.complete(next.request(), never), ['\n    log(y);']);
    assert.equal(rig.generates()[1].body.prompt, '<PRE> <SUF>\n}\n <MID> function h(x) {\n    const y = g(x)\n    return ');
    assert.equal(rig.generates().length, 2, 'no PSM fallback: the answer starts with the healed word');
  });

  it('typing through an answer to the end of its line asks for what follows the line', async () => {
    rig.fake.generate = (body) => ({
      tokens: body.prompt.endsWith('const y = ') ? ['g', '(x);', '\n', '<EOT>'] : NEXT,
    });
    const doc = new FakeDocument('function f(x) {\n    const y = █\n}\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['g(x);']);
    await settled();
    assert.deepEqual(await rig.engine.complete(doc.type('g(x').request(), never), [');']);
    assert.deepEqual(await rig.engine.complete(doc.type(')').request(), never), [';']);
    // The answer is used up at the line's end: the next lines come from a request for them.
    assert.deepEqual(await rig.engine.complete(doc.type(';').request(), never), ['\n    log(y);']);
    assert.equal(rig.generates().length, 2);
    assert.equal(rig.generates()[1].body.prompt, '<PRE> <SUF>\n}\n <MID> function f(x) {\n    const y = g(x);');
  });

  it('a word that ends the line, typed through: the same healed prompt is asked again, for the lines after it', async () => {
    rig.fake.generate = () => ({ tokens: ['h', '\n', '    print', '(result)', '\n', '<EOT>'] });
    const doc = new FakeDocument('def area(w, h):\n    result = w * █\n');
    // After "* " the answer finishes the line: "h", cut at its line break.
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['h']);
    await settled();
    // "h" typed: the line is finished; the prompt is the same (healed) one, its answer now read past the break.
    assert.deepEqual(await rig.engine.complete(doc.type('h').request(), never), ['\n    print(result)']);
    assert.deepEqual(rig.generates().map((r) => r.body.prompt), [
      '<PRE> <SUF>\n <MID> def area(w, h):\n    result = w * ',
      '<PRE> <SUF>\n <MID> def area(w, h):\n    result = w * ',
    ]);
    await settled();
    // Asked once: the same position now serves that answer.
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['\n    print(result)']);
    assert.equal(rig.generates().length, 2);
  });

  it('an answer typed through to a block opener at the line end asks for the block', async () => {
    rig.fake.generate = (body) => ({
      tokens: body.prompt.endsWith('if (x) ') ? ['{', '\n', '<EOT>'] : ['\n', '    go();', '\n', '}', '<EOT>'],
    });
    const doc = new FakeDocument('if (x) █\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['{']);
    await settled();
    assert.deepEqual(await rig.engine.complete(doc.type('{').request(), never), ['\n    go();']);
    assert.equal(rig.generates().length, 2);
  });

  it('Enter after an answer that ended at the line end: the empty line asks for its own answer', async () => {
    rig.fake.generate = (body) => ({ tokens: body.prompt.endsWith('g(x);\n    ') ? ['log', '(y);', '<EOT>'] : ['\n', '<EOT>'] });
    const doc = new FakeDocument(SOURCE);
    assert.deepEqual(await rig.engine.complete(doc.request(), never), []);
    await settled();
    assert.deepEqual(await rig.engine.complete(doc.type('\n    ').request(), never), ['log(y);']);
    assert.equal(rig.generates().length, 2);
  });

  it('an answer accepted whole (Tab: one edit) at the line end asks nothing more until the next keystroke', async () => {
    rig.fake.generate = (body) => ({
      tokens: body.prompt.endsWith('const y = ') ? ['g', '(x);', '\n', '<EOT>'] : NEXT,
    });
    const doc = new FakeDocument('function f(x) {\n    const y = █\n}\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['g(x);']);
    await settled();
    assert.deepEqual(await rig.engine.complete(doc.type('g(x);').request(), never), []);
    assert.equal(rig.generates().length, 1);
  });

  it('mid-line, an answer typed through to its end asks nothing more', async () => {
    rig.fake.generate = () => ({ tokens: ['a', ', b', '<EOT>'] });
    const doc = new FakeDocument('const total = sum(█);\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['a, b']);
    await settled();
    assert.deepEqual(await rig.engine.complete(doc.type('a, b').request(), never), []);
    assert.equal(rig.generates().length, 1);
  });

  it('an answer that finishes the line instead stays single-line', async () => {
    rig.fake.generate = () => ({ tokens: [' // the result', '\n', '    return y;', '<EOT>'] });
    const doc = new FakeDocument(SOURCE);
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [' // the result']);
  });

  it('Enter while the answer is still on its way joins that request instead of asking again', async () => {
    rig.fake.generate = () => ({ tokens: NEXT, timeToFirstTokenMs: 1500 });
    const doc = new FakeDocument(SOURCE);
    const first = new AbortController();
    const pending = rig.engine.complete(doc.request(), first.signal);
    await rig.fake.waitFor(() => rig.generates().length === 1, 10_000);
    first.abort(); // VS Code cancels the previous provider call on the next edit
    assert.deepEqual(await rig.engine.complete(doc.type('\n    ').request(), never), ['log(y);']);
    assert.deepEqual(await pending, []);
    await settled();
    assert.equal(rig.fake.requests.length, 1);
    // Not aborted as superseded: it streamed its answer up to the end of the block.
    assert.ok(rig.generates()[0].tokensSent >= NEXT.indexOf('}'), `${rig.generates()[0].tokensSent} tokens sent`);
  });

  it('mid-line, on an empty line and after a block opener nothing changes: no line-end answer', async () => {
    rig.fake.generate = () => ({ tokens: ['\n', '    other();', '<EOT>'] });
    // Mid-line: single-line, the break ends it (nothing to show).
    assert.deepEqual(await rig.engine.complete(new FakeDocument('const y = g(█x);\n').request(), never), []);
    // After "{": the block's lines.
    assert.deepEqual(await rig.engine.complete(new FakeDocument('if (x) {█\n}\n').request(), never), ['\n    other();']);
  });
});
