// The one LineSource over a VS Code document (an editor's or a notebook cell's): lines are read
// through lineAt as they are needed.

import type * as vscode from 'vscode';
import type { LineSource } from '../lineSource';

export function documentLines(document: vscode.TextDocument): LineSource {
  return { lineCount: document.lineCount, lineAt: (i) => document.lineAt(i).text };
}
