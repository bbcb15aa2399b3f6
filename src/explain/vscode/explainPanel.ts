// The explain panel: one webview reused for each explanation, streaming the rendered answer.
// Model output is rendered to sanitised HTML in the extension (markdown.ts); the webview only
// shows it, under a CSP that allows no script but its own (by nonce).

import * as vscode from 'vscode';
import { pulledBytes, runPull } from '../../ollama/pullRun';
import type { Logger } from '../../util/log';
import { isSafeExternalLink, parseFromExplainView, type FromExplainView, type ToExplainView } from '../../webview/protocol';
import { makeNonce, webviewHtml } from '../../webview/html';
import { renderMarkdown, renderStreaming } from '../markdown';
import { endMessages, explainFailureLogLine, runExplanation, type ExplainRequest } from '../explainRun';
import { describeError } from '../../util/errors';

export interface ExplainHeader {
  readonly file: string;
  readonly range: string;
  readonly truncated: boolean;
}

/** How often streamed text is re-rendered and sent to the panel. */
const RENDER_INTERVAL_MS = 50;

type Start = Extract<ToExplainView, { type: 'start' }>;

/**
 * Asks the user about a host that is not this machine (if not asked yet in this session) and
 * resolves to why nothing may be sent to it, or undefined when it may.
 */
export type HostConsentCheck = (host: string) => Promise<string | undefined>;

/**
 * The panel's fixed markup; its script (webview/scripts/explainView.ts, built to media/explain.js) fills it.
 * Nothing here comes from the model.
 */
const BODY = `
<p id="empty">Select code and run <strong>Infill: Explain Selection</strong>.</p>
<header id="header" hidden>
  <h1 id="file"></h1>
  <p id="meta"></p>
  <p id="notice" class="notice" role="note" hidden></p>
</header>
<div class="toolbar">
  <button id="stop" type="button" hidden>Stop</button>
  <button id="again" type="button" class="secondary" hidden>Explain again</button>
  <span id="status" role="status" aria-live="polite"></span>
</div>
<div id="error" class="error" role="alert" hidden>
  <span id="error-text"></span>
  <div class="toolbar">
    <button id="retry" type="button">Retry</button>
    <button id="pull" type="button" hidden>Pull</button>
    <progress id="pull-progress" max="100" value="0" hidden aria-label="Pull progress"></progress>
    <span id="pull-text"></span>
  </div>
</div>
<main id="answer" aria-label="Explanation"></main>`;

export class ExplainPanel implements vscode.Disposable {
  private static current: ExplainPanel | undefined;

  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private requestId = 0;
  private controller: AbortController | undefined;
  private last: { request: ExplainRequest; header: ExplainHeader } | undefined;
  /** What the panel shows now, replayed when a hidden panel's webview is created again. */
  private shown: { start?: Start; body?: ToExplainView; end?: ToExplainView } = {};

  /** Close the panel with the extension. */
  static disposeCurrent(): void {
    ExplainPanel.current?.dispose();
  }

  /**
   * The panel, created beside the editor or revealed when it exists. Every request it sends (this
   * explanation, Explain again, Retry, after a Pull) passes `consent` first, when it is sent: an
   * "allow" withdrawn while the panel is open holds for its next request.
   */
  static show(extensionUri: vscode.Uri, log: Logger, consent: HostConsentCheck): ExplainPanel {
    if (ExplainPanel.current) {
      ExplainPanel.current.consent = consent;
      ExplainPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return ExplainPanel.current;
    }
    ExplainPanel.current = new ExplainPanel(extensionUri, log, consent);
    return ExplainPanel.current;
  }

  private constructor(extensionUri: vscode.Uri, private readonly log: Logger, private consent: HostConsentCheck) {
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel('infill.explain', 'Infill: Explain',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [media] });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
    const webview = this.panel.webview;
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'explain.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'explain.css')).toString(),
      title: 'Infill: Explain',
      body: BODY,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => void this.receive(parseFromExplainView(raw)).catch((e) =>
        this.log.error(`explain panel: ${describeError(e)}`))),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Explain with a fresh run, stopping any run still streaming. */
  explain(request: ExplainRequest, header: ExplainHeader): void {
    this.last = { request, header };
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.run();
  }

  dispose(): void {
    this.controller?.abort();
    if (ExplainPanel.current === this) ExplainPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async run(): Promise<void> {
    const last = this.last;
    if (!last) return;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const requestId = ++this.requestId;
    this.shown = {};
    this.post({ type: 'start', requestId, model: last.request.model, ...last.header });
    const blocked = await this.consent(last.request.host);
    if (requestId !== this.requestId) return; // a newer run took over while the user was asked
    if (blocked) {
      this.controller = undefined;
      this.post({ type: 'error', requestId, kind: 'failed', message: `Nothing was sent. ${blocked}.`, incomplete: false });
      return;
    }

    let latest = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      if (requestId === this.requestId) this.post({ type: 'chunk', requestId, html: renderStreaming(latest) });
    };
    const outcome = await runExplanation(last.request, controller.signal, (text) => {
      latest = text;
      timer ??= setTimeout(flush, RENDER_INTERVAL_MS);
    });
    clearTimeout(timer);
    if (requestId !== this.requestId) return; // a newer run took over; its messages win
    this.controller = undefined;
    if (outcome.kind === 'failed') this.log.warn(explainFailureLogLine(outcome.error));
    for (const message of endMessages(outcome, requestId, last.request, renderMarkdown)) this.post(message);
  }

  private async receive(message: FromExplainView | undefined): Promise<void> {
    if (!message) return; // not a message we know: ignored, never trusted
    switch (message.type) {
      case 'ready':
        // A hidden panel's webview is created anew when shown: give it back what it showed.
        for (const m of [this.shown.start, this.shown.body, this.shown.end]) if (m) void this.panel.webview.postMessage(m);
        return;
      case 'stop':
        if (message.requestId === this.requestId) this.controller?.abort();
        return;
      case 'again':
      case 'retry':
        return this.run();
      case 'pull':
        if (this.last && message.model === this.last.request.model) await this.pull(this.last.request.host, message.model);
        return;
      case 'openLink':
        if (isSafeExternalLink(message.href)) await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
    }
  }

  /** Pull the explain model with progress in the panel, then explain again. */
  private async pull(host: string, model: string): Promise<void> {
    const requestId = this.requestId;
    const blocked = await this.consent(host);
    if (requestId !== this.requestId) return;
    if (blocked) {
      this.post({ type: 'pullProgress', requestId, percent: 0, text: `Not pulled. ${blocked}.`, done: true });
      return;
    }
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const outcome = await runPull(host, model, controller.signal, (state) => {
      this.post({ type: 'pullProgress', requestId, percent: state.percent, text: `${state.status}${pulledBytes(state)}`, done: false });
    });
    if (this.controller === controller) this.controller = undefined;
    if (outcome.ok) {
      this.post({ type: 'pullProgress', requestId, percent: 100, text: `${model} installed`, done: true });
      await this.run();
      return;
    }
    const text = outcome.error.kind === 'aborted' ? 'Pull cancelled' : `Pull failed: ${outcome.error.message}`;
    this.post({ type: 'pullProgress', requestId, percent: outcome.state.percent, text, done: true });
  }

  private post(message: ToExplainView): void {
    if (message.type === 'start') this.shown = { start: message };
    else if (message.type === 'chunk' || message.type === 'done') this.shown.body = message;
    else this.shown.end = message;
    if (message.type === 'done') this.shown.end = undefined;
    // A hidden webview drops messages; 'ready' replays the state when it is shown again.
    void this.panel.webview.postMessage(message);
  }
}
