import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { completionShape, decide, type Shape } from '../../src/completion/completionShape';
import { indentWidth } from '../../src/text/indentation';

describe('completionShape: single-line or multi-line', () => {
  test('an empty line is multi-line, judged at its own indentation', () => {
    assert.deepEqual(completionShape('    ', '', '}', 8), {
      multiline: true, maxLines: 8, blockIndent: 4, opensBlock: false, nextSuffixLine: '}', nextSuffixIndent: 0,
    });
    assert.deepEqual(completionShape('', '', '', 5), {
      multiline: true, maxLines: 5, blockIndent: 0, opensBlock: false, nextSuffixLine: '', nextSuffixIndent: 0,
    });
  });

  test('after "{" at the end of a line: multi-line, the block starts one column deeper', () => {
    assert.deepEqual(completionShape('  function f() {', '', '  }  ', 8), {
      multiline: true, maxLines: 8, blockIndent: 3, opensBlock: true, nextSuffixLine: '}', nextSuffixIndent: 2,
    });
  });

  for (const [name, linePrefix] of [
    ['Python ":"', 'def area(r):'],
    ['Python ":" with trailing spaces', 'for x in xs:  '],
    ['arrow "=>"', 'const f = (a) =>'],
    ['"("', 'call('],
    ['"["', 'const xs = ['],
    ['Ruby/Lua "do"', 'items.each do'],
    ['"then"', 'if x then'],
    ['"else"', '} else'],
    ['"begin"', 'begin'],
  ] as const) {
    test(`opens a block: ${name}`, () => {
      const shape = completionShape(linePrefix, '', '', 8);
      assert.equal(shape.multiline, true);
      assert.equal(shape.opensBlock, true);
      assert.equal(shape.maxLines, 8);
    });
  }

  for (const [name, linePrefix, lineSuffix] of [
    ['text after the cursor', 'if (x) {', '}'],
    ['mid-line, after "(" with ")" after the cursor', 'print(', ')'],
    ['a statement at the end of a line', 'const x = 1', ''],
    ['a word that merely ends with "do"', 'undo', ''],
    ['mid-word', 'retu', ''],
    ['an empty line with text after the cursor', '    ', 'return x;'],
  ] as const) {
    test(`single-line: ${name}`, () => {
      const shape = completionShape(linePrefix, lineSuffix, '', 8);
      assert.equal(shape.multiline, false);
      assert.equal(shape.maxLines, 1);
    });
  }

  test('whitespace after the cursor still counts as the end of the line', () => {
    assert.equal(completionShape('if (x) {', '   ', '', 8).multiline, true);
  });

  test('maxLines 1 means single-line everywhere', () => {
    assert.equal(completionShape('', '', '', 1).multiline, false);
    assert.equal(completionShape('function f() {', '', '', 1).multiline, false);
    assert.equal(completionShape('function f() {', '', '', 1).maxLines, 1);
  });

  test('indentWidth counts visual columns with tab stops', () => {
    assert.equal(indentWidth(''), 0);
    assert.equal(indentWidth('    x'), 4);
    assert.equal(indentWidth('\tx'), 4);
    assert.equal(indentWidth('  \tx'), 4);
    assert.equal(indentWidth(' \t x'), 5);
    assert.equal(indentWidth('\t\tx', 2), 4);
    assert.equal(indentWidth('   '), 3);
  });
});

describe('decide: single-line', () => {
  const shape = completionShape('const x = ', '', '', 8);

  test('cuts at the first newline and is done', () => {
    assert.deepEqual(decide('compute(1);\nconst y = 2;', shape, false), { text: 'compute(1);', done: true });
    assert.deepEqual(decide('a\n', shape, false), { text: 'a', done: true });
    const midLine = completionShape('const x = ', ';', '', 8);
    assert.deepEqual(decide('\nfoo', midLine, true), { text: '', done: true });
  });

  test('without a newline: not done while streaming, done at stream end', () => {
    assert.deepEqual(decide('compute(', shape, false), { text: 'compute(', done: false });
    assert.deepEqual(decide('compute(1);', shape, true), { text: 'compute(1);', done: true });
    assert.deepEqual(decide('', shape, false), { text: '', done: false });
  });
});

describe('decide: multi-line', () => {
  const afterBrace = (nextSuffixLine = '', maxLines = 8): Shape =>
    completionShape('function f() {', '', nextSuffixLine, maxLines);

  test('stops at maxLines (lines counted from the cursor line)', () => {
    const shape = afterBrace('', 3);
    const text = '\n  a();\n  b();\n  c();\n  d();';
    assert.deepEqual(decide(text, shape, true), { text: '\n  a();\n  b();', done: true });
    // Streaming: as soon as line maxLines+1 starts, the first maxLines lines are final.
    assert.deepEqual(decide('\n  a();\n  b();\n', shape, false), { text: '\n  a();\n  b();', done: true });
    assert.deepEqual(decide('\n  a();\n  b();', shape, false), { text: '\n  a();\n  b();', done: false });
  });

  test('stops where the indentation drops below the block', () => {
    const shape = completionShape('    ', '', '', 8); // an empty line at indent 4
    assert.deepEqual(decide('x = 1\n    y = 2\nz = 3\n    w = 4', shape, true), { text: 'x = 1\n    y = 2', done: true });
    // Blank lines inside the block do not end it.
    assert.deepEqual(decide('x = 1\n\n    y = 2', shape, true), { text: 'x = 1\n\n    y = 2', done: true });
  });

  test('Python block after ":" ends at the first dedented line', () => {
    const shape = completionShape('    def area(self):', '', '', 8);
    assert.equal(shape.blockIndent, 5);
    const text = '\n        return 3.14 * self.r ** 2\n\n    def perimeter(self):';
    assert.deepEqual(decide(text, shape, true), { text: '\n        return 3.14 * self.r ** 2\n', done: true });
  });

  test('keeps a lone closing "}" at the opener\'s indentation', () => {
    assert.deepEqual(decide('\n  return 1;\n}\nfunction g() {}', afterBrace(''), false),
      { text: '\n  return 1;\n}', done: true });
    const nested = completionShape('    if (x) {', '', '', 8);
    assert.deepEqual(decide('\n        a();\n    }\n    b();', nested, false), { text: '\n        a();\n    }', done: true });
    // Closers with punctuation are closers too.
    const call = completionShape('  run(() => {', '', '', 8);
    assert.deepEqual(decide('\n    go();\n  });\n  more();', call, false), { text: '\n    go();\n  });', done: true });
  });

  test('drops the closer when the next line after the cursor already is that "}"', () => {
    assert.deepEqual(decide('\n  return 1;\n}\n', afterBrace('}'), false), { text: '\n  return 1;', done: true });
    const nested = completionShape('    if (x) {', '', '    }', 8);
    assert.deepEqual(decide('\n        a();\n    }', nested, true), { text: '\n        a();', done: true });
  });

  test('keeps the inner closer when the next line is an outer block\'s "}" (another indentation)', () => {
    // function f() {
    //     if (x) {█
    // }
    const nested = completionShape('    if (x) {', '', '}', 8);
    assert.deepEqual(decide('\n        a();\n    }\n}', nested, true), { text: '\n        a();\n    }', done: true });
  });

  test('a dedented line that is not a closer ends the block without being kept', () => {
    assert.deepEqual(decide('\n  return 1;\nconst y = 2;', afterBrace(''), true), { text: '\n  return 1;', done: true });
  });

  test('without an opener, a partial line that drops out of the block ends it at once', () => {
    const shape = completionShape('    ', '', '', 8); // an empty line at indent 4
    assert.deepEqual(decide('x = 1\n    y = 2\nde', shape, false), { text: 'x = 1\n    y = 2', done: true });
    // Its indentation alone does not decide: the line may still be blank or deeper.
    assert.deepEqual(decide('x = 1\n  ', shape, false), { text: 'x = 1\n  ', done: false });
    // After an opener the line may be the closer that is kept: it is judged once complete.
    const afterBrace = completionShape('function f() {', '', '', 8);
    assert.deepEqual(decide('\n  a();\n}', afterBrace, false), { text: '\n  a();\n}', done: false });
  });

  test('on an empty line (no opener) a closer is not added', () => {
    const shape = completionShape('  ', '', '', 8);
    assert.deepEqual(decide('a();\n}', shape, true), { text: 'a();', done: true });
  });

  test('a partial last line is not judged until it is complete', () => {
    const shape = afterBrace('');
    // "}" could still become "} else {" or "}, {": not decided yet.
    assert.deepEqual(decide('\n  a();\n}', shape, false), { text: '\n  a();\n}', done: false });
    // A dedented partial line is judged once its newline arrives.
    assert.deepEqual(decide('\n  a();\nc', shape, false), { text: '\n  a();\nc', done: false });
    assert.deepEqual(decide('\n  a();\nc\n', shape, false), { text: '\n  a();', done: true });
    assert.deepEqual(decide('\n  a();\n}', shape, true), { text: '\n  a();\n}', done: true });
  });

  test('streaming: an open block is not done until decided', () => {
    const shape = afterBrace('');
    assert.deepEqual(decide('', shape, false), { text: '', done: false });
    assert.deepEqual(decide('\n  a();\n  b();\n', shape, false), { text: '\n  a();\n  b();\n', done: false });
    assert.deepEqual(decide('\n  a();\n  b();\n', shape, true), { text: '\n  a();\n  b();\n', done: true });
  });
});

describe('decide: at the end of a finished line', () => {
  // if (x) {
  //     const y = f(x);█
  //     return y;
  const shape = completionShape('    const y = f(x);', '', '    return y;', 8);

  test('the line end gets the shape of the empty line Enter would make', () => {
    assert.equal(shape.multiline, false);
    assert.equal(shape.maxLines, 1);
    assert.deepEqual(shape.afterBreak, completionShape('    ', '', '    return y;', 8));
    assert.equal(shape.afterBreak?.multiline, true);
    assert.equal(shape.afterBreak?.blockIndent, 4);
  });

  test('no afterBreak mid-line, on an empty line, after a block opener, or with text after the cursor', () => {
    assert.equal(completionShape('    const y = f(', 'x);', '', 8).afterBreak, undefined);
    assert.equal(completionShape('    ', '', '', 8).afterBreak, undefined);
    assert.equal(completionShape('if (x) {', '', '', 8).afterBreak, undefined);
    assert.equal(completionShape('a', ' b', '', 8).afterBreak, undefined);
  });

  test('an answer that starts with a line break runs on as the next lines, within the block', () => {
    assert.deepEqual(decide('\n    log(y);\n    return y;\n}\nfunction g() {', shape, true),
      { text: '\n    log(y);\n    return y;', done: true });
    // Streaming: undecided until the block ends or maxLines is reached.
    assert.deepEqual(decide('\n    log(y);\n', shape, false), { text: '\n    log(y);\n', done: false });
    // A line that starts below the block's indentation ends it as soon as it shows.
    assert.deepEqual(decide('\n    log(y);\n}', shape, false), { text: '\n    log(y);', done: true });
    assert.deepEqual(decide('\n    log(y);\n}\n', shape, false), { text: '\n    log(y);', done: true });
  });

  test('maxLines counts the lines after the break, as after Enter', () => {
    const three = completionShape('    const y = f(x);', '', '', 3);
    assert.deepEqual(decide('\n    a();\n    b();\n    c();\n    d();', three, true),
      { text: '\n    a();\n    b();\n    c();', done: true });
    const one = completionShape('    const y = f(x);', '', '', 1);
    assert.deepEqual(decide('\n    a();\n    b();', one, false), { text: '\n    a();', done: true });
  });

  test('the first line after the break is kept even when dedented (a closer, the next def)', () => {
    assert.deepEqual(decide('\n}\n\nfunction g() {', shape, true), { text: '\n}\n', done: true });
  });

  test('a healed word before the break is not a continuation of the line', () => {
    // "    const y = f(x); return y" with the cursor after "y": the prompt ends before "y".
    const healed = completionShape('    return y', '', '', 8, 1);
    assert.equal(healed.healed, 1);
    assert.deepEqual(decide('y\n    log(y);\n', healed, false), { text: 'y\n    log(y);\n', done: false });
    assert.deepEqual(decide('y\n    log(y);\n}\n', healed, false), { text: 'y\n    log(y);', done: true });
    assert.deepEqual(decide('yes\n    log(y);', healed, false), { text: 'yes', done: true });
    assert.equal(completionShape('    return y', '', '', 8).healed, undefined);
  });

  test('text before the break finishes the line: single-line as before', () => {
    assert.deepEqual(decide(' // the result\n    return y;', shape, false), { text: ' // the result', done: true });
    assert.deepEqual(decide(' // the res', shape, false), { text: ' // the res', done: false });
    assert.deepEqual(decide('', shape, false), { text: '', done: false });
  });
});
