// The VS Code side of HostConsent: the question is a warning message, allowed hosts live in
// globalState (this machine's, not synced: another machine asks again).

import * as vscode from 'vscode';
import { HostConsent, type ConsentAnswer } from '../hostConsent';

const CONFIRMED_KEY = 'infill.confirmedHosts';
export const ALLOW = 'Send code to this host';
export const NOT_NOW = 'Not now';

export function hostConfirmation(state: vscode.Memento, onChange: () => void,
  log: { error(message: string): void }): HostConsent {
  return new HostConsent({
    ask: async (host): Promise<ConsentAnswer> => {
      const answer = await vscode.window.showWarningMessage(
        `Infill is set to use the Ollama server at ${host}, which is not this machine. ` +
        'Your code around the cursor will be sent there. Allow it?', ALLOW, NOT_NOW);
      return answer === ALLOW ? 'allow' : answer === NOT_NOW ? 'decline' : undefined;
    },
    store: {
      get: () => state.get<string[]>(CONFIRMED_KEY, []),
      update: (hosts) => state.update(CONFIRMED_KEY, hosts),
    },
    onChange,
    onError: (err) => log.error(`host confirmation: ${String(err)}`),
  });
}
