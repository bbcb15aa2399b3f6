// One typed, validated, read-only view of the `infill.*` settings.
// Pure: the VS Code glue passes a `get` function, tests pass a plain object.

import { DEFAULT_EXCLUDE, effectiveExclude } from './excludePolicy';

export type PromptFormat = 'spm' | 'psm';
export type CompletionModelSize = '7b' | '13b';
export type ExplainModelSize = '7b' | '13b' | '34b';

export interface Settings {
  readonly completionsEnabled: boolean;
  readonly disabledLanguages: readonly string[];
  /** Glob patterns of files never sent to the model: the defaults plus what settings add. */
  readonly exclude: readonly string[];
  readonly host: string;
  readonly keepAlive: string;
  readonly modelSize: CompletionModelSize;
  /** A custom completion model tag; empty means "use modelSize". */
  readonly customModel: string;
  readonly promptFormat: PromptFormat;
  /** num_ctx: the whole context (prompt + generated tokens). */
  readonly contextTokens: number;
  /** num_predict: the most tokens one completion may generate. */
  readonly maxTokens: number;
  readonly maxLines: number;
  readonly temperature: number;
  readonly alternativesTemperature: number;
  readonly debounceMs: number;
  /** Code Llama - Instruct size for "Explain selection" (34B is fine: no infilling needed). */
  readonly explainModelSize: ExplainModelSize;
  /** Snippets of other workspace files in the completion prompt (crossFile/). */
  readonly crossFileContext: 'on' | 'off';
}

export const DEFAULT_HOST = 'http://127.0.0.1:11434';

export const DEFAULTS: Settings = {
  completionsEnabled: true,
  disabledLanguages: [],
  exclude: DEFAULT_EXCLUDE,
  host: DEFAULT_HOST,
  keepAlive: '30m',
  modelSize: '7b',
  customModel: '',
  promptFormat: 'spm',
  contextTokens: 4096,
  maxTokens: 256,
  maxLines: 8,
  temperature: 0.1,
  alternativesTemperature: 0.8,
  debounceMs: 60,
  explainModelSize: '7b',
  crossFileContext: 'on',
};

/** Limits shared with package.json's schema; values outside are clamped. */
export const LIMITS = {
  contextTokens: { min: 1024, max: 100_000 },
  maxTokens: { min: 16, max: 2048 },
  maxLines: { min: 1, max: 50 },
  temperature: { min: 0, max: 2 },
  debounceMs: { min: 0, max: 2000 },
} as const;

/** The setting keys below `infill.`, in the shape VS Code's `getConfiguration('infill').get` takes. */
export const KEYS = {
  completionsEnabled: 'completion.enabled',
  disabledLanguages: 'completion.disabledLanguages',
  exclude: 'exclude',
  host: 'ollama.host',
  keepAlive: 'ollama.keepAlive',
  modelSize: 'completion.modelSize',
  customModel: 'completion.customModel',
  promptFormat: 'completion.promptFormat',
  contextTokens: 'completion.contextTokens',
  maxTokens: 'completion.maxTokens',
  maxLines: 'completion.maxLines',
  temperature: 'completion.temperature',
  alternativesTemperature: 'completion.alternativesTemperature',
  debounceMs: 'completion.debounceMs',
  explainModelSize: 'explain.modelSize',
  crossFileContext: 'completion.crossFileContext',
} as const satisfies Record<keyof Settings, string>;

export type Getter = (key: string) => unknown;

function num(value: unknown, fallback: number, limits: { min: number; max: number }, integer = true): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  const clamped = Math.min(limits.max, Math.max(limits.min, value));
  return integer ? Math.round(clamped) : clamped;
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

/** A keep_alive Ollama accepts: a duration like "30m"/"1h30m"/"45s", a number of seconds, or "-1". */
export function isValidKeepAlive(value: string): boolean {
  return /^-?\d+$/.test(value) || /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value);
}

export function readSettings(get: Getter): Settings {
  const keepAlive = str(get(KEYS.keepAlive), DEFAULTS.keepAlive);
  const languages = get(KEYS.disabledLanguages);
  const modelSize = get(KEYS.modelSize);
  const explainSize = get(KEYS.explainModelSize);
  return {
    completionsEnabled: typeof get(KEYS.completionsEnabled) === 'boolean'
      ? (get(KEYS.completionsEnabled) as boolean) : DEFAULTS.completionsEnabled,
    disabledLanguages: Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : [],
    // The defaults cannot be removed: a value adds patterns (see excludePolicy).
    exclude: effectiveExclude(get(KEYS.exclude)),
    host: str(get(KEYS.host), DEFAULTS.host) || DEFAULTS.host,
    keepAlive: isValidKeepAlive(keepAlive) ? keepAlive : DEFAULTS.keepAlive,
    modelSize: modelSize === '13b' ? '13b' : '7b',
    customModel: str(get(KEYS.customModel), ''),
    promptFormat: get(KEYS.promptFormat) === 'psm' ? 'psm' : 'spm',
    contextTokens: num(get(KEYS.contextTokens), DEFAULTS.contextTokens, LIMITS.contextTokens),
    maxTokens: num(get(KEYS.maxTokens), DEFAULTS.maxTokens, LIMITS.maxTokens),
    maxLines: num(get(KEYS.maxLines), DEFAULTS.maxLines, LIMITS.maxLines),
    temperature: num(get(KEYS.temperature), DEFAULTS.temperature, LIMITS.temperature, false),
    alternativesTemperature: num(get(KEYS.alternativesTemperature), DEFAULTS.alternativesTemperature,
      LIMITS.temperature, false),
    debounceMs: num(get(KEYS.debounceMs), DEFAULTS.debounceMs, LIMITS.debounceMs),
    explainModelSize: explainSize === '13b' || explainSize === '34b' ? explainSize : '7b',
    crossFileContext: get(KEYS.crossFileContext) === 'off' ? 'off' : 'on',
  };
}

/** A setting's value at each level, as VS Code's `inspect` reports it (undefined: not set there). */
export interface SettingLevels {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/**
 * Settings that decide where code goes, which model answers it and how much memory it takes: read
 * from the user's settings only. A repository's `.vscode/settings.json` is written by whoever wrote
 * the repository, and VS Code applies it also in Restricted Mode for most scopes; these have
 * `application` scope in package.json as well, so VS Code itself ignores a workspace value.
 */
export const USER_ONLY: readonly (keyof Settings)[] = [
  'host', 'customModel', 'modelSize', 'contextTokens', 'maxTokens', 'keepAlive', 'explainModelSize',
  // Which other files' code goes with a completion: the user's call, as where it goes is.
  'crossFileContext',
];

/** Lists that say what is never sent: every level adds to them, so a workspace cannot remove an entry. */
const ADDITIVE: readonly (keyof Settings)[] = ['exclude', 'disabledLanguages'];

/**
 * Settings from each key's levels, by who may set what: USER_ONLY keys from the user level,
 * ADDITIVE lists from every level together, `completionsEnabled` off when any level turns it off (a
 * workspace may keep its code to itself, not send it when the user said no), the others the most
 * specific level's value, as VS Code's `get` would give.
 */
export function readLayeredSettings(inspect: (key: string) => SettingLevels | undefined): Settings {
  const keyName = new Map<string, keyof Settings>(Object.entries(KEYS).map(([name, key]) => [key, name as keyof Settings]));
  return readSettings((key) => {
    const levels = inspect(key);
    const name = keyName.get(key);
    if (!levels || !name) return undefined;
    const { globalValue, workspaceValue, workspaceFolderValue } = levels;
    if (USER_ONLY.includes(name)) return globalValue;
    const all = [globalValue, workspaceValue, workspaceFolderValue];
    if (ADDITIVE.includes(name)) return [...new Set(all.flatMap((list) => (Array.isArray(list) ? list as unknown[] : [])))];
    if (name === 'completionsEnabled') return !all.includes(false);
    return workspaceFolderValue ?? workspaceValue ?? globalValue;
  });
}

/** Settings from a plain object keyed like KEYS (tests, benchmark). */
export function settingsFrom(values: Partial<Settings>): Settings {
  return { ...DEFAULTS, ...values };
}
