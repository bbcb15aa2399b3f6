// Cross-file context goes into the prefix as comments in the file's own language (Code Llama has
// no repository-level tokens), each block headed by the workspace-relative path of its file.

export type CommentSyntax = { readonly line: string } | { readonly open: string; readonly close: string };

const SLASHES: CommentSyntax = { line: '//' };
const HASH: CommentSyntax = { line: '#' };
const DASHES: CommentSyntax = { line: '--' };
const SEMICOLON: CommentSyntax = { line: ';' };
const PERCENT: CommentSyntax = { line: '%' };
const C_BLOCK: CommentSyntax = { open: '/*', close: '*/' };
const MARKUP: CommentSyntax = { open: '<!--', close: '-->' };

function byLanguage(syntax: CommentSyntax, ids: readonly string[]): [string, CommentSyntax][] {
  return ids.map((id) => [id, syntax]);
}

/** VS Code language ids (built-in and common extensions') → their usual comment. */
const SYNTAX_BY_LANGUAGE: ReadonlyMap<string, CommentSyntax> = new Map([
  ...byLanguage(SLASHES, ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'java', 'c', 'cpp',
    'csharp', 'go', 'rust', 'swift', 'kotlin', 'scala', 'dart', 'php', 'objective-c', 'objective-cpp', 'groovy',
    'fsharp', 'jsonc', 'scss', 'less', 'vue', 'svelte', 'solidity', 'zig', 'proto', 'hlsl', 'glsl', 'cuda-cpp']),
  // Vue and Svelte files start in markup, but the completions that need context are in their scripts.
  ...byLanguage(HASH, ['python', 'ruby', 'shellscript', 'perl', 'r', 'yaml', 'toml', 'makefile', 'dockerfile',
    'powershell', 'elixir', 'julia', 'coffeescript', 'nim', 'graphql', 'cmake', 'tcl', 'nix', 'terraform']),
  ...byLanguage(DASHES, ['sql', 'lua', 'haskell', 'elm', 'purescript', 'ada']),
  ...byLanguage(SEMICOLON, ['clojure', 'scheme', 'racket', 'lisp', 'commonlisp', 'ini']),
  ...byLanguage(PERCENT, ['latex', 'tex', 'bibtex', 'erlang', 'matlab', 'octave', 'prolog']),
  ...byLanguage(C_BLOCK, ['css']),
  // Markdown shows HTML comments nowhere, so the block is invisible there too.
  ...byLanguage(MARKUP, ['html', 'xml', 'xsl', 'svg', 'markdown']),
]);

/** The comment syntax of a VS Code language id; undefined where none is known (then no context is added). */
export function commentSyntaxOf(languageId: string): CommentSyntax | undefined {
  return SYNTAX_BY_LANGUAGE.get(languageId);
}

/** A line break inside the text would end a line comment early: the path and lines stay one line each. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}

/** `*​/` → `* /`, `-->` → `-- >`: a space before the closer's last character, wherever it occurs. */
function breakCloser(text: string, close: string): string {
  return text.split(close).join(`${close.slice(0, -1)} ${close.slice(-1)}`);
}

/** The block's first line(s), up to and including the header; with commentLine and commentTail it is commentBlock. */
export function commentHead(syntax: CommentSyntax, path: string): string {
  const header = `Path: ${oneLine(path)}`;
  return 'line' in syntax ? `${syntax.line} ${header}\n` : `${syntax.open} ${breakCloser(header, syntax.close)}\n`;
}

/** One of the block's lines, with its "\n". */
export function commentLine(syntax: CommentSyntax, line: string): string {
  const text = oneLine(line);
  if (!('line' in syntax)) return `${breakCloser(text, syntax.close)}\n`;
  return text === '' ? `${syntax.line}\n` : `${syntax.line} ${text}\n`;
}

/** What ends the block after its lines: the closer on a line of its own, or nothing for line comments. */
export function commentTail(syntax: CommentSyntax): string {
  return 'line' in syntax ? '' : `${syntax.close}\n`;
}

/**
 * `lines` of the file at `path` as one comment block: a header line `Path: {path}`, then each line.
 * Line syntax: every line starts with the marker and a space (an empty line: the marker alone).
 * Block syntax: one comment around header and lines, with every closer inside the text broken so
 * the text cannot end the comment early. Always ends with "\n".
 */
export function commentBlock(syntax: CommentSyntax, path: string, lines: readonly string[]): string {
  let text = commentHead(syntax, path);
  for (const line of lines) text += commentLine(syntax, line);
  return text + commentTail(syntax);
}
