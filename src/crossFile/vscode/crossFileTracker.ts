// Cross-file context in VS Code: which documents get it, the editor events that let it be gathered
// before the first keystroke (switching editors, moving the cursor), and what a save invalidates.

import * as vscode from 'vscode';
import { contextBudget } from '../../completion/completionPipeline';
import { isExcluded } from '../../settings/excludePolicy';
import type { Settings } from '../../settings/settings';
import { documentFolder, workspacePath } from '../../settings/vscode/documentPath';
import { documentLines } from '../../text/vscode/documentLines';
import type { Logger } from '../../util/log';
import { notebookCellOf } from '../../util/vscode/notebookCell';
import { realTimers } from '../../ollama/connectionHealth';
import { CrossFileContext, type ContextDocument } from '../crossFileContext';
import { EditorSources } from './editorSources';

/** Schemes whose documents get context (a notebook cell gets the cells above it instead). */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);

export class CrossFileTracker implements vscode.Disposable {
  private readonly sources: EditorSources;
  private readonly context: CrossFileContext;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly settings: () => Settings,
    private readonly exclude: (folder: vscode.Uri | undefined) => readonly string[], log: Logger) {
    this.sources = new EditorSources((folder) => exclude(folder), log);
    this.context = new CrossFileContext({ sources: this.sources, budget: () => contextBudget(settings()), log, timers: realTimers });
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.notice(editor.document, editor.selection.active)),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === vscode.window.activeTextEditor) this.notice(e.textEditor.document, e.selections[0].active);
      }),
      // What other files declare may have changed (and so may the imports of the saved one).
      vscode.workspace.onDidSaveTextDocument(() => this.context.invalidate()),
    ];
  }

  /** Settings changed: the budget, the exclude patterns or the setting itself may be others now. */
  settingsChanged(): void {
    this.context.invalidate();
  }

  /**
   * For a completion request in `document` at `position`: the block reader to send it with, or
   * undefined when the document gets no cross-file context.
   */
  forRequest(document: vscode.TextDocument, position: vscode.Position): (() => string) | undefined {
    if (!this.notice(document, position)) return undefined;
    const key = document.uri.toString();
    return () => this.context.blockFor(key).text;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.context.dispose();
    this.sources.dispose();
  }

  /** Tell the service where the user is, if `document` gets context; returns whether it does. */
  private notice(document: vscode.TextDocument, position: vscode.Position): boolean {
    const settings = this.settings();
    if (settings.crossFileContext !== 'on' || !settings.completionsEnabled || !SCHEMES.has(document.uri.scheme) ||
      settings.disabledLanguages.includes(document.languageId) || notebookCellOf(document)) return false;
    const path = workspacePath(document);
    // An excluded document sends nothing, so nothing is gathered for it either.
    if (path !== undefined && isExcluded(path, this.exclude(documentFolder(document)))) return false;
    this.context.update(contextDocument(document), { line: position.line, character: position.character });
    return true;
  }
}

function contextDocument(document: vscode.TextDocument): ContextDocument {
  const folder = document.uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(document.uri) : undefined;
  return {
    key: document.uri.toString(),
    version: document.version,
    languageId: document.languageId,
    path: folder ? vscode.workspace.asRelativePath(document.uri, false) : undefined,
    lines: documentLines(document),
  };
}
