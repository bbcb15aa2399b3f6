// Context blocks are comments in the file's own language, byte-stable, and no text inside can end
// the comment early.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commentBlock, commentSyntaxOf } from '../../src/crossFile/commentSyntax';

describe('commentSyntaxOf', () => {
  it('gives // to the C family, Go, Rust, the JVM languages and JSON with comments', () => {
    for (const id of ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'java', 'c', 'cpp', 'csharp',
      'go', 'rust', 'swift', 'kotlin', 'scala', 'dart', 'php', 'objective-c', 'groovy', 'fsharp', 'jsonc', 'scss',
      'less']) {
      assert.deepEqual(commentSyntaxOf(id), { line: '//' }, id);
    }
  });

  it('gives # to Python, Ruby, shell and configuration languages', () => {
    for (const id of ['python', 'ruby', 'shellscript', 'perl', 'r', 'yaml', 'toml', 'makefile', 'dockerfile',
      'powershell', 'elixir', 'julia', 'coffeescript']) {
      assert.deepEqual(commentSyntaxOf(id), { line: '#' }, id);
    }
  });

  it('gives --, ; and % where those are the comment', () => {
    for (const id of ['sql', 'lua', 'haskell']) assert.deepEqual(commentSyntaxOf(id), { line: '--' }, id);
    assert.deepEqual(commentSyntaxOf('clojure'), { line: ';' });
    for (const id of ['latex', 'erlang', 'matlab']) assert.deepEqual(commentSyntaxOf(id), { line: '%' }, id);
  });

  it('gives block comments to CSS and the markup languages (markdown: an HTML comment, which it never shows)', () => {
    assert.deepEqual(commentSyntaxOf('css'), { open: '/*', close: '*/' });
    for (const id of ['html', 'xml', 'markdown']) assert.deepEqual(commentSyntaxOf(id), { open: '<!--', close: '-->' }, id);
  });

  it('knows nothing of unknown ids, plain text and JSON (which has no comments); ids are case-sensitive', () => {
    for (const id of ['plaintext', 'json', 'brainfuck', '', 'TypeScript', 'Python']) {
      assert.equal(commentSyntaxOf(id), undefined, id);
    }
  });
});

describe('commentBlock', () => {
  it('line syntax: the header, then each line after the marker and a space; an empty line is the marker alone', () => {
    assert.equal(commentBlock({ line: '//' }, 'src/b.ts', ['export function add(a: number, b: number): number;', '', '  x;']),
      '// Path: src/b.ts\n// export function add(a: number, b: number): number;\n//\n//   x;\n');
    assert.equal(commentBlock({ line: '#' }, 'pkg/m.py', ['def f(x):', '    return x']),
      '# Path: pkg/m.py\n# def f(x):\n#     return x\n');
    assert.equal(commentBlock({ line: '--' }, 'q.sql', ['SELECT 1;']), '-- Path: q.sql\n-- SELECT 1;\n');
  });

  it('with no lines is the header alone', () => {
    assert.equal(commentBlock({ line: '//' }, 'a.ts', []), '// Path: a.ts\n');
    assert.equal(commentBlock({ open: '/*', close: '*/' }, 'a.css', []), '/* Path: a.css\n*/\n');
  });

  it('block syntax: one comment, lines verbatim, the closer on a line of its own', () => {
    assert.equal(commentBlock({ open: '/*', close: '*/' }, 'src/a.css', ['body {', '  color: red;', '}']),
      '/* Path: src/a.css\nbody {\n  color: red;\n}\n*/\n');
    assert.equal(commentBlock({ open: '<!--', close: '-->' }, 'index.html', ['<p>hi</p>', '']),
      '<!-- Path: index.html\n<p>hi</p>\n\n-->\n');
  });

  it('block syntax: every closer inside the path and the lines is broken', () => {
    assert.equal(commentBlock({ open: '/*', close: '*/' }, 'a*/b.css', ['/* x */ y */', '*/*/']),
      '/* Path: a* /b.css\n/* x * / y * /\n* /* /\n*/\n');
    assert.equal(commentBlock({ open: '<!--', close: '-->' }, 'a.html', ['<!-- c -->', '--->', '-->>']),
      '<!-- Path: a.html\n<!-- c -- >\n--- >\n-- >>\n-->\n');
  });

  it('a broken closer leaves no closer anywhere in the body', () => {
    for (const [syntax, evil] of [[{ open: '/*', close: '*/' }, '**//*/**/'], [{ open: '<!--', close: '-->' }, '--->-->--->>']] as const) {
      const block = commentBlock(syntax, 'p', [evil]);
      assert.equal(block.indexOf(syntax.close), block.length - syntax.close.length - 1, block);
    }
  });

  it('a line break inside the path or a line cannot end a line comment', () => {
    assert.equal(commentBlock({ line: '#' }, 'a\nb.py', ['x\ry', 'z\r\n']), '# Path: a b.py\n# x y\n# z  \n');
  });

  it('is the same bytes every time (the prompt cache)', () => {
    const lines = ['const a = 1;', '', 'export { a };'];
    assert.equal(commentBlock({ line: '//' }, 'x.ts', lines), commentBlock({ line: '//' }, 'x.ts', [...lines]));
  });
});
