// Wiring only: every registration is owned by the extension context and disposed with it.

import * as vscode from 'vscode';
import { CompletionEngine, type EngineState } from './completion/completionEngine';
import { NoticePolicy } from './completion/notices';
import { CompletionStatusBar } from './completion/vscode/statusBar';
import { DOCUMENT_SELECTOR, InfillInlineCompletionProvider } from './completion/vscode/inlineCompletionProvider';
import { pullWithProgress } from './ollama/vscode/pullCommand';
import { isLoopbackHost } from './settings/hostPolicy';
import { completionModelName } from './settings/modelRules';
import { KEYS } from './settings/settings';
import { forgetAllowedHosts, hostConfirmation } from './settings/vscode/hostConfirmation';
import { SettingsStore } from './settings/vscode/settingsStore';
import { SetupContext } from './settings/vscode/setupContext';
import { WalkthroughProgress } from './settings/vscode/walkthroughProgress';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Infill', { log: true });
  const store = new SettingsStore();
  const hosts = hostConfirmation(context.globalState, () => engine.refreshState(), log);
  const engine = new CompletionEngine({
    settings: () => store.settings,
    blockedReason: () => hosts.blockedReason(store.settings.host),
    requestConsent: () => void hosts.request(store.settings.host),
    log,
  });
  const statusBar = new CompletionStatusBar();
  const walkthrough = new WalkthroughProgress(context.extension.id, log);
  // Its background checks go to the host too: none until the user allows it.
  const setup = new SetupContext(() => store.settings, walkthrough,
    () => hosts.blockedReason(store.settings.host) !== undefined);
  context.subscriptions.push(log, store, statusBar, setup, { dispose: () => engine.dispose() },
    { dispose: () => void disposePanels() });

  statusBar.show(engine.state);
  const notices = new NoticePolicy((notice) => {
    const shown = notice.kind === 'unreachable' ? offerRetry(notice.host, engine, log)
      : notice.kind === 'modelMissing' ? offerPull(notice.model, store, engine, log)
      : notifyError(notice.message);
    shown.catch((e) => log.error(String(e)));
  });
  context.subscriptions.push(
    engine.onState((state) => {
      statusBar.show(state);
      setup.poke();
    }),
    notices.attach(engine),
    store.onDidChange(() => {
      engine.settingsChanged();
      setup.poke();
    }),
    vscode.languages.registerInlineCompletionItemProvider(DOCUMENT_SELECTOR,
      new InfillInlineCompletionProvider(engine, () => store.settings)),
    vscode.commands.registerCommand('infill.toggleCompletions', () =>
      store.update(KEYS.completionsEnabled, !store.settings.completionsEnabled)),
    vscode.commands.registerCommand('infill.showLog', () => log.show()),
    vscode.commands.registerCommand('infill.retry', async () => {
      hosts.reset();
      notices.reset();
      setup.poke();
      await engine.retry();
    }),
    // Forgetting refreshes the engine's state (HostConsent.onChange): the next keystroke asks again.
    vscode.commands.registerCommand('infill.forgetAllowedHosts', async () => {
      const forgotten = await forgetAllowedHosts(hosts);
      if (forgotten.length > 0) {
        log.info(`forgot the allowed hosts: ${forgotten.join(', ')}`);
        setup.poke();
      }
    }),
    vscode.commands.registerCommand('infill.pullModel', () => pull(completionModelName(store.settings), store, engine, log)),
    vscode.commands.registerCommand('infill.statusMenu', () => statusMenu(engine.state, store)),
    // The panels (and markdown-it/highlight.js behind Explain) load on first use, not at start-up.
    vscode.commands.registerCommand('infill.openSettings', async () => {
      void walkthrough.complete('openSettings');
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
        async (host) => (await hosts.request(host)) ? undefined : hosts.blockedReason(host));
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

async function offerRetry(host: string, engine: CompletionEngine, log: vscode.LogOutputChannel): Promise<void> {
  const answer = await vscode.window.showWarningMessage(
    `Infill cannot reach Ollama at ${host}. Start it (ollama serve); completions resume by themselves.`,
    'Retry', 'Show Log');
  if (answer === 'Retry') await engine.retry();
  else if (answer === 'Show Log') log.show();
}

async function offerPull(model: string, store: SettingsStore, engine: CompletionEngine,
  log: vscode.LogOutputChannel): Promise<void> {
  const action = `Pull ${model}`;
  const answer = await vscode.window.showInformationMessage(
    `The completion model ${model} is not installed in Ollama.`, action);
  if (answer === action) await pull(model, store, engine, log);
}

async function pull(model: string, store: SettingsStore, engine: CompletionEngine, log: vscode.LogOutputChannel): Promise<void> {
  if (await pullWithProgress(store.settings.host, model, log)) {
    engine.modelInstalled(model);
    void vscode.window.showInformationMessage(`${model} is ready: Infill completions are on.`);
  }
}

/** An error state (e.g. a refused 34B model, a server error), once per distinct message (NoticePolicy). */
async function notifyError(message: string): Promise<void> {
  const answer = await vscode.window.showWarningMessage(`Infill: ${message}`, 'Open Settings');
  if (answer) await vscode.commands.executeCommand('workbench.action.openSettings', 'infill.');
}

/** A small Python file with the cursor where a completion is likely: the walkthrough's "try it". */
async function openSample(): Promise<void> {
  const content = 'def fibonacci(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n    ';
  const document = await vscode.workspace.openTextDocument({ language: 'python', content });
  const end = document.positionAt(content.length);
  // Opened with the cursor already at the end: set afterwards, a key typed at once lands at line 1.
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(end, end) });
}

async function statusMenu(state: EngineState, store: SettingsStore): Promise<void> {
  const items: (vscode.QuickPickItem & { command: string })[] = [
    {
      label: store.settings.completionsEnabled ? '$(circle-slash) Turn completions off' : '$(check) Turn completions on',
      command: 'infill.toggleCompletions',
    },
  ];
  if (state.kind === 'unreachable' || state.kind === 'error' || state.kind === 'disabled') {
    items.push({ label: '$(refresh) Retry', command: 'infill.retry' });
  }
  if (state.kind === 'modelMissing') items.push({ label: `$(cloud-download) Pull ${state.model}`, command: 'infill.pullModel' });
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
