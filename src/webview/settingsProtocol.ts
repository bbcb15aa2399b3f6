// Messages between the extension and the Settings webview; its script (scripts/settingsView.ts)
// imports the same types. As for the Explain panel (protocol.ts), everything from the webview is
// untrusted: `parseFromSettingsView` accepts only the exact shapes below (parseMessage) and returns
// a fresh object. It checks a `setSetting` value's *type family* only; the glue must call
// `validateSetting` before writing, which checks the value itself and says what is wrong.

import type { Measurement, PanelState } from '../settings/panelState';
import { CATALOGUE_MODELS, judgeCompletionModel } from '../settings/modelCatalogue';
import { normaliseHost } from '../settings/hostPolicy';
import { isValidKeepAlive, LIMITS, type KEYS } from '../settings/settings';
import { isOllamaModelName } from './protocol';
import { parseMessage, type Check, type MessageShapes } from './parseMessage';

export type ToSettingsView =
  | { type: 'state'; state: PanelState }
  | { type: 'pullProgress'; model: string; percent: number; completedBytes: number; totalBytes: number; status: string; done: boolean; error?: string }
  | { type: 'measureProgress'; model: string; done: number; total: number }
  | { type: 'measureDone'; measurements: Measurement[]; cancelled: boolean; error?: string }
  | { type: 'connectionResult'; ok: boolean; version?: string; message?: string };

/**
 * The settings the panel may edit: every key of KEYS but `exclude` (a list of globs that only adds
 * to fixed defaults is clearer in settings.json, where its description says so).
 */
export type SettingKey = Exclude<keyof typeof KEYS, 'exclude'>;

export type FromSettingsView =
  | { type: 'ready' }
  | { type: 'setSetting'; key: SettingKey; value: unknown }
  | { type: 'pull'; model: string }
  | { type: 'cancelPull'; model: string }
  | { type: 'measure' }
  | { type: 'cancelMeasure' }
  | { type: 'testConnection'; host: string }
  | { type: 'refresh' };

/** The models the panel can pull: the completion models (7B/13B code) and the explain models. */
export const PANEL_MODELS: readonly string[] = CATALOGUE_MODELS;

export const SETTING_LIMITS = {
  host: 2048,
  keepAlive: 32,
  customModel: 200,
  languageId: 100,
  languages: 200,
  /** Any string a setSetting message may carry. */
  text: 4096,
} as const;

type Result = { ok: true; value: unknown } | { ok: false; reason: string };

const SETTING_KEYS: readonly SettingKey[] = [
  'completionsEnabled', 'disabledLanguages', 'host', 'keepAlive', 'modelSize', 'customModel', 'promptFormat',
  'contextTokens', 'maxTokens', 'maxLines', 'temperature', 'alternativesTemperature', 'debounceMs', 'explainModelSize',
  'crossFileContext',
] satisfies readonly (keyof typeof KEYS)[];

const isSettingKey: Check = (v) => typeof v === 'string' && (SETTING_KEYS as readonly string[]).includes(v);
const isPanelModel: Check = (v) => typeof v === 'string' && PANEL_MODELS.includes(v);
const isHostText: Check = (v) => typeof v === 'string' && checkHost(v).ok;

/** The value families a setting can have: boolean, finite number, bounded string, array of strings. */
function isSettingValue(v: unknown): boolean {
  if (typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v === 'string') return v.length <= SETTING_LIMITS.text;
  return isStringArray(v) && v.length <= SETTING_LIMITS.languages;
}

function isStringArray(v: unknown): v is string[] {
  if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype) return false;
  // Dense, exactly the indexes (plus "length"), and only short strings.
  const keys = Reflect.ownKeys(v);
  if (keys.length !== v.length + 1) return false;
  for (let i = 0; i < v.length; i++) {
    const d = Object.getOwnPropertyDescriptor(v, i);
    if (!d || !('value' in d) || typeof d.value !== 'string' || d.value.length > SETTING_LIMITS.text) return false;
  }
  return true;
}

const SHAPES: MessageShapes<FromSettingsView> = {
  ready: {},
  setSetting: { key: isSettingKey, value: isSettingValue },
  pull: { model: isPanelModel },
  cancelPull: { model: isPanelModel },
  measure: {},
  cancelMeasure: {},
  testConnection: { host: isHostText },
  refresh: {},
};

export function parseFromSettingsView(message: unknown): FromSettingsView | undefined {
  return parseMessage(message, SHAPES);
}

// ---- validateSetting

const ok = (value: unknown): Result => ({ ok: true, value });
const fail = (reason: string): Result => ({ ok: false, reason });

function checkNumber(value: unknown, limits: { min: number; max: number }, integer: boolean, what: string): Result {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`${what} must be a number`);
  if (integer && !Number.isInteger(value)) return fail(`${what} must be a whole number`);
  if (value < limits.min || value > limits.max) return fail(`${what} must be between ${limits.min} and ${limits.max}`);
  return ok(value);
}

function checkEnum(value: unknown, allowed: readonly string[], what: string): Result {
  return typeof value === 'string' && allowed.includes(value) ? ok(value) : fail(`${what} must be one of ${allowed.join(', ')}`);
}

/**
 * An http(s) Ollama URL without credentials. The value written is the trimmed text, not
 * normaliseHost's result: the settings store normalises on every read, and normalising twice is not
 * the same ("https://h:443" → "https://h" → "https://h:11434").
 */
function checkHost(value: unknown): Result {
  if (typeof value !== 'string') return fail('The host must be a URL');
  const text = value.trim();
  if (!text || text.length > SETTING_LIMITS.host) return fail('The host must be an http(s) URL');
  // Whitespace, controls and backslashes are forgiven by the URL parser but mean something else elsewhere.
  if (/[\s\\\u0000-\u001f\u007f]/.test(text)) return fail('The host must not contain spaces, backslashes or control characters');
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(text) || /^[^/?#]*@/.test(text)) return fail('The host must not contain a user name or password');
  try {
    if (!new URL(normaliseHost(text)).hostname) return fail('The host must name a server');
  } catch {
    return fail('The host must be an http(s) URL, e.g. http://127.0.0.1:11434');
  }
  return ok(text);
}

// VS Code language ids: "typescript", "shellscript", "objective-c", "jsonc", "git-commit", "vue-html"…
const LANGUAGE_ID = /^[A-Za-z0-9_][A-Za-z0-9_.+#-]*$/;

function checkLanguages(value: unknown): Result {
  if (!isStringArray(value)) return fail('Disabled languages must be a list of language ids');
  if (value.length > SETTING_LIMITS.languages) return fail(`At most ${SETTING_LIMITS.languages} disabled languages`);
  const ids: string[] = [];
  for (const raw of value) {
    const id = raw.trim();
    if (!id || id.length > SETTING_LIMITS.languageId || !LANGUAGE_ID.test(id)) {
      return fail(`"${raw.slice(0, 40)}" is not a language id (e.g. markdown, plaintext)`);
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ok(ids);
}

function checkCustomModel(value: unknown): Result {
  if (typeof value !== 'string') return fail('The custom model must be an Ollama model name');
  const name = value.trim();
  if (name === '') return ok('');
  if (name.length > SETTING_LIMITS.customModel || !isOllamaModelName(name)) {
    return fail(`"${name.slice(0, 60)}" is not an Ollama model name (e.g. codellama:7b-code)`);
  }
  const verdict = judgeCompletionModel(name);
  return verdict.kind === 'refused' ? fail(verdict.reason) : ok(name);
}

function checkKeepAlive(value: unknown): Result {
  const text = typeof value === 'string' ? value.trim() : '';
  return text && text.length <= SETTING_LIMITS.keepAlive && isValidKeepAlive(text)
    ? ok(text) : fail('Keep alive must be a duration like 30m, 1h or 90s, a number of seconds, or -1 for always');
}

const VALIDATORS: Record<SettingKey, (value: unknown) => Result> = {
  completionsEnabled: (v) => (typeof v === 'boolean' ? ok(v) : fail('Enabled must be true or false')),
  disabledLanguages: checkLanguages,
  host: checkHost,
  keepAlive: checkKeepAlive,
  modelSize: (v) => checkEnum(v, ['7b', '13b'], 'The completion model size'),
  customModel: checkCustomModel,
  promptFormat: (v) => checkEnum(v, ['spm', 'psm'], 'The prompt format'),
  contextTokens: (v) => checkNumber(v, LIMITS.contextTokens, true, 'Context tokens'),
  maxTokens: (v) => checkNumber(v, LIMITS.maxTokens, true, 'Max tokens'),
  maxLines: (v) => checkNumber(v, LIMITS.maxLines, true, 'Max lines'),
  temperature: (v) => checkNumber(v, LIMITS.temperature, false, 'Temperature'),
  alternativesTemperature: (v) => checkNumber(v, LIMITS.temperature, false, 'Alternatives temperature'),
  debounceMs: (v) => checkNumber(v, LIMITS.debounceMs, true, 'Debounce'),
  explainModelSize: (v) => checkEnum(v, ['7b', '13b', '34b'], 'The explain model size'),
  crossFileContext: (v) => checkEnum(v, ['on', 'off'], 'Cross-file context'),
};

/**
 * Whether `value` may be written to the setting `key`. On success `value` is what to write:
 * trimmed strings, language ids de-duplicated.
 */
export function validateSetting(key: SettingKey, value: unknown): Result {
  if (!isSettingKey(key)) return fail('Unknown setting');
  return VALIDATORS[key](value);
}
