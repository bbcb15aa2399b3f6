// Which notebook cell a text document is, for the documents VS Code opens for notebook cells.

import * as vscode from 'vscode';

/**
 * The notebook cell whose text `document` is; undefined for any other document. A cell's URI has
 * the `vscode-notebook-cell` scheme and its notebook's path (plus a `#cell` fragment), so only
 * notebooks with that path are searched, the active one first (where the user types).
 */
export function notebookCellOf(document: vscode.TextDocument): vscode.NotebookCell | undefined {
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  const key = document.uri.toString();
  const isThis = (cell: vscode.NotebookCell) => cell.document.uri.toString() === key;
  const editor = vscode.window.activeNotebookEditor;
  if (editor && editor.notebook.uri.path === document.uri.path) {
    const index = editor.selection?.start;
    if (index !== undefined && index < editor.notebook.cellCount && isThis(editor.notebook.cellAt(index))) {
      return editor.notebook.cellAt(index);
    }
  }
  for (const notebook of vscode.workspace.notebookDocuments) {
    if (notebook.uri.path !== document.uri.path) continue;
    const cell = notebook.getCells().find(isThis);
    if (cell) return cell;
  }
  return undefined;
}
