// Context keys for the getting-started walkthrough: its steps complete themselves when the server
// is reachable (infill.serverReachable) and the completion model is installed (infill.modelInstalled).
// Checked on start, on every change of Infill's state or settings, and every CHECK_MS while not
// both true (stopping after GIVE_UP_MS), with one cheap /api/tags request each time. The context
// keys complete the steps only when they change while the walkthrough is registered, so the steps
// are also marked complete directly (see walkthroughProgress.ts).

import * as vscode from 'vscode';
import { listModels } from '../../ollama/client';
import { completionModelName, isInstalled } from '../modelCatalogue';
import type { Settings } from '../settings';
import type { WalkthroughProgress } from './walkthroughProgress';

const CHECK_MS = 10_000;
const GIVE_UP_MS = 30 * 60_000;

export class SetupContext implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private checking = false;
  private readonly started = Date.now();
  private done = false;

  /** `blocked`: the host may not be contacted yet (a remote host the user has not allowed). */
  constructor(private readonly settings: () => Settings, private readonly walkthrough: WalkthroughProgress,
    private readonly blocked: () => boolean = () => false) {
    void this.check();
  }

  /** Something changed (state, settings, a pull): look again now. */
  poke(): void {
    void this.check();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.done = true;
  }

  private async check(): Promise<void> {
    // Not contacted, not scheduled: allowing it changes Infill's state, which pokes a new check.
    if (this.checking || this.blocked()) return;
    this.checking = true;
    clearTimeout(this.timer);
    const settings = this.settings();
    let reachable = false;
    let installed = false;
    try {
      const models = await listModels(settings.host, 3000);
      reachable = true;
      installed = isInstalled(completionModelName(settings), models.map((m) => m.name));
    } catch {
      // not reachable: both stay false
    } finally {
      this.checking = false;
    }
    await vscode.commands.executeCommand('setContext', 'infill.serverReachable', reachable);
    await vscode.commands.executeCommand('setContext', 'infill.modelInstalled', installed);
    if (reachable) void this.walkthrough.complete('startOllama');
    if (installed) void this.walkthrough.complete('pullModel');
    if (!this.done && !(reachable && installed) && Date.now() - this.started < GIVE_UP_MS) {
      this.timer = setTimeout(() => void this.check(), CHECK_MS);
    }
  }
}
