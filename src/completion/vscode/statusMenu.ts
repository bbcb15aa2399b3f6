// The status bar item's menu: what can be done from the current state.

import * as vscode from 'vscode';
import type { EngineState } from '../completionEngine';
import { isLoopbackHost } from '../../settings/hostPolicy';
import type { SettingsStore } from '../../settings/vscode/settingsStore';
import { labelText } from '../../util/untrustedText';

/** Offer the actions that fit `state`, then run the one picked. */
export async function statusMenu(state: EngineState, store: SettingsStore): Promise<void> {
  const items: (vscode.QuickPickItem & { command: string })[] = [
    {
      label: store.settings.completionsEnabled ? '$(circle-slash) Turn completions off' : '$(check) Turn completions on',
      command: 'infill.toggleCompletions',
    },
  ];
  if (state.kind === 'unreachable' || state.kind === 'error' || state.kind === 'disabled') {
    items.push({ label: '$(refresh) Retry', command: 'infill.retry' });
  }
  if (state.kind === 'modelMissing') items.push({ label: `$(cloud-download) Pull ${labelText(state.model)}`, command: 'infill.pullModel' });
  if (!isLoopbackHost(store.settings.host)) {
    items.push({ label: '$(trash) Forget allowed Ollama hosts', command: 'infill.forgetAllowedHosts' });
  }
  items.push(
    { label: '$(settings-gear) Open Infill Settings panel', command: 'infill.openSettings' },
    { label: '$(gear) Settings (JSON / UI)', command: 'workbench.action.openSettings' },
    { label: '$(output) Show log', command: 'infill.showLog' },
  );
  const picked = await vscode.window.showQuickPick(items, { title: 'Infill', placeHolder: 'What do you want to do?' });
  if (!picked) return;
  if (picked.command === 'workbench.action.openSettings') {
    await vscode.commands.executeCommand(picked.command, '@ext:infill-dev.infill');
  } else {
    await vscode.commands.executeCommand(picked.command);
  }
}
