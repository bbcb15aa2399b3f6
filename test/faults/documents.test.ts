// Hostile and odd documents, through the real CompletionEngine (built as src/extension.ts builds it)
// against the fake Ollama over real HTTP. For each: the engine call returns promptly with bounded
// work, the suggestion is correct or absent, it fits the cursor it was asked for, and what is sent
// is well-formed text. Times are printed, not asserted: work is asserted by counting what was read.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { toDocumentEol } from '../../src/completion/insertion';
import { silentLogger } from '../../src/util/log';
import { FakeDocument } from '../support/fakeDocument';
import { engineRig, type EngineRig } from '../support/engineRig';
import { never } from '../support/never';

let rig: EngineRig;
const prompts = () => rig.generates().map((r) => r.body.prompt as string);
/** A high or low surrogate without its other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

beforeEach(async () => {
  rig = await engineRig();
});
afterEach(() => rig.dispose());

/** One engine call, timed; the figure is printed so a slow path shows up in the test output. */
async function timed(label: string, doc: FakeDocument, signal = never): Promise<string[]> {
  const sent = rig.generates().length;
  const started = performance.now();
  const texts = await rig.engine.complete(doc.request(), signal);
  const ms = performance.now() - started;
  const request = rig.generates()[sent];
  const toRequest = request ? `request on the wire after ${(request.arrivedAt - started).toFixed(1)} ms, ` : 'no request, ';
  console.log(`# ${label}: engine call ${ms.toFixed(1)} ms (${toRequest}the fake model answers in ~10 ms), ` +
    `${doc.reads} lineAt calls, ${doc.charsRead} characters read`);
  return texts;
}

/**
 * Accept suggestions one after the other, as Tab after Tab does (a multi-line answer shows its first
 * line as soon as it is complete, the rest from the same answer once that is accepted): the text
 * inserted in all.
 */
async function acceptAll(doc: FakeDocument, eol: '\n' | '\r\n' = '\n'): Promise<string> {
  let inserted = '';
  const before = rig.generates().length;
  for (let i = 0; i < 10; i++) {
    const [text] = await rig.engine.complete(doc.request(), never);
    // Once the answer is used up the engine asks anew: that is the next answer, not this one.
    if (!text || rig.generates().length > before + 1) break;
    doc.type(text);
    inserted += toDocumentEol(text, eol);
  }
  return inserted;
}

describe('giant documents: work per keystroke is bounded by the context, not the file', () => {
  it('a 50 MB document (1,000,000 lines): one window read, the prompt within the budget', async () => {
    const lines = Array.from({ length: 1_000_000 }, (_, i) => `    total_${i} = compute(total_${i - 1}, ${i}) # pad`);
    const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
    assert.ok(bytes > 50_000_000, `document of ${bytes} bytes`);
    const doc = FakeDocument.fromLines(lines, 500_000, 4);
    rig.fake.generate = () => ({ tokens: ['pass', '\n'] });
    // Warm up (HTTP connection, JIT) on a small document so the figure is the document's own cost.
    await rig.engine.complete(new FakeDocument('w = █\n', 'file:///work/warm.py').request(), never);
    rig.fake.reset();
    assert.deepEqual(await timed('50 MB document, first keystroke', doc), ['pass']);
    // ~4096 tokens of ~50-character lines is a few hundred lines: the window, read about twice
    // (fill, then build), never the million.
    assert.ok(doc.reads < 1000, `lineAt calls: ${doc.reads}`);
    assert.ok(doc.charsRead < 50_000, `characters read: ${doc.charsRead}`);
    const [prompt] = prompts();
    assert.ok(prompt.length < 4 * 4096, `prompt of ${prompt.length} characters`);
    assert.ok(prompt.endsWith(`${lines[499_999]}\n    `), 'the prompt ends at the cursor');

    // The next keystroke keeps the window edges: again only the window is read.
    doc.type('p');
    assert.deepEqual(await timed('50 MB document, typing through', doc), ['ass']);
    assert.ok(doc.reads < 1000 && doc.charsRead < 50_000, `${doc.reads} lines, ${doc.charsRead} characters`);
    assert.equal(rig.generates().length, 1, 'served from the first answer');
  });

  it('a 1 MB single line (minified): the cursor line is read once or twice, the prompt is cut to fit', async () => {
    const line = 'var a=1;'.repeat(131_072); // 1 MiB
    const doc = FakeDocument.fromLines([line], 0, 524_288);
    rig.fake.generate = () => ({ tokens: ['b=2;'] });
    assert.deepEqual(await timed('1 MB line, cursor in the middle', doc), ['b=2;']);
    assert.ok(doc.reads <= 2, `lineAt calls: ${doc.reads}`);
    assert.ok(doc.charsRead <= 2 * line.length, `characters read: ${doc.charsRead}`);
    const [prompt] = prompts();
    assert.ok(prompt.length < 4 * 4096, `prompt of ${prompt.length} characters`);
    // SPM: the prompt ends with the text right before the cursor, and the suffix starts right after it.
    assert.ok(prompt.endsWith('var a=1;var a=1;'));
    assert.ok(prompt.startsWith('<PRE> <SUF>var a=1;var a=1;'));
  });

  it('a 1 MB single line with the cursor at its end, and at its start', async () => {
    const line = 'x'.repeat(1_048_576);
    rig.fake.generate = () => ({ tokens: [';'] });
    const atEnd = FakeDocument.fromLines([line], 0, line.length);
    await timed('1 MB line, cursor at the end', atEnd);
    assert.ok(atEnd.reads <= 2, `lineAt calls: ${atEnd.reads}`);
    const atStart = FakeDocument.fromLines([line], 0, 0);
    await timed('1 MB line, cursor at the start', atStart);
    assert.ok(atStart.reads <= 2, `lineAt calls: ${atStart.reads}`);
    for (const prompt of prompts()) assert.ok(prompt.length < 4 * 4096, `prompt of ${prompt.length} characters`);
  });

  it('a 1 MB line of emoji cut to fit never leaves half a character in the prompt', async () => {
    const line = '😀'.repeat(524_288); // 1 MiB of UTF-16 code units
    rig.fake.generate = () => ({ tokens: ['x'] });
    await rig.engine.complete(FakeDocument.fromLines([line], 0, 524_288).request(), never);
    await rig.engine.complete(FakeDocument.fromLines(['🎉'.repeat(524_288)], 0, 524_288).request(), never);
    await rig.engine.complete(FakeDocument.fromLines(['a😀'.repeat(349_525)], 0, 524_289).request(), never);
    assert.equal(rig.generates().length, 3);
    for (const prompt of prompts()) assert.doesNotMatch(prompt, LONE_SURROGATE);
  });
});

describe('binary-looking content: no completion, nothing sent', () => {
  it('NUL bytes around the cursor', async () => {
    const doc = new FakeDocument('PK\u0003\u0004\u0000\u0000\u0008\u0000█\u0000\u0000');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), []);
    assert.equal(rig.generates().length, 0);
  });

  it('bytes shown as U+FFFD and control characters (invalid UTF-8 opened as text)', async () => {
    const doc = new FakeDocument('\ufffd\ufffdJFIF\u0001\u0002\ufffd\u0007\ufffd\u001b\ufffd\ufffd█');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), []);
    assert.equal(rig.generates().length, 0);
  });

  it('but a log line with an escape sequence, or one stray U+FFFD, is still text', async () => {
    rig.fake.generate = () => ({ tokens: [' done'] });
    const doc = new FakeDocument('print("\u001b[32mok\u001b[0m caf\ufffd")\nstatus =█');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [' done']);
    assert.equal(rig.generates().length, 1);
  });
});

describe('line endings', () => {
  it('CRLF: the prompt is LF only, a multi-line answer is inserted with CRLF', async () => {
    rig.fake.generate = () => ({ tokens: ['    a = 1', '\n', '    return a', '\n', '<EOT>'] });
    const doc = new FakeDocument('def f():\r\n█\r\nprint(f())\r\n');
    assert.equal(await acceptAll(doc, '\r\n'), '    a = 1\r\n    return a');
    assert.deepEqual(prompts(), ['<PRE> <SUF>\nprint(f())\n <MID> def f():\n']);
  });

  it('mixed endings (CRLF, LF, lone CR): the prompt has LF only and the cursor line is right', async () => {
    rig.fake.generate = () => ({ tokens: [' 4'] });
    const doc = new FakeDocument('a = 1\r\nb = 2\nc = 3\rd =█\r\ne = 5');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [' 4']);
    assert.equal(prompts()[0], '<PRE> <SUF>\ne = 5 <MID> a = 1\nb = 2\nc = 3\nd =');
  });

  it('an answer with CRLF or a lone CR from the model becomes LF lines, never a stray CR', async () => {
    rig.fake.generate = () => ({ tokens: ['    a = 1\r', '\n    b = 2\r\n', '<EOT>'] });
    const doc = new FakeDocument('def f():\n█\n');
    assert.equal(await acceptAll(doc), '    a = 1\n    b = 2');
    rig.fake.generate = () => ({ tokens: ['1\r2'] });
    const single = new FakeDocument('x = █\n', 'file:///work/single.py');
    const [text] = await rig.engine.complete(single.request(), never);
    assert.ok(text === undefined || !text.includes('\r'), `suggestion ${JSON.stringify(text)}`);
  });
});

describe('surrogate pairs at the cursor', () => {
  it('right after an emoji: the prompt has the whole emoji, the answer follows it', async () => {
    rig.fake.generate = () => ({ tokens: [' 🎉")'] });
    const doc = new FakeDocument('print("done 😀█\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [' 🎉")']);
    assert.equal(prompts()[0], '<PRE> <SUF>\n <MID> print("done 😀');
  });

  it('an emoji streamed in two halves arrives whole', async () => {
    rig.fake.generate = () => ({ tokens: ['"ok ', '\ud83d', '\ude00', '"'] });
    const doc = new FakeDocument('s = █\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['"ok 😀"']);
  });

  it('an astral letter ending the word is healed whole (never half of it)', async () => {
    rig.fake.generate = () => ({ tokens: ['𝑥𝑦', ' = 1'] });
    const doc = new FakeDocument('let 𝑥█\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['𝑦 = 1']);
    assert.equal(prompts()[0], '<PRE> <SUF>\n <MID> let ');
  });

  it('a cursor between the two halves of a pair: no suggestion, nothing sent', async () => {
    const doc = new FakeDocument('x = "😀"\n').moveTo(0, 6);
    assert.deepEqual(await rig.engine.complete(doc.request(), never), []);
    assert.equal(rig.generates().length, 0);
  });
});

describe('indentation', () => {
  it('tabs: a tab-indented answer in a tab-indented block is kept whole', async () => {
    rig.fake.generate = () => ({ tokens: ['x = 1', '\n', '\t\treturn x', '\n', '\n', 'def g():', '\n'] });
    const doc = new FakeDocument('class A:\n\tdef f(self):\n\t\t█\n');
    assert.equal(await acceptAll(doc), 'x = 1\n\t\treturn x');
    assert.equal(doc.text, 'class A:\n\tdef f(self):\n\t\tx = 1\n\t\treturn x\n');
  });

  it('spaces in a tab-indented block: the block ends where the indentation width does (tab = 4 columns)', async () => {
    rig.fake.generate = () => ({ tokens: ['x = 1', '\n', '        return x', '\n', 'y = 2', '\n'] });
    const doc = new FakeDocument('class A:\n\tdef f(self):\n\t\t█\n');
    assert.equal(await acceptAll(doc), 'x = 1\n        return x');
  });
});

describe('cursor at the edges', () => {
  it('at the start of a document: an empty prefix, the whole text as suffix', async () => {
    rig.fake.generate = () => ({ tokens: ['import os', '\n'] });
    const doc = new FakeDocument('█\nprint(os.getcwd())\n');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['import os']);
    assert.equal(prompts()[0], '<PRE> <SUF>\nprint(os.getcwd())\n <MID>');
  });

  it('at the end of a document without a final newline', async () => {
    rig.fake.generate = () => ({ tokens: [' b'] });
    const doc = new FakeDocument('x = 1\ny = a +█');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), [' b']);
    assert.equal(prompts()[0], '<PRE> <SUF> <MID> x = 1\ny = a +');
  });

  it('in an empty document', async () => {
    rig.fake.generate = () => ({ tokens: ['#!/usr/bin/env python3', '\n'] });
    const doc = new FakeDocument('█');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['#!/usr/bin/env python3']);
    assert.equal(prompts()[0], '<PRE> <SUF> <MID>');
  });
});

describe('the document changes while a request is in flight', () => {
  it('an edit the editor did not cancel for: the stale answer is dropped, not shown at the old cursor', async () => {
    rig.fake.latency = { timeToFirstTokenMs: 100, perTokenMs: 1 };
    rig.fake.generate = () => ({ tokens: ['42'] });
    const doc = new FakeDocument('x = █\n');
    const pending = rig.engine.complete(doc.request(), never);
    await rig.fake.waitFor(() => rig.generates().length === 1);
    doc.insertLines(0, 'import os'); // the cursor line moved down: (0, 4) is now inside "import os"
    assert.deepEqual(await pending, []);
    assert.equal(rig.generates().length, 1, 'the request was sent');
  });

  it('typing while waiting (the editor cancels the old call): the old call gets nothing, the new one the rest', async () => {
    rig.fake.latency = { timeToFirstTokenMs: 100, perTokenMs: 1 };
    rig.fake.generate = () => ({ tokens: ['range', '(10):'] });
    const doc = new FakeDocument('for i in █\n');
    const first = new AbortController();
    const pending = rig.engine.complete(doc.request(), first.signal);
    await rig.fake.waitFor(() => rig.generates().length === 1);
    doc.type('r');
    first.abort();
    const second = rig.engine.complete(doc.request(), never);
    assert.deepEqual(await pending, []);
    assert.deepEqual(await second, ['ange(10):'], 'the answer fits the new cursor, after the typed "r"');
  });

  it('lines deleted while the engine waited for the server: no read past the end, no suggestion', async () => {
    let errors = 0;
    await rig.dispose();
    rig = await engineRig({ log: { ...silentLogger, error: () => errors++ } });
    rig.useSettings({ customModel: 'my-coder:7b-code' }); // checked with /api/show first
    rig.fake.models.push({ name: 'my-coder:7b-code', size: 1, capabilities: ['completion', 'insert'] });
    const doc = new FakeDocument('a\nb\nc\nd = █\n');
    const pending = rig.engine.complete(doc.request(), never);
    doc.lines.splice(1, 4); // the document shrank to one line before /api/show answered
    doc.version++;
    doc.moveTo(0, 1);
    assert.deepEqual(await pending, []);
    assert.equal(errors, 0, 'no "completion failed" from reading a line that is gone');
    assert.equal(rig.generates().length, 0);
  });
});

describe('infill.exclude', () => {
  it('an excluded file gets no completion and sends nothing, not even a model check', async () => {
    for (const path of ['.env', 'config/.env.local', 'certs/server.pem', 'secrets.yaml']) {
      const doc = new FakeDocument('API_KEY=█\n', `file:///work/${path}`, path);
      assert.deepEqual(await rig.engine.complete(doc.request(), never), [], path);
    }
    assert.equal(rig.fake.requests.length, 0);
    rig.fake.generate = () => ({ tokens: ['1'] });
    const normal = new FakeDocument('x = █\n', 'file:///work/main.py', 'main.py');
    assert.deepEqual(await rig.engine.complete(normal.request(), never), ['1']);
    assert.equal(rig.generates().length, 1);
  });

  it('patterns added in settings apply at once', async () => {
    rig.fake.generate = () => ({ tokens: ['1'] });
    const doc = new FakeDocument('x = █\n', 'file:///work/private/notes.py', 'private/notes.py');
    assert.deepEqual(await rig.engine.complete(doc.request(), never), ['1']);
    rig.useSettings({ exclude: [...rig.settings.exclude, 'private/**'] });
    assert.deepEqual(await rig.engine.complete(doc.type(' ').request(), never), []);
    assert.equal(rig.generates().length, 1);
  });
});
