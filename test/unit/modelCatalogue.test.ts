import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CATALOGUE_MODELS, canonicalModelName, COMPLETION_MODELS, completionModelName, explainModelName, isInstalled,
  judgeCompletionModel, judgeCustomModel, modelRegistry, sameModel,
} from '../../src/settings/modelCatalogue';

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

describe('a custom model from another registry', () => {
  const cases: [string, string][] = [
    ['registry.example/x/codellama:7b-code', 'registry.example'], ['localhost:5000/m:tag', 'localhost:5000'],
    ['localhost/m:7b-code', 'localhost'], ['hf.co/someone/CodeLlama-7B-GGUF:Q4_K_M', 'hf.co'],
    ['10.0.0.5:5000/codellama:7b-code', '10.0.0.5:5000'], ['evil/ns/codellama:7b-code', 'evil'],
    ['Registry.Example/codellama:7b-code', 'registry.example'],
  ];
  for (const [name, registry] of cases) {
    test(`refused before asking the server: ${name}`, () => {
      assert.equal(modelRegistry(name), registry);
      assert.deepEqual(judgeCompletionModel(name), {
        kind: 'refused',
        reason: `${name} names the registry ${registry}: Infill uses models of the Ollama library only, so that a ` +
          'setting cannot make Ollama download from elsewhere a model that writes your code. To use it anyway, pull ' +
          'it yourself and copy it to a library-style name (ollama cp). Use codellama:7b-code or codellama:13b-code.',
      });
    });
  }

  for (const name of ['codellama:7b-code', 'user/model:tag', 'me/codellama:7b-code-q8_0', 'codellama',
    'registry.ollama.ai/library/codellama:7b-code', 'library/codellama:13b-code']) {
    test(`the public Ollama library is not a registry of its own: ${name}`, () => {
      assert.equal(modelRegistry(name), undefined);
      assert.notEqual(judgeCompletionModel(name).kind, 'refused');
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

describe('explainModelName', () => {
  test('the size picks a Code Llama - Instruct model, 34B included', () => {
    assert.equal(explainModelName({ explainModelSize: '7b' }), 'codellama:7b-instruct');
    assert.equal(explainModelName({ explainModelSize: '13b' }), 'codellama:13b-instruct');
    assert.equal(explainModelName({ explainModelSize: '34b' }), 'codellama:34b-instruct');
  });

  test('the catalogue: the completion models, then the explain models', () => {
    assert.deepEqual([...CATALOGUE_MODELS], ['codellama:7b-code', 'codellama:13b-code', 'codellama:7b-instruct',
      'codellama:13b-instruct', 'codellama:34b-instruct']);
  });
});

describe('model names as Ollama matches them', () => {
  test('"name" and "name:latest" (and the spelled-out registry, any case) are the same model', () => {
    assert.ok(sameModel('codellama', 'codellama:latest'));
    assert.ok(sameModel('registry.ollama.ai/library/codellama:7b-code', 'codellama:7b-code'));
    assert.ok(sameModel('CodeLlama:7B-Code', 'codellama:7b-code'));
    assert.ok(!sameModel('codellama:7b-code', 'codellama:7b-code-q8_0'));
    assert.ok(!sameModel('me/codellama:7b-code', 'codellama:7b-code'));
    assert.equal(canonicalModelName('host:5000/me/model'), 'host:5000/me/model:latest');
  });

  test('isInstalled: a model is installed when /api/tags lists a name Ollama resolves to it', () => {
    const tags = ['codellama:7b-code', 'my-coder:latest', 'library/codellama:13b-instruct'];
    assert.equal(isInstalled('codellama:7b-code', tags), true);
    assert.equal(isInstalled('my-coder', tags), true, 'no tag means :latest');
    assert.equal(isInstalled('My-Coder:latest', tags), true, 'any case');
    assert.equal(isInstalled('codellama:13b-instruct', tags), true, 'the default namespace spelled out');
    assert.equal(isInstalled('codellama:13b-code', tags), false);
    assert.equal(isInstalled('codellama', tags), false, 'codellama:latest is not listed');
    assert.equal(isInstalled('codellama:7b-code', []), false);
  });
});
