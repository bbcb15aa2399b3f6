// Infill: Explain Selection — gathers the selection and a little context, opens the panel.

import * as vscode from 'vscode';
import { explainModelName } from '../../settings/modelCatalogue';
import type { Settings } from '../../settings/settings';
import { documentFolder, workspacePath } from '../../settings/vscode/documentPath';
import { documentLines } from '../../text/vscode/documentLines';
import type { Logger } from '../../util/log';
import { messageText } from '../../util/untrustedText';
import { buildExplainPrompt } from '../explainPrompt';
import { enclosingBlock } from '../enclosingBlock';
import { EXPLAIN_PROMPT_BUDGET } from '../explainRun';
import { explainPath, explainRefusal, type ExplainDocument } from '../explainTarget';
import { ExplainPanel, type HostConsentCheck } from './explainPanel';

/** Lines of surrounding code sent as context on each side of the selection. */
const CONTEXT_LINES = 3;

/**
 * `consent`: see HostConsentCheck; the panel checks it again before each request it sends.
 * `exclude`: the `infill.exclude` patterns for a workspace folder's files (its own additions included).
 */
export async function explainSelection(extensionUri: vscode.Uri, settings: Settings, log: Logger,
  consent: HostConsentCheck, exclude: (folder: vscode.Uri | undefined) => readonly string[]): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a file and select the code you want Infill to explain.');
    return;
  }
  const { document, selection } = editor;
  const target: ExplainDocument = { scheme: document.uri.scheme, workspacePath: workspacePath(document), fileName: document.fileName };
  const refusal = explainRefusal(target, exclude(documentFolder(document)));
  if (refusal) {
    void vscode.window.showWarningMessage(refusal);
    return;
  }
  const file = explainPath(target);
  let first = selection.start.line;
  let last = selection.end.line;
  if (selection.isEmpty) {
    // No selection: the block that starts on the cursor line (a function, a loop...).
    const block = enclosingBlock(documentLines(document), first);
    if (!block) {
      void vscode.window.showInformationMessage('Select the code you want Infill to explain (the cursor is on an empty line).');
      return;
    }
    ({ first, last } = block);
  } else if (selection.end.character === 0 && last > first) {
    last--; // a selection ending at the start of a line does not include that line
  }
  const text = (from: number, to: number) => from > to ? ''
    : document.getText(new vscode.Range(from, 0, to, document.lineAt(to).text.length));
  const selected = selection.isEmpty ? text(first, last) : document.getText(selection);
  const prompt = buildExplainPrompt({
    languageId: document.languageId,
    relativePath: file,
    selection: selected,
    startLine: first + 1,
    endLine: last + 1,
    before: text(Math.max(0, first - CONTEXT_LINES), first - 1),
    after: text(last + 1, Math.min(document.lineCount - 1, last + CONTEXT_LINES)),
  }, EXPLAIN_PROMPT_BUDGET);
  // Asked last, once there is something to send; the selection is read before the question.
  const blocked = await consent(settings.host);
  if (blocked) {
    void vscode.window.showWarningMessage(`Infill did not explain the selection. ${messageText(blocked)}.`);
    return;
  }
  const range = prompt.truncated ? `lines ${first + 1}–${prompt.shownEndLine} of ${first + 1}–${last + 1}`
    : first === last ? `line ${first + 1}` : `lines ${first + 1}–${last + 1}`;
  ExplainPanel.show(extensionUri, log, consent).explain(
    { host: settings.host, model: explainModelName(settings), keepAlive: settings.keepAlive, prompt },
    { file, range, truncated: prompt.truncated },
  );
}
