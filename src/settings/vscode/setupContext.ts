// Context keys for the getting-started walkthrough: its steps complete themselves when the server
// is reachable (infill.serverReachable) and the completion model is installed (infill.modelInstalled).
//
// No polling: one cheap /api/tags request at start, then again only when Infill's state comes back
// from an outage, a missing model or being off, when the host or the completion model changes, or
// on an explicit action (Retry, Pull, opening the settings panel). An outage or a missing model is
// known from the state itself and set without asking the server (the outage's probes are
// ConnectionHealth's, within its limits). The context keys complete the steps only when they change
// while the walkthrough is registered, so the steps are also marked complete directly (see
// walkthroughProgress.ts).

import * as vscode from 'vscode';
import type { EngineState } from '../../completion/completionEngine';
import { listModels } from '../../ollama/client';
import { completionModelName, isInstalled } from '../modelCatalogue';
import type { Settings } from '../settings';
import type { WalkthroughProgress } from './walkthroughProgress';

/** What the set-up context follows of Infill's state: anything else is a request coming and going. */
type Phase = 'unreachable' | 'modelMissing' | 'off' | 'serving';

function phaseOf(state: EngineState): Phase {
  if (state.kind === 'unreachable' || state.kind === 'modelMissing') return state.kind;
  return state.kind === 'disabled' ? 'off' : 'serving';
}

export class SetupContext implements vscode.Disposable {
  private checking = false;
  private disposed = false;
  private phase: Phase | undefined;
  /** The host and model the last answer was about. */
  private checkedFor: string | undefined;

  /** `blocked`: the host may not be contacted yet (a remote host the user has not allowed). */
  constructor(private readonly settings: () => Settings, private readonly walkthrough: WalkthroughProgress,
    private readonly blocked: () => boolean = () => false) {
    void this.check();
  }

  /** Infill's state changed: follow an outage or a missing model, ask again once it is over. */
  stateChanged(state: EngineState): void {
    const phase = phaseOf(state);
    const previous = this.phase;
    this.phase = phase;
    if (phase === previous) return;
    if (phase === 'unreachable') void this.publish(false, false);
    else if (phase === 'modelMissing') void this.publish(true, false);
    else if (phase === 'serving' && previous !== undefined) void this.check();
  }

  /** Settings changed: ask again only if they point at another host or model. */
  settingsChanged(): void {
    if (this.subject() !== this.checkedFor) void this.check();
  }

  /** An explicit action (Retry, a pull, the settings panel): look again now. */
  poke(): void {
    void this.check();
  }

  dispose(): void {
    this.disposed = true;
  }

  private subject(): string {
    const settings = this.settings();
    return `${settings.host} ${completionModelName(settings)}`;
  }

  private async check(): Promise<void> {
    // Not contacted at all: allowing it changes Infill's state, which brings a new check.
    if (this.checking || this.disposed || this.blocked()) return;
    this.checking = true;
    const settings = this.settings();
    this.checkedFor = this.subject();
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
    await this.publish(reachable, installed);
  }

  private async publish(reachable: boolean, installed: boolean): Promise<void> {
    if (this.disposed) return;
    await vscode.commands.executeCommand('setContext', 'infill.serverReachable', reachable);
    await vscode.commands.executeCommand('setContext', 'infill.modelInstalled', installed);
    if (reachable) void this.walkthrough.complete('startOllama');
    if (installed) void this.walkthrough.complete('pullModel');
  }
}
