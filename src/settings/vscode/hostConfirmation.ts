// The VS Code side of HostConsent: the question is a warning message, allowed hosts live in
// globalState (this machine's, not synced: another machine asks again).

import * as vscode from 'vscode';
import { HostConsent, type ConsentAnswer } from '../hostConsent';
import { describeError } from '../../util/errors';
import { messageText } from '../../util/untrustedText';

const CONFIRMED_KEY = 'infill.confirmedHosts';
export const ALLOW = 'Send code to this host';
export const NOT_NOW = 'Not now';

export function hostConfirmation(state: vscode.Memento, onChange: () => void,
  log: { error(message: string): void }): HostConsent {
  return new HostConsent({
    ask: async (host): Promise<ConsentAnswer> => {
      const answer = await vscode.window.showWarningMessage(
        `Infill is set to use the Ollama server at ${messageText(host)}, which is not this machine. ` +
        'Your code around the cursor will be sent there. Allow it?', ALLOW, NOT_NOW);
      return answer === ALLOW ? 'allow' : answer === NOT_NOW ? 'decline' : undefined;
    },
    store: {
      get: () => state.get<string[]>(CONFIRMED_KEY, []),
      update: (hosts) => state.update(CONFIRMED_KEY, hosts),
    },
    onChange,
    onError: (err) => log.error(`host confirmation: ${describeError(err)}`),
  });
}

export const FORGET = 'Forget';

/**
 * Infill: Forget Allowed Ollama Hosts. A toast, not a modal: the question names the hosts, and
 * dismissing it changes nothing. Resolves with the hosts forgotten (none when not confirmed).
 */
export async function forgetAllowedHosts(consent: HostConsent): Promise<string[]> {
  const hosts = consent.allowedHosts();
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage('No remote hosts are allowed.');
    return [];
  }
  const answer = await vscode.window.showWarningMessage(
    `Forget that Infill may send your code to ${messageText(hosts.join(', '))}? ` +
    'Nothing is sent there again until you allow it.', FORGET);
  return answer === FORGET ? consent.forgetAll() : [];
}
