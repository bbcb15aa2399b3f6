// The explain panel's script. It shows what the extension sends (already sanitised HTML) and sends
// back only the typed messages of ../protocol.ts. No model text is ever evaluated here.

import type { FromExplainView, ToExplainView } from '../protocol';
import { byId, webviewApi } from './webviewApi';

interface Run { requestId: number; model: string; streaming: boolean }

/** What is shown, kept by VS Code so hiding and showing the panel loses nothing. */
interface SavedState {
  run: Run;
  header: { file: string | null; meta: string | null; notice: string | null } | null;
  answer: string;
  status: string | null;
}

const vscode = webviewApi<FromExplainView, SavedState>();
const view = {
  header: byId('header'), file: byId('file'), meta: byId('meta'), notice: byId('notice'), status: byId('status'),
  answer: byId('answer'), error: byId('error'), errorText: byId('error-text'), retry: byId('retry'), pull: byId('pull'),
  progress: byId<HTMLProgressElement>('pull-progress'), progressText: byId('pull-text'),
  stop: byId('stop'), again: byId('again'), empty: byId('empty'),
};
let run: Run = { requestId: -1, model: '', streaming: false };

function setStatus(text: string): void {
  view.status.textContent = text;
}

function setStreaming(streaming: boolean): void {
  run.streaming = streaming;
  view.stop.hidden = !streaming;
  view.again.hidden = streaming || run.requestId < 0;
}

function save(): void {
  vscode.setState({ run, header: view.header.hidden ? null : { file: view.file.textContent, meta: view.meta.textContent,
    notice: view.notice.hidden ? '' : view.notice.textContent }, answer: view.answer.innerHTML, status: view.status.textContent });
}

function handle(message: ToExplainView): void {
  if (!message || typeof message !== 'object') return;
  if (message.type === 'start') {
    run = { requestId: message.requestId, model: message.model, streaming: true };
    view.empty.hidden = true;
    view.header.hidden = false;
    view.file.textContent = message.file;
    view.meta.textContent = `${message.range} · ${message.model}`;
    view.notice.hidden = !message.truncated;
    view.notice.textContent = message.truncated ? 'The selection was longer than the model can read at once: only the first part is explained.' : '';
    view.answer.innerHTML = '';
    view.error.hidden = true;
    view.progress.hidden = true;
    view.progressText.textContent = '';
    setStatus('Explaining…');
    setStreaming(true);
    save();
    return;
  }
  // Chunks of a run that was stopped or replaced are dropped.
  if (message.requestId !== run.requestId) return;
  switch (message.type) {
    case 'chunk':
      view.answer.innerHTML = message.html; // sanitised by the extension (markdown.ts)
      break;
    case 'done':
      view.answer.innerHTML = message.html;
      setStatus('Done.');
      setStreaming(false);
      break;
    case 'stopped':
      setStatus('Stopped: the explanation is incomplete.');
      setStreaming(false);
      break;
    case 'error':
      view.error.hidden = false;
      view.errorText.textContent = message.message + (message.incomplete ? ' The explanation above is incomplete.' : '');
      view.retry.hidden = message.kind === 'modelMissing';
      view.pull.hidden = message.kind !== 'modelMissing';
      view.pull.textContent = `Pull ${message.model || 'the model'}`;
      setStatus(message.incomplete ? 'Incomplete: the model failed while answering.' : 'Could not explain.');
      setStreaming(false);
      break;
    case 'pullProgress':
      view.progress.hidden = false;
      view.progress.value = message.percent;
      view.progressText.textContent = `${message.percent}% ${message.text}`;
      view.pull.hidden = true;
      setStreaming(!message.done);
      if (message.done) setStatus(message.text);
      break;
  }
  save();
}

window.addEventListener('message', (event: MessageEvent<ToExplainView>) => handle(event.data));

view.stop.addEventListener('click', () => vscode.postMessage({ type: 'stop', requestId: run.requestId }));
view.again.addEventListener('click', () => vscode.postMessage({ type: 'again' }));
view.retry.addEventListener('click', () => vscode.postMessage({ type: 'retry' }));
view.pull.addEventListener('click', () => vscode.postMessage({ type: 'pull', model: run.model }));

// Copy buttons and links inside the answer: one delegated listener each.
view.answer.addEventListener('click', (event) => {
  const target = event.target as Element;
  const copy = target.closest('button.copy');
  if (copy) {
    const code = copy.parentElement?.querySelector('code');
    vscode.postMessage({ type: 'copy', text: code ? code.textContent || '' : '' });
    copy.textContent = 'Copied';
    setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
    return;
  }
  const link = target.closest('a');
  if (link) {
    // The extension checks the URL and opens it, never the webview: not the browser (default), and
    // not VS Code's own click handler on the window (it would open the href a second time).
    event.preventDefault();
    event.stopPropagation();
    const href = link.getAttribute('data-link');
    if (href) vscode.postMessage({ type: 'openLink', href });
  }
});

const state = vscode.getState();
if (state && state.run) {
  run = state.run;
  if (state.header) {
    view.empty.hidden = true;
    view.header.hidden = false;
    view.file.textContent = state.header.file;
    view.meta.textContent = state.header.meta;
    view.notice.hidden = !state.header.notice;
    view.notice.textContent = state.header.notice;
  }
  view.answer.innerHTML = state.answer || '';
  setStatus(state.status || '');
  setStreaming(false);
}
vscode.postMessage({ type: 'ready' });
