import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { remainderAfter, SHORT, typedAlong } from '../../src/completion/typingThrough';

describe('typedAlong: within a line', () => {
  test('the typed characters must be the answer\'s own', () => {
    assert.equal(typedAlong('console.log(x);', 'cons'), 'ole.log(x);');
    assert.equal(typedAlong('abc', ''), 'abc');
    assert.equal(typedAlong('abc', 'abc'), '');
    assert.equal(typedAlong('abc', 'abd'), undefined);
  });

  test('an answer shorter than what was typed: SHORT while it may still grow', () => {
    assert.equal(typedAlong('ab', 'abc'), SHORT);
    assert.equal(typedAlong('ax', 'abc'), undefined);
    assert.equal(remainderAfter('ab', 'abc'), undefined);
  });
});

describe('typedAlong: across Enter at a line end', () => {
  const answer = '\n    log(y);\n    return y;';

  test('Enter with the same indentation as the model\'s', () => {
    assert.equal(typedAlong(answer, '\n    '), 'log(y);\n    return y;');
    assert.equal(typedAlong(answer, '\n    lo'), 'g(y);\n    return y;');
    assert.equal(typedAlong(answer, '\n    log(y);\n    '), 'return y;');
  });

  test('Enter without auto-indent: the model\'s indentation is still shown', () => {
    assert.equal(typedAlong(answer, '\n'), '    log(y);\n    return y;');
  });

  test('a tab where the model wrote four spaces is the same indentation', () => {
    assert.equal(typedAlong(answer, '\n\t'), 'log(y);\n    return y;');
    assert.equal(typedAlong(answer, '\n\tlog'), '(y);\n    return y;');
    assert.equal(typedAlong(answer, '\n\tlog(y);\n\t'), 'return y;');
    assert.equal(typedAlong(answer, '\n  \t'), 'log(y);\n    return y;');
    // With tab size 2, a tab is two columns: two more are shown, in tabs.
    assert.equal(typedAlong(answer, '\n\t', 2), '\tlog(y);\n    return y;');
  });

  test('less indentation than the model\'s: the difference is shown, in the typed style', () => {
    assert.equal(typedAlong('\n        deeper();', '\n    '), '    deeper();');
    assert.equal(typedAlong('\n\t\tdeeper();', '\n\t'), '\tdeeper();');
    assert.equal(typedAlong('\n      six();', '\n\t'), '  six();');
  });

  test('more indentation than the model\'s, or other text, is another way', () => {
    assert.equal(typedAlong('\n}', '\n    '), undefined);
    assert.equal(typedAlong(answer, '\n    x'), undefined);
    assert.equal(typedAlong(answer, '\n  log'), undefined);
    assert.equal(typedAlong(answer, 'x\n    '), undefined);
  });

  test('a blank line in the answer: its indentation is the user\'s, the rest follows its break', () => {
    assert.equal(typedAlong('\n\n    next();', '\n    '), '\n    next();');
  });

  test('CRLF never reaches here (the document\'s lines are LF-joined), but a CR would not match', () => {
    assert.equal(typedAlong(answer, '\r\n    '), undefined);
  });

  test('streaming: SHORT while the line or its indentation is still arriving', () => {
    assert.equal(typedAlong('', '\n    '), SHORT);
    assert.equal(typedAlong('\n', '\n    '), SHORT);
    assert.equal(typedAlong('\n  ', '\n    '), SHORT);
    assert.equal(typedAlong('\n\t', '\n    '), SHORT);
    assert.equal(typedAlong('\n    lo', '\n    '), 'lo');
    assert.equal(typedAlong('\n    lo', '\n    log('), SHORT);
    assert.equal(typedAlong('\n\tlo', '\n    log('), SHORT);
    assert.equal(typedAlong('\n\tlx', '\n    log('), undefined);
    assert.equal(typedAlong('\n    log(y);', '\n    log(y);\n    '), SHORT);
    assert.equal(remainderAfter('\n    log(y);', '\n    log(y);\n    '), undefined);
  });
});
