import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFimPrompt, MAX_HEAL, promptWithContext, psmPrompt, spmPrompt, STOP_TOKENS, trailingWordLength } from '../../src/completion/fimPrompt';

describe('prompt layouts (Meta generation.py text form)', () => {
  test('SPM: "<PRE> <SUF>{suffix} <MID> {prefix}"', () => {
    assert.equal(spmPrompt('def f(x):\n    return ', '\n\nprint(f(2))'),
      '<PRE> <SUF>\n\nprint(f(2)) <MID> def f(x):\n    return ');
  });

  test('PSM: "<PRE> {prefix} <SUF>{suffix} <MID>"', () => {
    assert.equal(psmPrompt('def f(x):\n    return ', '\n\nprint(f(2))'),
      '<PRE> def f(x):\n    return  <SUF>\n\nprint(f(2)) <MID>');
  });

  test('no space is added between <SUF> and the suffix, even when the suffix starts with a space', () => {
    assert.equal(spmPrompt('a', ' b'), '<PRE> <SUF> b <MID> a');
    assert.equal(psmPrompt('a', ' b'), '<PRE> a <SUF> b <MID>');
  });

  test('empty prefix: both layouts collapse to "<PRE> <SUF>{suffix} <MID>"', () => {
    assert.equal(spmPrompt('', 'x = 1'), '<PRE> <SUF>x = 1 <MID>');
    assert.equal(psmPrompt('', 'x = 1'), '<PRE> <SUF>x = 1 <MID>');
  });

  test('empty suffix', () => {
    assert.equal(spmPrompt('x = ', ''), '<PRE> <SUF> <MID> x = ');
    assert.equal(psmPrompt('x = ', ''), '<PRE> x =  <SUF> <MID>');
  });

  test('both empty', () => {
    assert.equal(spmPrompt('', ''), '<PRE> <SUF> <MID>');
    assert.equal(psmPrompt('', ''), '<PRE> <SUF> <MID>');
    assert.deepEqual(buildFimPrompt('', '', 'spm'), { prompt: '<PRE> <SUF> <MID>', format: 'spm', promptPrefix: '', heal: '', suffix: '' });
    assert.deepEqual(buildFimPrompt('', '', 'psm'), { prompt: '<PRE> <SUF> <MID>', format: 'psm', promptPrefix: '', heal: '', suffix: '' });
  });

  test('emoji and CJK in prefix and suffix are kept byte-exact', () => {
    const prefix = 'const greeting = "你好, 世界 👋🏽 ';
    const suffix = '";\n// 🚀 終わり\n';
    const spm = buildFimPrompt(prefix, suffix, 'spm');
    assert.equal(spm.prompt, `<PRE> <SUF>${suffix} <MID> ${prefix}`);
    assert.equal(spm.heal, '');
    const bytes = Buffer.from(spm.prompt, 'utf8');
    assert.ok(bytes.includes(Buffer.from(prefix, 'utf8')));
    assert.ok(bytes.includes(Buffer.from(suffix, 'utf8')));
    assert.equal(bytes.length, Buffer.byteLength('<PRE> <SUF> <MID> ') + Buffer.byteLength(prefix) + Buffer.byteLength(suffix));
    assert.equal(Buffer.from(spm.prompt, 'utf8').toString('utf8'), spm.prompt, 'no lone surrogates');
    const psm = buildFimPrompt(prefix, suffix, 'psm');
    assert.equal(psm.prompt, `<PRE> ${prefix} <SUF>${suffix} <MID>`);
  });

  test('the stop token is the end-of-infill text', () => {
    assert.deepEqual([...STOP_TOKENS], ['<EOT>']);
  });
});

describe('cross-file context in the prompt', () => {
  const context = '// Path: src/b.ts\n// export function add(a: number, b: number): number;\n';

  test('SPM: after <MID> and its space, right before the prefix the model continues', () => {
    const fim = buildFimPrompt('const x = add(', ');\n', 'spm');
    assert.equal(promptWithContext(fim, context), `<PRE> <SUF>);\n <MID> ${context}const x = add(`);
  });

  test('SPM with a healed word: the context comes before the backed-off prefix', () => {
    const fim = buildFimPrompt('const x = ad', '\n', 'spm');
    assert.equal(promptWithContext(fim, context), `<PRE> <SUF>\n <MID> ${context}const x = `);
  });

  test('an empty prefix: the context alone after <MID>', () => {
    assert.equal(promptWithContext(buildFimPrompt('', 'x', 'spm'), context), `<PRE> <SUF>x <MID> ${context}`);
  });

  test('PSM: the context opens the prefix', () => {
    const fim = buildFimPrompt('const x = add(', ');', 'psm');
    assert.equal(promptWithContext(fim, context), `<PRE> ${context}const x = add( <SUF>); <MID>`);
  });

  test('no context: the prompt as built', () => {
    const fim = buildFimPrompt('a = ', 'b', 'spm');
    assert.equal(promptWithContext(fim, ''), fim.prompt);
  });
});

describe('token healing', () => {
  test('cursor mid-word: the word is backed off and must be regenerated', () => {
    assert.deepEqual(buildFimPrompt('foo.enu', '', 'spm'), {
      prompt: '<PRE> <SUF> <MID> foo.',
      format: 'spm',
      promptPrefix: 'foo.',
      heal: 'enu',
      suffix: '',
    });
    const r = buildFimPrompt('enum Color {\n  Red,\n  Gre', '\n}\n', 'spm');
    assert.equal(r.promptPrefix, 'enum Color {\n  Red,\n  ');
    assert.equal(r.heal, 'Gre');
    assert.equal(r.prompt, '<PRE> <SUF>\n}\n <MID> enum Color {\n  Red,\n  ');
    assert.equal(r.format, 'spm');
  });

  for (const [name, prefix] of [
    ['after a space', 'return '],
    ['after (', 'print('],
    ['after .', 'console.'],
    ['after a newline', 'x = 1\n'],
    ['after an operator', 'a+'],
    ['after a tab', 'if x:\n\t'],
  ] as const) {
    test(`word boundary ${name}: no healing`, () => {
      assert.deepEqual(buildFimPrompt(prefix, ')', 'spm'), {
        prompt: `<PRE> <SUF>) <MID> ${prefix}`,
        format: 'spm',
        promptPrefix: prefix,
        heal: '',
        suffix: ')',
      });
    });
  }

  test('a prefix that is only one word falls back to PSM', () => {
    assert.deepEqual(buildFimPrompt('impo', '\n', 'spm'), {
      prompt: '<PRE> impo <SUF>\n <MID>',
      format: 'psm',
      promptPrefix: 'impo',
      heal: '',
      suffix: '\n',
    });
  });

  test('a one-word prefix after leading whitespace is healed (whitespace stays in the prompt)', () => {
    const r = buildFimPrompt('    retu', '', 'spm');
    assert.equal(r.format, 'spm');
    assert.equal(r.promptPrefix, '    ');
    assert.equal(r.heal, 'retu');
  });

  test(`a word of exactly MAX_HEAL (${MAX_HEAL}) characters is healed`, () => {
    const word = 'a'.repeat(MAX_HEAL);
    const r = buildFimPrompt(`x = ${word}`, ';', 'spm');
    assert.equal(r.format, 'spm');
    assert.equal(r.heal, word);
    assert.equal(r.promptPrefix, 'x = ');
    assert.equal(r.prompt, '<PRE> <SUF>; <MID> x = ');
  });

  test('a word longer than MAX_HEAL falls back to PSM with the whole prefix', () => {
    for (const length of [MAX_HEAL + 1, MAX_HEAL + 2, 500]) {
      const prefix = `x = ${'b'.repeat(length)}`;
      assert.deepEqual(buildFimPrompt(prefix, ';', 'spm'), {
        prompt: `<PRE> ${prefix} <SUF>; <MID>`,
        format: 'psm',
        promptPrefix: prefix,
        heal: '',
        suffix: ';',
      }, `length ${length}`);
    }
  });

  for (const [name, prefix, heal] of [
    ['underscore', 'let my_var', 'my_var'],
    ['dollar', 'const el = $el', '$el'],
    ['jQuery-like $ alone', 'x = $', '$'],
    ['digits', 'x = value2', 'value2'],
    ['a number', 'x = 12', '12'],
    ['Latin letters with accents', 'größe = maß', 'maß'],
    ['Greek', 'λ = αβγ', 'αβγ'],
    ['CJK', '// 注释：你好世界', '你好世界'],
    ['an astral letter (surrogate pair) inside the word', 'y = a𝑥b', 'a𝑥b'],
    ['an astral letter at the end', 'y = a𝑥', 'a𝑥'],
  ] as const) {
    test(`identifier with ${name}`, () => {
      const r = buildFimPrompt(prefix, '', 'spm');
      assert.equal(r.heal, heal);
      assert.equal(r.promptPrefix, prefix.slice(0, prefix.length - heal.length));
      assert.equal(r.promptPrefix + r.heal, prefix);
      assert.equal(r.format, 'spm');
    });
  }

  test('an emoji right before the cursor is not a word character: no healing, pair not split', () => {
    for (const prefix of ['msg = "done 🎉', 'x = a😀', '😀', 'a👋🏽']) {
      const r = buildFimPrompt(prefix, '"', 'spm');
      assert.equal(r.heal, '', prefix);
      assert.equal(r.format, 'spm');
      assert.equal(r.promptPrefix, prefix);
      assert.equal(r.prompt, `<PRE> <SUF>" <MID> ${prefix}`);
      assert.equal(trailingWordLength(prefix, MAX_HEAL), 0);
    }
  });

  test('a word right after an emoji is healed up to the emoji, which stays whole', () => {
    const r = buildFimPrompt('s = "😀abc', '', 'spm');
    assert.equal(r.heal, 'abc');
    assert.equal(r.promptPrefix, 's = "😀');
    assert.equal(r.promptPrefix.charCodeAt(r.promptPrefix.length - 1), 0xde00, 'ends with the low surrogate');
  });

  test('PSM never heals, even mid-word', () => {
    assert.deepEqual(buildFimPrompt('foo.enu', ';', 'psm'), {
      prompt: '<PRE> foo.enu <SUF>; <MID>',
      format: 'psm',
      promptPrefix: 'foo.enu',
      heal: '',
      suffix: ';',
    });
  });

  test('trailingWordLength counts code units and stops past the limit', () => {
    assert.equal(trailingWordLength('', 40), 0);
    assert.equal(trailingWordLength('a.bc', 40), 2);
    assert.equal(trailingWordLength('x𝑥', 40), 3);
    assert.equal(trailingWordLength('z'.repeat(100), 40), 41);
    assert.equal(trailingWordLength(' ' + 'z'.repeat(10), 40), 10);
  });
});
