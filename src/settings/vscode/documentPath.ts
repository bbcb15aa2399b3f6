// The path `infill.exclude` is matched against, for a document VS Code has open.

import * as vscode from 'vscode';
import { holdingFolder, untitledMatchPath } from '../excludePolicy';
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

/**
 * The workspace folder whose settings apply to the document (its `infill.exclude` additions in a
 * multi-root workspace): the folder holding the file, the notebook of a cell, or the path an
 * untitled buffer was opened with; undefined outside every folder.
 */
export function documentFolder(document: vscode.TextDocument,
  cell: vscode.NotebookCell | undefined = notebookCellOf(document)): vscode.Uri | undefined {
  const uri = cell?.notebook.uri ?? document.uri;
  if (uri.scheme !== 'untitled') return vscode.workspace.getWorkspaceFolder(uri)?.uri;
  const folders = vscode.workspace.workspaceFolders ?? [];
  const index = uri.path.startsWith('/') ? holdingFolder(uri.path, folders.map((f) => f.uri.path)) : undefined;
  return index === undefined ? undefined : folders[index].uri;
}
