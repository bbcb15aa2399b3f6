import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPLETION_MODELS, completionModelName, judgeCompletionModel, judgeCustomModel } from '../../src/settings/modelRules';

describe('completionModelName', () => {
  test('the size picks a Code Llama base (code) model', () => {
    assert.equal(completionModelName({ customModel: '', modelSize: '7b' }), 'codellama:7b-code');
    assert.equal(completionModelName({ customModel: '', modelSize: '13b' }), 'codellama:13b-code');
  });

  test('a custom tag overrides the size', () => {
    assert.equal(completionModelName({ customModel: 'my/codellama:7b-code-q8_0', modelSize: '13b' }), 'my/codellama:7b-code-q8_0');
  });
});

describe('judgeCompletionModel', () => {
  test('the 7B and 13B code models are known', () => {
    assert.deepEqual(Object.values(COMPLETION_MODELS), ['codellama:7b-code', 'codellama:13b-code']);
    assert.deepEqual(judgeCompletionModel('codellama:7b-code'), { kind: 'known' });
    assert.deepEqual(judgeCompletionModel('codellama:13b-code'), { kind: 'known' });
  });

  for (const name of ['codellama:34b', 'codellama:34b-code', 'codellama:34B-instruct-q4_0', 'phind-codellama:34b-v2', '34b', 'codellama-34b']) {
    test(`34B is refused: ${name}`, () => {
      const verdict = judgeCompletionModel(name);
      assert.equal(verdict.kind, 'refused');
      assert.ok(verdict.kind === 'refused');
      assert.match(verdict.reason, /fill-in-the-middle/, 'the reason is about infilling');
      assert.ok(verdict.reason.includes(name), 'names the model');
      assert.ok(verdict.reason.includes('codellama:7b-code') && verdict.reason.includes('codellama:13b-code'), 'offers the alternatives');
    });
  }

  for (const name of ['codellama:7b-code-q4_K_M', 'codellama:13b', 'codellama:134b', 'model:34bit', 'x345b', 'codellama:code']) {
    test(`other tags are checked with the server: ${name}`, () => {
      assert.deepEqual(judgeCompletionModel(name), { kind: 'check' });
    });
  }
});

describe('judgeCustomModel', () => {
  test('an "insert" capability makes any tag usable', () => {
    assert.deepEqual(judgeCustomModel('codellama:code', ['completion', 'insert']), { kind: 'known' });
    assert.deepEqual(judgeCustomModel('starcoder2:3b', ['insert']), { kind: 'known' });
  });

  for (const name of ['codellama:7b-code-q4_K_M', 'codellama:13b-code', 'me/codellama:7b-code', 'codellama:7B-CODE-fp16', 'x:7b-code.q4']) {
    test(`a -code tag is usable without the capability: ${name}`, () => {
      assert.deepEqual(judgeCustomModel(name, undefined), { kind: 'known' });
      assert.deepEqual(judgeCustomModel(name, ['completion']), { kind: 'known' });
    });
  }

  for (const name of ['codellama:7b-instruct', 'codellama:13b-python', 'deepseek-coder:6.7b', 'codellama:7b-codex', 'llama3:8b']) {
    test(`refused without "insert" and without a -code tag: ${name}`, () => {
      const verdict = judgeCustomModel(name, ['completion']);
      assert.equal(verdict.kind, 'refused');
      assert.ok(verdict.kind === 'refused');
      assert.match(verdict.reason, /fill-in-the-middle/);
      assert.match(verdict.reason, /"insert"/);
      assert.ok(verdict.reason.startsWith(name));
    });
  }

  test('no capabilities known (old server) and no -code tag: refused', () => {
    assert.equal(judgeCustomModel('codellama:7b-instruct', undefined).kind, 'refused');
  });
});
