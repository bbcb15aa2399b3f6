// What the user is told about a completion problem, each with its action: an unreachable server
// (Retry), a missing model (Pull, with progress) or an error state (Open Settings). NoticePolicy
// decides when; these say what.

import * as vscode from 'vscode';
import type { CompletionEngine } from '../completionEngine';
import { errorMessage, missingModelMessage, modelReadyMessage, unreachableMessage } from '../noticeMessages';
import { pullWithProgress } from '../../ollama/vscode/pullCommand';
import type { SettingsStore } from '../../settings/vscode/settingsStore';

export async function offerRetry(host: string, engine: CompletionEngine, log: vscode.LogOutputChannel): Promise<void> {
  const answer = await vscode.window.showWarningMessage(unreachableMessage(host), 'Retry', 'Show Log');
  if (answer === 'Retry') await engine.retry();
  else if (answer === 'Show Log') log.show();
}

export async function offerPull(model: string, store: SettingsStore, engine: CompletionEngine,
  log: vscode.LogOutputChannel): Promise<void> {
  const { message, pull } = missingModelMessage(model);
  const answer = await vscode.window.showInformationMessage(message, pull);
  if (answer === pull) await pullCompletionModel(model, store, engine, log);
}

export async function pullCompletionModel(model: string, store: SettingsStore, engine: CompletionEngine, log: vscode.LogOutputChannel): Promise<void> {
  if (await pullWithProgress(store.settings.host, model, log)) {
    engine.modelInstalled(model);
    void vscode.window.showInformationMessage(modelReadyMessage(model));
  }
}

/** An error state (e.g. a refused 34B model, a server error), once per distinct message (NoticePolicy). */
export async function notifyError(message: string): Promise<void> {
  const answer = await vscode.window.showWarningMessage(errorMessage(message), 'Open Settings');
  if (answer) await vscode.commands.executeCommand('workbench.action.openSettings', 'infill.');
}
