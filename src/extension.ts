// Wiring only: each feature's parts are created and connected here, and every registration is owned by
// the extension context and disposed with it. What the features do lives in their own modules.

import * as vscode from 'vscode';
import { CompletionEngine } from './completion/completionEngine';
import { CrossFileTracker } from './crossFile/vscode/crossFileTracker';
import { NoticePolicy } from './completion/notices';
import { CompletionStatusBar } from './completion/vscode/statusBar';
import { DOCUMENT_SELECTOR, InfillInlineCompletionProvider } from './completion/vscode/inlineCompletionProvider';
import { notifyError, offerPull, offerRetry, pullCompletionModel } from './completion/vscode/problemNotices';
import { statusMenu } from './completion/vscode/statusMenu';
import { completionModelName } from './settings/modelCatalogue';
import { KEYS } from './settings/settings';
import { forgetAllowedHosts, hostConfirmation } from './settings/vscode/hostConfirmation';
import { SettingsStore } from './settings/vscode/settingsStore';
import { openSample } from './settings/vscode/sampleFile';
import { SetupContext } from './settings/vscode/setupContext';
import { WalkthroughProgress } from './settings/vscode/walkthroughProgress';
import { describeError } from './util/errors';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Infill', { log: true });
  const store = new SettingsStore(log);
  const hosts = hostConfirmation(context.globalState, () => engine.refreshState(), log);
  const engine = new CompletionEngine({
    settings: () => store.settings,
    blockedReason: () => hosts.blockedReason(store.settings.host),
    requestConsent: () => void hosts.request(store.settings.host),
    log,
  });
  const crossFile = new CrossFileTracker(() => store.settings, (folder) => store.excludeFor(folder), log);
  const statusBar = new CompletionStatusBar();
  const walkthrough = new WalkthroughProgress(context.extension.id, log);
  // Its background checks go to the host too: none until the user allows it.
  const setup = new SetupContext(() => store.settings, walkthrough,
    () => hosts.blockedReason(store.settings.host) !== undefined);
  context.subscriptions.push(log, store, crossFile, statusBar, setup, { dispose: () => engine.dispose() },
    { dispose: () => void disposePanels() });

  statusBar.show(engine.state);
  const notices = new NoticePolicy((notice) => {
    const shown = notice.kind === 'unreachable' ? offerRetry(notice.host, engine, log)
      : notice.kind === 'modelMissing' ? offerPull(notice.model, store, engine, log)
      : notifyError(notice.message);
    shown.catch((e) => log.error(`notification: ${describeError(e)}`));
  });
  context.subscriptions.push(
    engine.onState((state) => {
      statusBar.show(state);
      setup.stateChanged(state);
    }),
    notices.attach(engine),
    store.onDidChange(() => {
      engine.settingsChanged();
      crossFile.settingsChanged();
      setup.settingsChanged();
    }),
    vscode.languages.registerInlineCompletionItemProvider(DOCUMENT_SELECTOR,
      new InfillInlineCompletionProvider(engine, () => store.settings, (folder) => store.excludeFor(folder),
        (document, position) => crossFile.forRequest(document, position))),
    vscode.commands.registerCommand('infill.toggleCompletions', () =>
      store.update(KEYS.completionsEnabled, !store.settings.completionsEnabled)),
    vscode.commands.registerCommand('infill.showLog', () => log.show()),
    vscode.commands.registerCommand('infill.retry', async () => {
      hosts.reset();
      notices.reset();
      await engine.retry();
      // The walkthrough's "Check connection": look at the models too, unless the probe found no server.
      if (engine.state.kind !== 'unreachable') setup.poke();
    }),
    // Forgetting refreshes the engine's state (HostConsent.onChange): the next keystroke asks again.
    vscode.commands.registerCommand('infill.forgetAllowedHosts', async () => {
      const forgotten = await forgetAllowedHosts(hosts);
      if (forgotten.length > 0) log.info(`forgot the allowed hosts: ${forgotten.join(', ')}`);
    }),
    vscode.commands.registerCommand('infill.pullModel', async () => {
      await pullCompletionModel(completionModelName(store.settings), store, engine, log);
      setup.poke();
    }),
    vscode.commands.registerCommand('infill.statusMenu', () => statusMenu(engine.state, store)),
    // The panels (and markdown-it/highlight.js behind Explain) load on first use, not at start-up.
    vscode.commands.registerCommand('infill.openSettings', async () => {
      void walkthrough.complete('openSettings');
      setup.poke();
      panelsLoaded = true;
      (await import('./settings/vscode/settingsPanel')).SettingsPanel.show(context, store, engine, log);
    }),
    vscode.commands.registerCommand('infill.openSample', async () => {
      void walkthrough.complete('tryCompletion');
      await openSample();
    }),
    vscode.commands.registerCommand('infill.explainSelection', async () => {
      panelsLoaded = true;
      await (await import('./explain/vscode/explainCommand')).explainSelection(context.extensionUri, store.settings, log,
        async (host) => (await hosts.request(host)) ? undefined : hosts.blockedReason(host),
        (folder) => store.excludeFor(folder));
    }),
  );
  log.info(`Infill activated in ${(performance.now() - started).toFixed(1)} ms`);
}

let panelsLoaded = false;

/** Close the panels that were opened (their modules are loaded only if one was). */
async function disposePanels(): Promise<void> {
  if (!panelsLoaded) return;
  (await import('./explain/vscode/explainPanel')).ExplainPanel.disposeCurrent();
  (await import('./settings/vscode/settingsPanel')).SettingsPanel.disposeCurrent();
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
