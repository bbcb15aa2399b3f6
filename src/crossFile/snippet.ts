// What cross-file context is made of: snippets of other files, and the files they come from.
// Pure: the VS Code glue (vscode/) and the benchmark supply the files; crossFileContext.ts decides.

/** Where a snippet comes from; also the order of priority when the budget is short. */
export type SnippetKind = 'definition' | 'import' | 'similar';

export interface Snippet {
  readonly kind: SnippetKind;
  /** The file's path relative to its workspace folder (forward slashes): the block's header. */
  readonly path: string;
  /** First line of the snippet in its file (0-based): with `path`, it identifies the snippet. */
  readonly line: number;
  /** The snippet's lines, without line breaks. */
  readonly lines: readonly string[];
}

/** Another file that may give context: an open editor, a recently edited file, a definition's file. */
export interface ContextFile {
  /** Identifies the file (its URI). */
  readonly key: string;
  readonly languageId: string;
  /** Relative to its workspace folder; undefined outside every workspace folder. */
  readonly path: string | undefined;
  /** Whether the file matches `infill.exclude` (its folder's patterns). */
  readonly excluded: boolean;
  /** The file's lines (read when needed; the glue bounds their size). */
  lines(): readonly string[];
}

/**
 * Whether `file` may give context to a document of `languageId` keyed `documentKey`: same language,
 * inside a workspace folder, not excluded, not the document itself (its own text is the window).
 */
export function mayGiveContext(file: ContextFile, documentKey: string,
  languageId: string): file is ContextFile & { readonly path: string } {
  return file.key !== documentKey && file.path !== undefined && !file.excluded &&
    languageFamily(file.languageId) === languageFamily(languageId);
}

/** Whether `outer` shows every line of `inner`: the same file, and `inner`'s lines within `outer`'s. */
export function covers(outer: Snippet, inner: Snippet): boolean {
  return outer.path === inner.path && outer.line <= inner.line &&
    inner.line + inner.lines.length <= outer.line + outer.lines.length;
}

/** TypeScript with JSX is TypeScript, JavaScript with JSX JavaScript: they import each other freely. */
export function languageFamily(languageId: string): string {
  return languageId.replace(/react$/, '');
}
