// The walkthrough's "Try a completion" step: a sample file to type in.

import * as vscode from 'vscode';

/** A small Python file with the cursor where a completion is likely: the walkthrough's "try it". */
export async function openSample(): Promise<void> {
  const content = 'def fibonacci(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n    ';
  const document = await vscode.workspace.openTextDocument({ language: 'python', content });
  const end = document.positionAt(content.length);
  // Opened with the cursor already at the end: set afterwards, a key typed at once lands at line 1.
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(end, end) });
}
