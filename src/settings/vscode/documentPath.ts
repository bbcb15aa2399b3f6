// The path `infill.exclude` is matched against, for a document VS Code has open.

import * as vscode from 'vscode';
import { untitledMatchPath } from '../excludePolicy';
import { notebookCellOf } from '../../util/vscode/notebookCell';

/**
 * The document's path relative to its workspace folder (the absolute path outside a folder, which
 * still matches by file name). An untitled buffer is matched by the path it was opened with, if any
 * (`code .env` for a file not yet on disk: see untitledMatchPath); a new buffer (`Untitled-1`)
 * gives undefined, it has no file name to match.
 * A notebook cell is matched as its notebook: its own URI (scheme `vscode-notebook-cell`) is in no
 * workspace folder, so `asRelativePath` would give the absolute path, and a pattern with a folder
 * (`private/*.ipynb`) would never match it. `cell`: the document's cell, when the caller has
 * looked it up already.
 */
export function workspacePath(document: vscode.TextDocument,
  cell: vscode.NotebookCell | undefined = notebookCellOf(document)): string | undefined {
  const notebook = cell?.notebook;
  if (notebook) return notebook.isUntitled ? untitledPath(notebook.uri) : vscode.workspace.asRelativePath(notebook.uri, false);
  if (document.isUntitled) return untitledPath(document.uri);
  return vscode.workspace.asRelativePath(document.uri, false);
}

function untitledPath(uri: vscode.Uri): string | undefined {
  return untitledMatchPath(uri.path, (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.path));
}
