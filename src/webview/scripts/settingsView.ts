// The settings panel's script: builds the controls from the state the extension sends and sends back
// only the typed messages of ../settingsProtocol.ts. Values from the server (model names, sizes,
// versions) are inserted as text, never as HTML.

import { formatBytes } from '../../ollama/pullProgress';
import type { Measurement, ModelOption, PanelState } from '../../settings/panelState';
import type { FromSettingsView, SettingKey, ToSettingsView } from '../settingsProtocol';
import { byId as $, webviewApi } from './webviewApi';

type PullMessage = Extract<ToSettingsView, { type: 'pullProgress' }>;
/** Attributes; `text` is the text content, `on<event>` a listener. */
type Props = Record<string, string | boolean | undefined | ((event: Event) => void)>;

const vscode = webviewApi<FromSettingsView>();
let state: PanelState | undefined;
/** Pull progress per model, kept across re-renders. */
const pulls = new Map<string, PullMessage>();
const send = (message: FromSettingsView) => vscode.postMessage(message);
/** The value of the input or select an event came from. */
const valueOf = (event: Event) => (event.target as HTMLInputElement).value;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Node | null)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = String(value);
    else if (typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else if (value !== false && value !== undefined) node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** A small bar chart of the measured latencies: p50 and p95 bars, scaled to the slowest model. */
function chart(m: Measurement, scale: number): HTMLElement {
  const bar = (label: string, ms: number, cls: string) => {
    const fill = el('div', { class: `bar ${cls}` });
    fill.style.width = `${Math.max(2, Math.round((ms / scale) * 100))}%`; // CSSOM: allowed by the CSP
    return el('div', { class: 'bar-row' }, el('span', { class: 'bar-label', text: label }),
      el('div', { class: 'bar-track', role: 'img', 'aria-label': `${label} ${Math.round(ms)} milliseconds` }, fill),
      el('span', { class: 'bar-value', text: `${Math.round(ms)} ms` }));
  };
  return el('div', { class: 'chart' },
    bar('first token', m.ttftMsP50, 'ttft'), bar('p50', m.latencyMsP50, 'p50'), bar('p95', m.latencyMsP95, 'p95'),
    el('p', { class: 'hint', text: `${m.tokensPerSecond.toFixed(1)} tokens/s · ${m.samples} samples · ${new Date(m.at).toLocaleString()}` }));
}

function modelRow(option: ModelOption, group: 'completion' | 'explain', key: 'modelSize' | 'explainModelSize', scale: number): HTMLElement {
  const id = `${group}-${option.size}`;
  const radio = el('input', { type: 'radio', name: group, id, value: option.size, checked: option.selected,
    disabled: !!option.disabledReason, onchange: () => send({ type: 'setSetting', key, value: option.size }) });
  const status = option.installed
    ? el('span', { class: 'badge installed', text: `installed${option.sizeOnDisk ? ' · ' + formatBytes(option.sizeOnDisk) : ''}` })
    : el('span', { class: 'badge missing', text: 'not installed' });
  const row = el('div', { class: 'model' + (option.disabledReason ? ' disabled' : '') },
    el('div', { class: 'row' }, radio, el('label', { for: id, text: `${option.size.toUpperCase()} — ${option.model}` }), status));
  if (option.disabledReason) row.append(el('p', { class: 'hint', text: option.disabledReason }));
  const pull = pulls.get(option.model);
  if (!option.installed && !option.disabledReason) {
    if (pull && !pull.done) {
      const bar = el('progress', { max: '100', value: String(pull.percent), 'aria-label': `Pulling ${option.model}` });
      row.append(el('div', { class: 'row' }, bar,
        el('span', { role: 'status', text: `${pull.percent}%${pull.totalBytes ? ` — ${formatBytes(pull.completedBytes)} of ${formatBytes(pull.totalBytes)}` : ''} (${pull.status})` }),
        el('button', { type: 'button', class: 'secondary', text: 'Cancel', onclick: () => send({ type: 'cancelPull', model: option.model }) })));
    } else {
      row.append(el('div', { class: 'row' },
        el('button', { type: 'button', text: pull && pull.error ? 'Retry pull' : `Pull ${option.model}`, onclick: () => send({ type: 'pull', model: option.model }) }),
        pull && pull.done ? el('span', { role: 'status', text: pull.error ? `Pull failed: ${pull.error}` : `Pull ${pull.status} at ${pull.percent}%` }) : null));
    }
  }
  if (option.measurement) row.append(chart(option.measurement, scale));
  return row;
}

function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = `f-${label.replace(/\W+/g, '-').toLowerCase()}`;
  input.id = id;
  return el('div', { class: 'field' }, el('label', { for: id, text: label }), input, hint ? el('p', { class: 'hint', text: hint }) : null);
}

function number(key: SettingKey, value: number, limits: { min: number; max: number }, step: number): HTMLInputElement {
  return el('input', { type: 'number', value: String(value), min: String(limits.min), max: String(limits.max), step: String(step),
    onchange: (e) => send({ type: 'setSetting', key, value: Number(valueOf(e)) }) });
}

function render(): void {
  if (!state) return;
  const c = state.connection;
  $('connection-status').textContent = c.reachable
    ? `Connected: Ollama ${c.version || ''} at ${c.host}`
    : `Ollama is not reachable at ${c.host}. Start it with "ollama serve" (install it from https://ollama.com/download), then Test connection.`;
  $('connection-status').className = c.reachable ? 'ok' : 'problem';
  const host = $<HTMLInputElement>('host');
  if (document.activeElement !== host) host.value = state.settings.host;

  const measured = state.completion.flatMap((o) => (o.measurement ? [o.measurement.latencyMsP95] : []));
  const scale = Math.max(1, ...measured);
  $('completion-models').replaceChildren(...state.completion.map((o) => modelRow(o, 'completion', 'modelSize', scale)));
  $('explain-models').replaceChildren(...state.explain.map((o) => modelRow(o, 'explain', 'explainModelSize', scale)));

  const s = state.settings;
  const L = state.limits;
  const format = el('select', { onchange: (e) => send({ type: 'setSetting', key: 'promptFormat', value: valueOf(e) }) },
    el('option', { value: 'spm', text: 'SPM — suffix, prefix, middle (recommended)', selected: s.promptFormat === 'spm' }),
    el('option', { value: 'psm', text: 'PSM — prefix, suffix, middle', selected: s.promptFormat === 'psm' }));
  const enabled = el('input', { type: 'checkbox', checked: s.completionsEnabled,
    onchange: (e) => send({ type: 'setSetting', key: 'completionsEnabled', value: (e.target as HTMLInputElement).checked }) });
  const crossFile = el('input', { type: 'checkbox', checked: s.crossFileContext === 'on',
    onchange: (e) => send({ type: 'setSetting', key: 'crossFileContext', value: (e.target as HTMLInputElement).checked ? 'on' : 'off' }) });
  const keepAlive = el('input', { type: 'text', value: s.keepAlive, onchange: (e) => send({ type: 'setSetting', key: 'keepAlive', value: valueOf(e).trim() }) });
  const languages = el('input', { type: 'text', value: s.disabledLanguages.join(', '), placeholder: 'markdown, plaintext',
    onchange: (e) => send({ type: 'setSetting', key: 'disabledLanguages', value: valueOf(e).split(',').map((x) => x.trim()).filter(Boolean) }) });
  $('other-settings').replaceChildren(
    field('Show completions while typing', enabled),
    field('Use other files as context', crossFile, 'Declarations of what you use from other files of the workspace, and similar code in your open files, go with the prompt (a quarter of it at most; excluded files never).'),
    field('Prompt format', format, 'SPM measured better on line infilling in the Code Llama paper, and lets Ollama reuse the previous prompt while you type.'),
    field('Context size (tokens)', number('contextTokens', s.contextTokens, L.contextTokens, 256), 'Prompt plus answer. More context uses more memory; changing it reloads the model.'),
    field('Max lines of a suggestion', number('maxLines', s.maxLines, L.maxLines, 1)),
    field('Temperature', number('temperature', s.temperature, L.temperature, 0.05), 'Low is best for a single suggestion.'),
    field('Alternatives temperature (Alt+])', number('alternativesTemperature', s.alternativesTemperature, L.temperature, 0.05)),
    field('Debounce (ms)', number('debounceMs', s.debounceMs, L.debounceMs, 10), 'Base wait after a keystroke; adapted to your typing rhythm.'),
    field('Keep model loaded (keep_alive)', keepAlive, 'e.g. 30m, 1h, -1 for always.'),
    field('Languages without completions', languages, 'Comma-separated language ids.'),
  );
}

window.addEventListener('message', (event: MessageEvent<ToSettingsView>) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'state':
      state = m.state;
      render();
      break;
    case 'pullProgress':
      pulls.set(m.model, m);
      render();
      break;
    case 'measureProgress':
      $('measure-status').textContent = `Measuring ${m.model}: ${m.done} of ${m.total}`;
      $('cancel-measure').hidden = false;
      break;
    case 'measureDone':
      $('measure-status').textContent = m.error ? m.error : m.cancelled ? 'Measuring cancelled.' : 'Measured.';
      $('cancel-measure').hidden = true;
      $<HTMLButtonElement>('measure').disabled = false;
      break;
    case 'connectionResult':
      $('connection-result').textContent = m.ok ? `Reachable: Ollama ${m.version}` : `Not reachable: ${m.message}`;
      break;
  }
});

$('measure').addEventListener('click', () => {
  $<HTMLButtonElement>('measure').disabled = true;
  $('cancel-measure').hidden = false;
  $('measure-status').textContent = 'Measuring…';
  send({ type: 'measure' });
});
$('cancel-measure').addEventListener('click', () => send({ type: 'cancelMeasure' }));
$('test-connection').addEventListener('click', () => send({ type: 'testConnection', host: $<HTMLInputElement>('host').value.trim() }));
$('host').addEventListener('change', (e) => send({ type: 'setSetting', key: 'host', value: valueOf(e).trim() }));
send({ type: 'ready' });
