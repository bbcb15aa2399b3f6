import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildExplainPrompt, EXPLAIN_SYSTEM, ExplainInput, fenceFor, relativeLabel, TEMPLATE_TOKENS,
} from '../../src/explain/explainPrompt';
import { estimateTokens } from '../../src/text/tokenEstimate';

const BIG = 100_000;

function input(over: Partial<ExplainInput> = {}): ExplainInput {
  return {
    languageId: 'python',
    relativePath: 'pkg/util.py',
    selection: 'def double(x):\n    return x * 2',
    startLine: 10,
    endLine: 11,
    before: 'import math',
    after: 'print(double(3))',
    ...over,
  };
}

/** The budget that exactly fits this user message. */
function budgetFor(user: string): number {
  return TEMPLATE_TOKENS + estimateTokens(EXPLAIN_SYSTEM) + estimateTokens(user);
}

describe('buildExplainPrompt', () => {
  test('small input: system + user message, exact text', () => {
    const prompt = buildExplainPrompt(input(), BIG);
    assert.equal(prompt.truncated, false);
    assert.equal(prompt.shownEndLine, 11);
    assert.deepEqual(prompt.messages.map((m) => m.role), ['system', 'user']);
    assert.equal(prompt.messages[0].content, EXPLAIN_SYSTEM);
    assert.equal(prompt.messages[1].content, [
      'Language: python',
      'File: pkg/util.py',
      'Selection: lines 10-11',
      '',
      'Context before the selection (not to explain):',
      '```python',
      'import math',
      '```',
      '',
      'Selected code:',
      '```python',
      'def double(x):',
      '    return x * 2',
      '```',
      '',
      'Context after the selection (not to explain):',
      '```python',
      'print(double(3))',
      '```',
      '',
      'Explain the selected code.',
    ].join('\n'));
  });

  test('the system prompt asks for a concise markdown explanation with language-tagged fences', () => {
    assert.match(EXPLAIN_SYSTEM, /concise/);
    assert.match(EXPLAIN_SYSTEM, /Markdown/);
    assert.match(EXPLAIN_SYSTEM, /what it does/);
    assert.match(EXPLAIN_SYSTEM, /how it works/);
    assert.match(EXPLAIN_SYSTEM, /pitfalls/);
    assert.match(EXPLAIN_SYSTEM, /fenced code blocks tagged with the language/);
    assert.equal(EXPLAIN_SYSTEM, EXPLAIN_SYSTEM.trim());
  });

  test('one line, no context: "line N", no context sections', () => {
    const prompt = buildExplainPrompt(input({ selection: 'x = 1', startLine: 3, endLine: 3, before: '', after: '\n  \n' }), BIG);
    assert.equal(prompt.messages[1].content,
      'Language: python\nFile: pkg/util.py\nSelection: line 3\n\nSelected code:\n```python\nx = 1\n```\n\nExplain the selected code.');
  });

  test('context is dropped before the selection is cut', () => {
    const noContext = 'Language: python\nFile: pkg/util.py\nSelection: lines 10-11\n\n' +
      'Selected code:\n```python\ndef double(x):\n    return x * 2\n```\n\nExplain the selected code.';
    const prompt = buildExplainPrompt(input(), budgetFor(noContext));
    assert.equal(prompt.messages[1].content, noContext);
    assert.equal(prompt.truncated, false);
    assert.equal(prompt.shownEndLine, 11);
  });

  test('truncation keeps the first lines that fit and says so', () => {
    const selection = Array.from({ length: 30 }, (_, i) => `total = total + values[${i}]  # step ${i}`).join('\n');
    const sel = input({ selection, startLine: 100, endLine: 129 });
    const seven = 'Language: python\nFile: pkg/util.py\nSelection: lines 100-129\n\n' +
      'Selected code (truncated to fit the context window, showing lines 100-106 of lines 100-129):\n```python\n' +
      'total = total + values[0]  # step 0\ntotal = total + values[1]  # step 1\ntotal = total + values[2]  # step 2\n' +
      'total = total + values[3]  # step 3\ntotal = total + values[4]  # step 4\ntotal = total + values[5]  # step 5\n' +
      'total = total + values[6]  # step 6\n```\n\n' +
      'Explain the selected code. It was cut after line 106; do not guess what follows.';
    const exact = buildExplainPrompt(sel, budgetFor(seven));
    assert.equal(exact.messages[1].content, seven);
    assert.equal(exact.truncated, true);
    assert.equal(exact.shownEndLine, 106);

    // One token less: line 106 no longer fits.
    const less = buildExplainPrompt(sel, budgetFor(seven) - 1);
    assert.equal(less.shownEndLine, 105);
    assert.match(less.messages[1].content, /showing lines 100-105 of lines 100-129\):\n```python\n/);
    assert.match(less.messages[1].content, /# step 5\n```\n\nExplain the selected code\. It was cut after line 105;/);
    assert.doesNotMatch(less.messages[1].content, /step 6/);
  });

  test('the result never exceeds the budget once truncated', () => {
    const selection = Array.from({ length: 500 }, (_, i) => `let v${i} = compute(${i}, "label ${i}");`).join('\n');
    for (const budget of [300, 700, 2000]) {
      const prompt = buildExplainPrompt(input({ languageId: 'javascript', selection, startLine: 1, endLine: 500 }), budget);
      assert.equal(prompt.truncated, true);
      assert.ok(budgetFor(prompt.messages[1].content) <= budget, `budget ${budget}`);
      // Maximal: one more line would not have fitted.
      const shown = prompt.shownEndLine;
      const more = buildExplainPrompt(input({ languageId: 'javascript', selection, startLine: 1, endLine: 500 }),
        budgetFor(prompt.messages[1].content.replace(`lines 1-${shown} of`, `lines 1-${shown + 1} of`)
          .replace(`after line ${shown};`, `after line ${shown + 1};`)
          .replace('\n```\n\nExplain', `\nlet v${shown} = compute(${shown}, "label ${shown}");\n\`\`\`\n\nExplain`)) - 1);
      assert.equal(more.shownEndLine, shown, `budget ${budget}: maximal`);
    }
  });

  test('a first line too long for the budget is cut inside the line', () => {
    const line = 'var a=' + Array.from({ length: 400 }, (_, i) => `f${i}(x)`).join('+') + ';';
    const prompt = buildExplainPrompt(input({ languageId: 'javascript', selection: line + '\nnext();', startLine: 1, endLine: 2 }), 300);
    const user = prompt.messages[1].content;
    assert.equal(prompt.truncated, true);
    assert.equal(prompt.shownEndLine, 1);
    assert.match(user, /showing the start of line 1 of lines 1-2\):\n```javascript\nvar a=f0\(x\)/);
    assert.match(user, /It was cut inside line 1; do not guess what follows\.$/);
    assert.ok(budgetFor(user) <= 300);
    // Maximal: one more character of the line would not have fitted.
    const shown = /```javascript\n(.*)\n```/.exec(user)![1];
    assert.ok(line.startsWith(shown) && shown.length > 20);
    assert.ok(budgetFor(user.replace(shown, line.slice(0, shown.length + 1))) > 300, 'maximal');
  });

  test('code containing ``` and ```` cannot close its fence', () => {
    const selection = 'doc = """\n```js\nalert(1)\n```\n````\n"""';
    const prompt = buildExplainPrompt(input({ selection, before: 'x = "``"', after: '' }), BIG);
    assert.equal(prompt.messages[1].content, [
      'Language: python',
      'File: pkg/util.py',
      'Selection: lines 10-11',
      '',
      'Context before the selection (not to explain):',
      '```python',
      'x = "``"',
      '```',
      '',
      'Selected code:',
      '`````python',
      'doc = """',
      '```js',
      'alert(1)',
      '```',
      '````',
      '"""',
      '`````',
      '',
      'Explain the selected code.',
    ].join('\n'));
    assert.equal(fenceFor('no ticks'), '```');
    assert.equal(fenceFor('a ``````` b'), '````````');
  });

  test('CRLF and lone CR become LF everywhere; trailing line breaks are dropped', () => {
    const prompt = buildExplainPrompt(input({
      selection: 'def double(x):\r\n    return x * 2\r\n',
      before: 'import math\r\n\r\n',
      after: '\r\nprint(double(3))\r',
    }), BIG);
    const user = prompt.messages[1].content;
    assert.ok(!user.includes('\r'));
    assert.match(user, /```python\nimport math\n```/);
    assert.match(user, /```python\ndef double\(x\):\n {4}return x \* 2\n```/);
    assert.match(user, /```python\n\nprint\(double\(3\)\)\n```/);
  });

  test('an absolute path is shown relative, never absolute', () => {
    for (const [path, label] of [
      ['/home/me/project/src/main.py', 'home/me/project/src/main.py'],
      ['C:\\Users\\me\\project\\main.py', 'Users/me/project/main.py'],
      ['c:/work/main.py', 'work/main.py'],
      ['~/project/main.py', 'project/main.py'],
      ['\\\\server\\share\\main.py', 'server/share/main.py'],
      ['file:///etc/main.py', 'etc/main.py'],
      ['/C:/x/main.py', 'x/main.py'],
    ]) {
      const user = buildExplainPrompt(input({ relativePath: path }), BIG).messages[1].content;
      assert.equal(user.split('\n')[1], `File: ${label}`, path);
    }
  });

  test('hostile language ids cannot break the fence info string', () => {
    const user = buildExplainPrompt(input({ languageId: 'py`thon\n```' }), BIG).messages[1].content;
    assert.match(user, /^Language: python\n/);
    assert.match(user, /\n```python\ndef double/);
  });
});

describe('relativeLabel', () => {
  test('strips roots and normalises separators', () => {
    assert.equal(relativeLabel('src/a.ts'), 'src/a.ts');
    assert.equal(relativeLabel('src\\sub\\a.ts'), 'src/sub/a.ts');
    assert.equal(relativeLabel('/a.ts'), 'a.ts');
    assert.equal(relativeLabel('///a.ts'), 'a.ts');
    assert.equal(relativeLabel('D:\\a.ts'), 'a.ts');
    assert.equal(relativeLabel('~'), 'untitled');
    assert.equal(relativeLabel('~user/a.ts'), 'a.ts');
    assert.equal(relativeLabel('./src//a.ts'), 'src/a.ts');
    assert.equal(relativeLabel('Untitled-1'), 'Untitled-1');
    assert.equal(relativeLabel(''), 'untitled');
    assert.equal(relativeLabel('/'), 'untitled');
  });

  test('control characters (a newline could forge prompt lines) are removed', () => {
    assert.equal(relativeLabel('src/a\nSelection: line 1.ts'), 'src/aSelection: line 1.ts');
    assert.equal(relativeLabel('a\u0000b\u007f.ts'), 'ab.ts');
  });
});
