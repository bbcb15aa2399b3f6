import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toDocumentEol } from '../../src/completion/insertion';

test('LF documents get the text unchanged', () => {
  assert.equal(toDocumentEol('a\nb\n', '\n'), 'a\nb\n');
  assert.equal(toDocumentEol('a\r\nb', '\n'), 'a\r\nb');
});

test('CRLF documents get every LF as CRLF', () => {
  assert.equal(toDocumentEol('if (x) {\n  a();\n}', '\r\n'), 'if (x) {\r\n  a();\r\n}');
  assert.equal(toDocumentEol('\n\n', '\r\n'), '\r\n\r\n');
  assert.equal(toDocumentEol('\nx', '\r\n'), '\r\nx');
});

test('existing CRLF is not doubled, a lone CR is left alone', () => {
  assert.equal(toDocumentEol('a\r\nb\nc', '\r\n'), 'a\r\nb\r\nc');
  assert.equal(toDocumentEol('a\rb', '\r\n'), 'a\rb');
});

test('text without line breaks is unchanged', () => {
  assert.equal(toDocumentEol('', '\r\n'), '');
  assert.equal(toDocumentEol('foo(bar) 😀', '\r\n'), 'foo(bar) 😀');
});
