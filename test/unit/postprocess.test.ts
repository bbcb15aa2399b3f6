import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanModelText, postprocess, surroundingsOf, type Surroundings } from '../../src/completion/postprocess';

/** Surroundings of a document written with a █ cursor marker. */
function at(doc: string): Surroundings {
  const cursor = doc.indexOf('█');
  assert.ok(cursor !== -1 && doc.indexOf('█', cursor + 1) === -1, 'exactly one █');
  const prefix = doc.slice(0, cursor);
  const suffix = doc.slice(cursor + 1);
  const linePrefix = prefix.slice(prefix.lastIndexOf('\n') + 1);
  const eol = suffix.indexOf('\n');
  const lineSuffix = eol === -1 ? suffix : suffix.slice(0, eol);
  return surroundingsOf(prefix, suffix, linePrefix, lineSuffix);
}

/** What is shown for `completion` at the █ of `doc`. */
const shown = (doc: string, completion: string) => postprocess(completion, at(doc));

describe('cleanModelText', () => {
  test('strips <EOT> and the space before it', () => {
    assert.deepEqual(cleanModelText('return a + b; <EOT>'), { text: 'return a + b;', ended: true });
    assert.deepEqual(cleanModelText('x<EOT>'), { text: 'x', ended: true });
    assert.deepEqual(cleanModelText(' <EOT>'), { text: '', ended: true });
    assert.deepEqual(cleanModelText('a \t <EOT> trailing junk'), { text: 'a', ended: true });
  });

  test('keeps a leading space (it belongs to the insertion)', () => {
    assert.deepEqual(cleanModelText(' bar()'), { text: ' bar()', ended: false });
    assert.deepEqual(cleanModelText(' bar() <EOT>'), { text: ' bar()', ended: true });
  });

  test('CRLF and a lone CR from the model become LF; a CR at the end waits for its LF', () => {
    assert.deepEqual(cleanModelText('a\r\nb\rc'), { text: 'a\nb\nc', ended: false });
    assert.deepEqual(cleanModelText('a\r'), { text: 'a', ended: false });
    assert.deepEqual(cleanModelText('a\r\n'), { text: 'a\n', ended: false });
    assert.deepEqual(cleanModelText('1\r2 <EOT>'), { text: '1\n2', ended: true });
  });

  test('keeps newlines before <EOT> (only spaces and tabs are stripped)', () => {
    assert.deepEqual(cleanModelText('a();\n <EOT>'), { text: 'a();\n', ended: true });
  });

  for (const marker of ['<PRE>', '<SUF>', '<MID>', '<EOD>']) {
    test(`cuts at an echoed ${marker}`, () => {
      assert.deepEqual(cleanModelText(`foo(1) ${marker} bar`), { text: 'foo(1)', ended: true });
      assert.deepEqual(cleanModelText(`${marker}x`), { text: '', ended: true });
    });
  }

  test('cuts at the first of several markers', () => {
    assert.deepEqual(cleanModelText('a <SUF> b <EOT>'), { text: 'a', ended: true });
    assert.deepEqual(cleanModelText('a <EOT> b <SUF>'), { text: 'a', ended: true });
  });

  test('holds back a trailing partial marker while streaming', () => {
    assert.deepEqual(cleanModelText('done <EO'), { text: 'done ', ended: false });
    assert.deepEqual(cleanModelText('done <'), { text: 'done ', ended: false });
    assert.deepEqual(cleanModelText('done <E'), { text: 'done ', ended: false });
    assert.deepEqual(cleanModelText('done <EOT'), { text: 'done ', ended: false });
    assert.deepEqual(cleanModelText('x <SU'), { text: 'x ', ended: false });
    assert.deepEqual(cleanModelText('<MI'), { text: '', ended: false });
  });

  test('does not hold back a "<" that cannot start a marker', () => {
    assert.deepEqual(cleanModelText('if (a < b'), { text: 'if (a < b', ended: false });
    assert.deepEqual(cleanModelText('x <= 1'), { text: 'x <= 1', ended: false });
    assert.deepEqual(cleanModelText('List<T'), { text: 'List<T', ended: false });
    assert.deepEqual(cleanModelText('<EOX'), { text: '<EOX', ended: false });
    assert.deepEqual(cleanModelText('<div>'), { text: '<div>', ended: false });
    assert.deepEqual(cleanModelText(''), { text: '', ended: false });
  });
});

describe('surroundingsOf', () => {
  test('the line above and the next lines, from the window ends', () => {
    const around = at('a\nbefore\n  cur█sor\nn1\n\nn3\nn4');
    assert.deepEqual(around, { linePrefix: '  cur', lineSuffix: 'sor', previousLine: 'before', nextLines: ['n1', '', 'n3'] });
  });

  test('at the top and bottom of the window', () => {
    assert.deepEqual(at('█x'), { linePrefix: '', lineSuffix: 'x', previousLine: '', nextLines: [] });
    assert.deepEqual(at('\n█'), { linePrefix: '', lineSuffix: '', previousLine: '', nextLines: [] });
    assert.deepEqual(at('p\n█\n'), { linePrefix: '', lineSuffix: '', previousLine: 'p', nextLines: [''] });
    assert.deepEqual(at('\n\n█'), { linePrefix: '', lineSuffix: '', previousLine: '', nextLines: [] });
  });
});

describe('postprocess: what is already after the cursor', () => {
  test('drops closers the line already has', () => {
    assert.equal(shown('foo(█)', 'a, b)'), 'a, b');
    assert.equal(shown('print(len(█))', 'xs))'), 'xs');
    assert.equal(shown('xs = [█]', '1, 2, 3]'), '1, 2, 3');
    assert.equal(shown('call(█);', 'a);'), 'a');
    assert.equal(shown('print("█")', 'hello")'), 'hello');
    assert.equal(shown("say('█')", "hi')"), 'hi');
    assert.equal(shown('total = sum(█) + 1', 'values)'), 'values');
    assert.equal(shown('f(█)', 'g(x))'), 'g(x)');
  });

  test('drops the whole rest of the line when the completion repeats it', () => {
    assert.equal(shown('if (█) {', 'a > b) {'), 'a > b');
    assert.equal(shown('const x = █;', 'compute();'), 'compute()');
    assert.equal(shown('foo(█, 2)', 'a, 2)'), 'a');
  });

  test('keeps closers that the completion opened itself', () => {
    assert.equal(shown('console.log(█)', 'foo.bar()'), 'foo.bar()');
    assert.equal(shown('foo(█)', 'g(1, 2)'), 'g(1, 2)');
    assert.equal(shown('foo(█, 2)', 'g(1, 2)'), 'g(1, 2)');
    assert.equal(shown('xs = [█]', 'f(a[0])'), 'f(a[0])');
    assert.equal(shown('foo(█)', '"a")'), '"a"');
    assert.equal(shown('print(█)', 'f("a")'), 'f("a")');
    assert.equal(shown('x = (█)', '{ a: [1] }'), '{ a: [1] }');
  });

  test('a string closed by the completion keeps its quote; the one already there is dropped', () => {
    assert.equal(shown('s = "█"', 'a" + "b"'), 'a" + "b');
    assert.equal(shown('s = f(█)', '"x")'), '"x"');
    assert.equal(shown('print("█")', 'say \\"hi\\"")'), 'say \\"hi\\"');
    assert.equal(shown('print("█")', "don't\")"), "don't");
  });

  test('text after the cursor that the completion does not repeat is left alone', () => {
    assert.equal(shown('foo(█)', 'a, b'), 'a, b');
    assert.equal(shown('x = █ + 1', 'y'), 'y');
  });

  test('multi-line: trailing lines already present after the cursor are dropped', () => {
    assert.equal(shown('function f() {█\n}\n', '\n  return 1;\n}'), '\n  return 1;');
    assert.equal(shown('if (x) {█\n  a();\n}', '\n  b();\n  a();\n}'), '\n  b();');
  });

  test('multi-line: a closer for the block the completion opened is kept when the next "}" closes an outer block', () => {
    // function f() {
    //     if (x) {█
    // }
    assert.equal(shown('function f() {\n    if (x) {█\n}\n', '\n        a();\n    }'), '\n        a();\n    }');
  });
});

describe('postprocess: cleaning up', () => {
  test('drops empty and whitespace-only suggestions', () => {
    assert.equal(shown('x = █', ''), undefined);
    assert.equal(shown('x = █', '   '), undefined);
    assert.equal(shown('x = █', '\n\n  \n'), undefined);
    assert.equal(shown('foo(█)', ')'), undefined);
  });

  test('trims trailing whitespace on every line and at the end', () => {
    assert.equal(shown('x = █', 'compute()   '), 'compute()');
    assert.equal(shown('if (x) {█\n}', '\n  a();   \n  b();\t\n\n'), '\n  a();\n  b();');
  });

  test('keeps the leading space', () => {
    assert.equal(shown('x =█', ' 1'), ' 1');
    assert.equal(shown('return█', ' a + b;'), ' a + b;');
    assert.equal(shown('if (x) {█\n}', '\n  a();'), '\n  a();');
  });
});

describe('postprocess: repeating neighbours', () => {
  test('drops a suggestion that repeats the line above verbatim', () => {
    assert.equal(shown('const total = a + b;\n█\nreturn total;', 'const total = a + b;'), undefined);
    assert.equal(shown('  total += x;\n  total█\n', ' += x;'), undefined);
  });

  test('drops a suggestion that repeats the line below verbatim', () => {
    assert.equal(shown('let a = 1;\n█\nreturn total;', 'return total;'), undefined);
    assert.equal(shown('let a = 1;\n    █\n\n    return total;', 'return total;'), undefined);
  });

  test('drops a multi-line suggestion that is just the next lines again', () => {
    assert.equal(shown('█\n  a();\n  b();\n', 'a();\n  b();'), undefined);
  });

  test('keeps short repeated lines such as "}" or "end"', () => {
    assert.equal(shown('    }\n  █\n', '}'), '}');
    assert.equal(shown('  end\n█\nend', 'end'), 'end');
    assert.equal(shown('  );\n  █\n', ');'), ');');
  });

  test('keeps a line that only resembles its neighbours', () => {
    assert.equal(shown('total += a;\n█\n', 'total += b;'), 'total += b;');
  });
});
