// The settings panel: pick the model sizes knowing what each costs, pull what is missing, measure,
// and edit the other settings. It writes real user settings (settings.json stays the single source
// of truth) and re-renders whenever settings change, from here or elsewhere.

import * as vscode from 'vscode';
import type { CompletionEngine } from '../../completion/completionEngine';
import { listModels, serverVersion, toOllamaError } from '../../ollama/client';
import { runPull } from '../../ollama/pullRun';
import type { Logger } from '../../util/log';
import { makeNonce, webviewHtml } from '../../webview/html';
import {
  parseFromSettingsView, validateSetting, type FromSettingsView, type ToSettingsView,
} from '../../webview/settingsProtocol';
import { normaliseHost } from '../hostPolicy';
import { measureModel } from '../measure';
import { panelState, type InstalledModel, type Measurement } from '../panelState';
import { COMPLETION_MODELS, isInstalled } from '../modelCatalogue';
import { KEYS } from '../settings';
import type { SettingsStore } from './settingsStore';
import { describeError } from '../../util/errors';
import { messageText } from '../../util/untrustedText';

const MEASUREMENTS_KEY = 'infill.measurements';

interface ServerAnswer {
  readonly installed: InstalledModel[] | undefined;
  readonly connection: { reachable: boolean; version?: string; host: string; message?: string };
}

/**
 * The panel's fixed markup; its script (webview/scripts/settingsView.ts, built to media/settings.js) builds
 * the rest from the state it is sent.
 */
const BODY = `
<h1>Infill settings</h1>
<section id="connection" class="card" aria-labelledby="connection-title">
  <h2 id="connection-title">Ollama</h2>
  <p id="connection-status" role="status" aria-live="polite"></p>
  <div class="row">
    <label for="host">Server</label>
    <input id="host" type="url" spellcheck="false">
    <button id="test-connection" type="button" class="secondary">Test connection</button>
  </div>
  <p id="connection-result" role="status" aria-live="polite"></p>
</section>
<section class="card" aria-labelledby="completion-title">
  <h2 id="completion-title">Completion model</h2>
  <p class="hint">Code Llama for fill-in-the-middle. 7B is faster, 13B gives better suggestions and needs more memory.</p>
  <div id="completion-models" role="radiogroup" aria-labelledby="completion-title"></div>
  <div class="row">
    <button id="measure" type="button">Measure installed models</button>
    <button id="cancel-measure" type="button" class="secondary" hidden>Cancel</button>
    <span id="measure-status" role="status" aria-live="polite"></span>
  </div>
  <p class="hint">Measuring sends a few short completion requests to each installed completion model and
  shows time to first token, latency (p50/p95) and tokens per second. It never runs on its own.</p>
</section>
<section class="card" aria-labelledby="explain-title">
  <h2 id="explain-title">Explain model</h2>
  <p class="hint">Code Llama - Instruct for <em>Explain Selection</em>. A different model from the completion
  model: if both do not fit in memory, Ollama swaps them.</p>
  <div id="explain-models" role="radiogroup" aria-labelledby="explain-title"></div>
</section>
<section class="card" aria-labelledby="other-title">
  <h2 id="other-title">Completions</h2>
  <div id="other-settings"></div>
</section>`;

export class SettingsPanel implements vscode.Disposable {
  private static current: SettingsPanel | undefined;

  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pulls = new Map<string, AbortController>();
  private measuring: AbortController | undefined;
  /** What the server answered at the last refresh (opening, Refresh, a pull, another host). */
  private server: ServerAnswer | undefined;

  static show(context: vscode.ExtensionContext, store: SettingsStore, engine: CompletionEngine, log: Logger): SettingsPanel {
    if (SettingsPanel.current) SettingsPanel.current.panel.reveal();
    else SettingsPanel.current = new SettingsPanel(context, store, engine, log);
    return SettingsPanel.current;
  }

  static disposeCurrent(): void {
    SettingsPanel.current?.dispose();
  }

  private constructor(private readonly context: vscode.ExtensionContext, private readonly store: SettingsStore,
    private readonly engine: CompletionEngine, private readonly log: Logger) {
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel('infill.settings', 'Infill Settings', vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [media] });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
    const webview = this.panel.webview;
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'settings.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'settings.css')).toString(),
      title: 'Infill Settings',
      body: BODY,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => void this.receive(parseFromSettingsView(raw)).catch((e) =>
        this.log.error(`settings panel: ${describeError(e)}`))),
      // A setting changed: re-render from what the server said last time. Only another host is asked
      // again; the server is never queried per settings change (no background chatter).
      store.onDidChange((settings) => void (settings.host === this.server?.connection.host ? this.render() : this.refresh())),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    for (const controller of this.pulls.values()) controller.abort();
    this.measuring?.abort();
    if (SettingsPanel.current === this) SettingsPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private post(message: ToSettingsView): void {
    void this.panel.webview.postMessage(message);
  }

  private measurements(): Measurement[] {
    return this.context.globalState.get<Measurement[]>(MEASUREMENTS_KEY, []);
  }

  /** Ask the server what it has, then send the whole state. */
  private async refresh(): Promise<void> {
    const settings = this.store.settings;
    let installed: InstalledModel[] | undefined;
    let connection: ServerAnswer['connection'];
    try {
      const [version, models] = await Promise.all([serverVersion(settings.host), listModels(settings.host)]);
      installed = models;
      connection = { reachable: true, version, host: settings.host };
    } catch (err) {
      connection = { reachable: false, host: settings.host, message: toOllamaError(err).message };
    }
    this.server = { installed, connection };
    this.render();
  }

  /** Send the whole state: the settings now, the server as it answered last. */
  private render(): void {
    if (!this.server) return;
    const { installed, connection } = this.server;
    this.post({ type: 'state', state: panelState(this.store.settings, installed, this.measurements(), connection) });
  }

  private async receive(message: FromSettingsView | undefined): Promise<void> {
    if (!message) return; // not a message we know: ignored, never trusted
    switch (message.type) {
      case 'ready':
      case 'refresh':
        return this.refresh();
      case 'setSetting': {
        const checked = validateSetting(message.key, message.value);
        if (!checked.ok) {
          void vscode.window.showWarningMessage(`Infill: ${messageText(checked.reason)}`);
          return this.refresh();
        }
        // User level: a setting chosen here applies everywhere; onDidChange re-renders the panel.
        await this.store.update(KEYS[message.key], checked.value);
        return;
      }
      case 'pull':
        return this.pull(message.model);
      case 'cancelPull':
        this.pulls.get(message.model)?.abort();
        return;
      case 'measure':
        return this.measure();
      case 'cancelMeasure':
        this.measuring?.abort();
        return;
      case 'testConnection':
        return this.testConnection(message.host);
    }
  }

  private async pull(model: string): Promise<void> {
    if (this.pulls.has(model)) return;
    const controller = new AbortController();
    this.pulls.set(model, controller);
    try {
      const outcome = await runPull(this.store.settings.host, model, controller.signal, (s) => {
        this.post({ type: 'pullProgress', model, percent: s.percent, completedBytes: s.completedBytes,
          totalBytes: s.totalBytes, status: s.status, done: false });
      });
      const s = outcome.state;
      if (outcome.ok) {
        this.post({ type: 'pullProgress', model, percent: 100, completedBytes: s.completedBytes, totalBytes: s.totalBytes,
          status: 'success', done: true });
        this.engine.modelInstalled(model);
      } else {
        const cancelled = outcome.error.kind === 'aborted';
        this.post({ type: 'pullProgress', model, percent: s.percent, completedBytes: s.completedBytes, totalBytes: s.totalBytes,
          status: cancelled ? 'cancelled' : 'failed', done: true, error: cancelled ? undefined : outcome.error.message });
      }
    } finally {
      this.pulls.delete(model);
      await this.refresh();
    }
  }

  /** Measure each installed completion model in turn; results are kept in globalState. */
  private async measure(): Promise<void> {
    if (this.measuring) return;
    const controller = new AbortController();
    this.measuring = controller;
    const settings = this.store.settings;
    const results: Measurement[] = [];
    let error: string | undefined;
    try {
      const installed = (await listModels(settings.host)).map((m) => m.name);
      const models = Object.values(COMPLETION_MODELS).filter((m) => isInstalled(m, installed));
      for (const model of models) {
        results.push(await measureModel(settings.host, model, settings, controller.signal, (done, total) =>
          this.post({ type: 'measureProgress', model, done, total })));
      }
      if (models.length === 0) error = 'No completion model is installed: pull one first.';
    } catch (err) {
      const e = toOllamaError(err, controller.signal);
      if (e.kind !== 'aborted') error = e.message;
    } finally {
      this.measuring = undefined;
    }
    const kept = [...this.measurements().filter((m) => !results.some((r) => r.model === m.model)), ...results];
    await this.context.globalState.update(MEASUREMENTS_KEY, kept);
    this.post({ type: 'measureDone', measurements: kept, cancelled: controller.signal.aborted, error });
    await this.refresh();
  }

  private async testConnection(host: string): Promise<void> {
    try {
      const version = await serverVersion(normaliseHost(host), 3000);
      this.post({ type: 'connectionResult', ok: true, version });
    } catch (err) {
      this.post({ type: 'connectionResult', ok: false, message: toOllamaError(err).message });
    }
  }
}
