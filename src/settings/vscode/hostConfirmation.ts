// A host that is not this machine receives the user's code: ask once, remember the answer.

import * as vscode from 'vscode';
import { isLoopbackHost } from '../hostPolicy';

const CONFIRMED_KEY = 'infill.confirmedHosts';

export class HostConfirmation {
  /** Hosts asked about in this session: "Not now" is not asked again on every keystroke. */
  private readonly asked = new Set<string>();

  constructor(private readonly state: vscode.Memento, private readonly onConfirmed: () => void) {}

  /** Why requests to `host` may not be sent yet, or undefined when they may. */
  blockedReason(host: string): string | undefined {
    if (isLoopbackHost(host) || this.confirmed().includes(host)) return undefined;
    if (!this.asked.has(host)) void this.ask(host).catch(() => this.asked.delete(host));
    return `Not sending code to ${host} until you allow it (Infill: Retry asks again)`;
  }

  private confirmed(): string[] {
    return this.state.get<string[]>(CONFIRMED_KEY, []);
  }

  /** Ask again next time (the user ran Retry). */
  reset(): void {
    this.asked.clear();
  }

  private async ask(host: string): Promise<void> {
    this.asked.add(host);
    const allow = 'Send code to this host';
    const answer = await vscode.window.showWarningMessage(
      `Infill is set to use the Ollama server at ${host}, which is not this machine. ` +
      'Your code around the cursor will be sent there. Allow it?', allow, 'Not now');
    if (answer === allow) {
      await this.state.update(CONFIRMED_KEY, [...this.confirmed(), host]);
      this.onConfirmed();
    }
  }
}
