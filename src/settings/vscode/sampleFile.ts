// The walkthrough's "Try a completion" step: a sample file to type in.

import * as vscode from 'vscode';

/** A small Python file with the cursor where a completion is likely: the walkthrough's "try it". */
export async function openSample(): Promise<void> {
  const content = 'def fibonacci(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n    ';
  const document = await vscode.workspace.openTextDocument({ language: 'python', content });
  const editor = await vscode.window.showTextDocument(document);
  const end = document.positionAt(content.length);
  editor.selection = new vscode.Selection(end, end);
}
