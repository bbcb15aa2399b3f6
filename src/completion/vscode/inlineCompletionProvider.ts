// The inline completion provider: a thin adapter between VS Code and CompletionEngine.
// It turns the document, position and cancellation token into a plain request, and the engine's
// suggestions back into items inserted exactly at the cursor.

import * as vscode from 'vscode';
import type { CompletionEngine } from '../completionEngine';
import type { LineSource } from '../contextWindow';
import { toDocumentEol } from '../insertion';
import type { Settings } from '../../settings/settings';
import { workspacePath } from '../../settings/vscode/documentPath';

/** Where completions are offered: files on disk or remote, untitled buffers, notebook cells. */
export const DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file' },
  { scheme: 'untitled' },
  { scheme: 'vscode-notebook-cell' },
  { scheme: 'vscode-remote' },
];

export class InfillInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  constructor(private readonly engine: CompletionEngine, private readonly settings: () => Settings) {}

  async provideInlineCompletionItems(document: vscode.TextDocument, position: vscode.Position,
    context: vscode.InlineCompletionContext, token: vscode.CancellationToken): Promise<vscode.InlineCompletionItem[]> {
    const settings = this.settings();
    if (!settings.completionsEnabled || settings.disabledLanguages.includes(document.languageId)) return [];
    // While the suggest widget is open an inline item must extend its selection; we do not try.
    if (context.selectedCompletionInfo) return [];

    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      if (token.isCancellationRequested) return [];
      // Lines are read one at a time through lineAt: the engine reads only the window it needs.
      const lines: LineSource = { lineCount: document.lineCount, lineAt: (i) => document.lineAt(i).text };
      const version = document.version;
      const isCurrent = () => !document.isClosed && document.version === version;
      const texts = await this.engine.complete({
        documentKey: document.uri.toString(),
        lines,
        cursor: { line: position.line, character: position.character },
        explicit: context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke,
        relativePath: workspacePath(document),
        isCurrent,
      }, controller.signal);
      // VS Code drops an answer for an older version too; checked here so it is never even offered.
      if (token.isCancellationRequested || !isCurrent()) return [];
      const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
      // An explicit empty range at the cursor: the default range would replace the rest of the line.
      const range = new vscode.Range(position, position);
      return texts.map((text) => new vscode.InlineCompletionItem(toDocumentEol(text, eol), range));
    } finally {
      subscription.dispose();
    }
  }
}
