// The status bar item: what Infill is doing, and the menu of what can be done about it.

import * as vscode from 'vscode';
import type { EngineState } from '../completionEngine';

export class CompletionStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('infill.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Infill';
    this.item.command = 'infill.statusMenu';
    this.item.show();
  }

  show(state: EngineState): void {
    const { text, tooltip, background } = describe(state);
    this.item.text = text;
    // A plain string, shown as text: the model, host and server error in it are not Infill's
    // (a MarkdownString would need untrusted text escaped).
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Infill: ${tooltip}` };
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

export function describe(state: EngineState): { text: string; tooltip: string; background?: string } {
  switch (state.kind) {
    case 'ready':
      return { text: '$(sparkle) Infill', tooltip: `Ready: completions from ${state.model}` };
    case 'generating':
      return { text: '$(loading~spin) Infill', tooltip: `Generating with ${state.model}…` };
    case 'disabled':
      return { text: '$(circle-slash) Infill', tooltip: state.reason ?? 'Completions are turned off (click to turn on)' };
    case 'unreachable':
      return {
        text: '$(debug-disconnect) Infill',
        tooltip: `Ollama unreachable at ${state.host}. Start it with "ollama serve"; Infill reconnects by itself.`,
        background: 'statusBarItem.warningBackground',
      };
    case 'modelMissing':
      return {
        text: '$(cloud-download) Infill',
        tooltip: `Model not installed: ${state.model}. Click to pull it.`,
        background: 'statusBarItem.warningBackground',
      };
    case 'error':
      return { text: '$(error) Infill', tooltip: `Error: ${state.message}`, background: 'statusBarItem.errorBackground' };
  }
}
