// What the user is told about a completion problem, each with its action: an unreachable server
// (Retry), a missing model (Pull, with progress) or an error state (Open Settings). NoticePolicy
// decides when; these say what.

import * as vscode from 'vscode';
import type { CompletionEngine } from '../completionEngine';
import { pullWithProgress } from '../../ollama/vscode/pullCommand';
import type { SettingsStore } from '../../settings/vscode/settingsStore';

export async function offerRetry(host: string, engine: CompletionEngine, log: vscode.LogOutputChannel): Promise<void> {
  const answer = await vscode.window.showWarningMessage(
    `Infill cannot reach Ollama at ${host}. Start it (ollama serve); completions resume by themselves.`,
    'Retry', 'Show Log');
  if (answer === 'Retry') await engine.retry();
  else if (answer === 'Show Log') log.show();
}

export async function offerPull(model: string, store: SettingsStore, engine: CompletionEngine,
  log: vscode.LogOutputChannel): Promise<void> {
  const action = `Pull ${model}`;
  const answer = await vscode.window.showInformationMessage(
    `The completion model ${model} is not installed in Ollama.`, action);
  if (answer === action) await pullCompletionModel(model, store, engine, log);
}

export async function pullCompletionModel(model: string, store: SettingsStore, engine: CompletionEngine, log: vscode.LogOutputChannel): Promise<void> {
  if (await pullWithProgress(store.settings.host, model, log)) {
    engine.modelInstalled(model);
    void vscode.window.showInformationMessage(`${model} is ready: Infill completions are on.`);
  }
}

/** An error state (e.g. a refused 34B model, a server error), once per distinct message (NoticePolicy). */
export async function notifyError(message: string): Promise<void> {
  const answer = await vscode.window.showWarningMessage(`Infill: ${message}`, 'Open Settings');
  if (answer) await vscode.commands.executeCommand('workbench.action.openSettings', 'infill.');
}
