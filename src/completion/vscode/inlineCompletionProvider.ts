// The inline completion provider: a thin adapter between VS Code and CompletionEngine.
// It turns the document, position and cancellation token into a plain request, and the engine's
// suggestions back into items inserted exactly at the cursor.

import * as vscode from 'vscode';
import { promptBudget, type CompletionEngine } from '../completionEngine';
import type { Cursor } from '../contextWindow';
import { withPrecedingCells } from '../notebookContext';
import { toDocumentEol } from '../insertion';
import type { Settings } from '../../settings/settings';
import { documentFolder, workspacePath } from '../../settings/vscode/documentPath';
import type { LineSource } from '../../text/lineSource';
import { documentLines } from '../../text/vscode/documentLines';
import { notebookCellOf } from '../../util/vscode/notebookCell';
import { DOCUMENT_SCHEMES } from '../../util/documentSchemes';

/** Where completions are offered: files on disk or remote, untitled buffers, notebook cells (Explain too). */
export const DOCUMENT_SELECTOR: vscode.DocumentSelector = DOCUMENT_SCHEMES.map((scheme) => ({ scheme }));

export class InfillInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  /**
   * `exclude`: the `infill.exclude` patterns for a workspace folder's files (SettingsStore.excludeFor).
   * `crossFile`: the cross-file context block reader for a request (crossFile/vscode/crossFileTracker.ts),
   * undefined for a document that gets none.
   */
  constructor(private readonly engine: CompletionEngine, private readonly settings: () => Settings,
    private readonly exclude: (folder: vscode.Uri | undefined) => readonly string[],
    private readonly crossFile?: (document: vscode.TextDocument, position: vscode.Position) => (() => string) | undefined) {}

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
      let lines = documentLines(document);
      let cursor: Cursor = { line: position.line, character: position.character };
      const cell = notebookCellOf(document);
      if (cell) {
        // A notebook cell: the code of the cells above it comes first, as far as the budget can
        // hold (the prefix gets it all when the cell's suffix is short). Only the prompt changes:
        // the answer is still inserted at `position` in the cell.
        ({ lines, cursor } = withPrecedingCells(lines, cursor, precedingCells(cell), promptBudget(settings)));
      }
      const version = document.version;
      const isCurrent = () => !document.isClosed && document.version === version;
      const texts = await this.engine.complete({
        documentKey: document.uri.toString(),
        lines,
        cursor,
        explicit: context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke,
        relativePath: workspacePath(document, cell),
        exclude: this.exclude(documentFolder(document, cell)),
        isCurrent,
        tabSize: tabSizeOf(document),
        crossFile: cell ? undefined : this.crossFile?.(document, position),
      }, controller.signal);
      // The engine has already dropped an answer for an older version of the document.
      if (token.isCancellationRequested) return [];
      const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
      // An explicit empty range at the cursor: the default range would replace the rest of the line.
      const range = new vscode.Range(position, position);
      return texts.map((text) => new vscode.InlineCompletionItem(toDocumentEol(text, eol), range));
    } finally {
      subscription.dispose();
    }
  }
}

/** The code cells above `cell` in the same language, nearest first, read only as they are taken. */
function* precedingCells(cell: vscode.NotebookCell): Generator<LineSource> {
  for (let i = cell.index - 1; i >= 0; i--) {
    const other = cell.notebook.cellAt(i);
    if (other.kind === vscode.NotebookCellKind.Code && other.document.languageId === cell.document.languageId) {
      yield documentLines(other.document);
    }
  }
}

/** The tab width of the editor showing `document` (4 when none is visible, VS Code's default). */
function tabSizeOf(document: vscode.TextDocument): number {
  const size = vscode.window.visibleTextEditors.find((e) => e.document === document)?.options.tabSize;
  return typeof size === 'number' && size > 0 ? size : 4;
}
