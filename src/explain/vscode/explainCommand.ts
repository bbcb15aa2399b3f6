// Infill: Explain Selection — gathers the selection and a little context, opens the panel.

import * as vscode from 'vscode';
import { explainModelName } from '../../settings/modelCatalogue';
import { isExcluded } from '../../settings/excludePolicy';
import type { Settings } from '../../settings/settings';
import { workspacePath } from '../../settings/vscode/documentPath';
import { documentLines } from '../../text/vscode/documentLines';
import type { Logger } from '../../util/log';
import { buildExplainPrompt } from '../explainPrompt';
import { enclosingBlock } from '../enclosingBlock';
import { EXPLAIN_PROMPT_BUDGET } from '../explainRun';
import { ExplainPanel } from './explainPanel';

/** Lines of surrounding code sent as context on each side of the selection. */
const CONTEXT_LINES = 3;

/**
 * `consent` asks the user about a host that is not this machine (if not asked yet in this session)
 * and resolves to why nothing may be sent to it, or undefined when it may.
 */
export async function explainSelection(extensionUri: vscode.Uri, settings: Settings, log: Logger,
  consent: (host: string) => Promise<string | undefined>): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a file and select the code you want Infill to explain.');
    return;
  }
  const { document, selection } = editor;
  const path = workspacePath(document);
  if (path !== undefined && isExcluded(path, settings.exclude)) {
    const name = path.replace(/\\/g, '/').split('/').pop();
    void vscode.window.showWarningMessage(`Infill does not explain ${name}: it matches infill.exclude, ` +
      'and such files (secrets, keys) are never sent to the model.');
    return;
  }
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
    relativePath: vscode.workspace.asRelativePath(document.uri, false),
    selection: selected,
    startLine: first + 1,
    endLine: last + 1,
    before: text(Math.max(0, first - CONTEXT_LINES), first - 1),
    after: text(last + 1, Math.min(document.lineCount - 1, last + CONTEXT_LINES)),
  }, EXPLAIN_PROMPT_BUDGET);
  // Asked last, once there is something to send; the selection is read before the question.
  const blocked = await consent(settings.host);
  if (blocked) {
    void vscode.window.showWarningMessage(`Infill did not explain the selection. ${blocked}.`);
    return;
  }
  const file = vscode.workspace.asRelativePath(document.uri, false);
  const range = prompt.truncated ? `lines ${first + 1}–${prompt.shownEndLine} of ${first + 1}–${last + 1}`
    : first === last ? `line ${first + 1}` : `lines ${first + 1}–${last + 1}`;
  ExplainPanel.show(extensionUri, log).explain(
    { host: settings.host, model: explainModelName(settings), keepAlive: settings.keepAlive, prompt },
    { file, range, truncated: prompt.truncated },
  );
}
