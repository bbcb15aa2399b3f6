// The path `infill.exclude` is matched against, for a document VS Code has open.

import * as vscode from 'vscode';

/**
 * The document's path relative to its workspace folder (the absolute path outside a folder, which
 * still matches by file name); undefined for an untitled buffer, which has no file name to match.
 * A notebook cell's URI carries its notebook's path, so cells are matched as their notebook.
 */
export function workspacePath(document: vscode.TextDocument): string | undefined {
  if (document.isUntitled) return undefined;
  return vscode.workspace.asRelativePath(document.uri, false);
}
