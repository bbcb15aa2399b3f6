// Cross-file context goes into the prefix as comments in the file's own language (Code Llama has
// no repository-level tokens), each block headed by the workspace-relative path of its file.

export type CommentSyntax = { readonly line: string } | { readonly open: string; readonly close: string };

/** The comment syntax of a VS Code language id; undefined where none is known (then no context is added). */
export function commentSyntaxOf(languageId: string): CommentSyntax | undefined {
  void languageId;
  throw new Error('todo');
}

/**
 * `lines` of the file at `path` as one comment block: a header line `Path: {path}`, then each line.
 * Line syntax: every line starts with the marker and a space (an empty line: the marker alone).
 * Block syntax: one comment around header and lines, with every closer inside the text broken so
 * the text cannot end the comment early. Always ends with "\n".
 */
export function commentBlock(syntax: CommentSyntax, path: string, lines: readonly string[]): string {
  void syntax; void path; void lines;
  throw new Error('todo');
}
