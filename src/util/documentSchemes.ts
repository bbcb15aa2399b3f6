// The documents Infill reads — for completions and for Explain alike: files on disk or remote,
// untitled buffers, notebook cells. Not git's history (`git:`), the Output panel (`output:`) or
// the user's settings.json (`vscode-userdata:`).

export const DOCUMENT_SCHEMES: readonly string[] = Object.freeze(['file', 'untitled', 'vscode-notebook-cell', 'vscode-remote']);

export function isDocumentScheme(scheme: string): boolean {
  return DOCUMENT_SCHEMES.includes(scheme);
}
