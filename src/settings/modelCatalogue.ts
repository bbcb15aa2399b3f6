// The Code Llama models Infill knows, which may serve completions, and how Ollama names match.
// Code Llama 7B and 13B base ("code") models were trained with the infilling objective;
// 34B was not (paper v3 §2.1), so it is refused instead of producing confident garbage.
// Every place that names or compares models (engine, set-up context, Settings panel, Explain)
// goes through here, so "codellama:7b-code" and "codellama:7b-code:latest"-style spellings agree.

import type { CompletionModelSize, ExplainModelSize, Settings } from './settings';

export const COMPLETION_MODELS = {
  '7b': 'codellama:7b-code',
  '13b': 'codellama:13b-code',
} as const satisfies Record<CompletionModelSize, string>;

/** Code Llama - Instruct for explanations; every size may be used (no infilling involved). */
export const EXPLAIN_MODELS = {
  '7b': 'codellama:7b-instruct',
  '13b': 'codellama:13b-instruct',
  '34b': 'codellama:34b-instruct',
} as const satisfies Record<ExplainModelSize, string>;

export const COMPLETION_SIZES: readonly CompletionModelSize[] = ['7b', '13b'];
export const EXPLAIN_SIZES: readonly ExplainModelSize[] = ['7b', '13b', '34b'];

/** The completion model the Settings panel shows for 34B, only to say why it cannot be chosen. */
export const COMPLETION_34B_MODEL = 'codellama:34b-code';

export const COMPLETION_34B_REASON =
  'Code Llama 34B was not trained for fill-in-the-middle, so it cannot complete code between the lines before and ' +
  'after the cursor. Use 7B or 13B.';

/** Every model of the catalogue Infill may pull: the completion models, then the explain models. */
export const CATALOGUE_MODELS: readonly string[] = Object.freeze([
  ...Object.values(COMPLETION_MODELS), ...Object.values(EXPLAIN_MODELS),
]);

export function completionModelName(settings: Pick<Settings, 'customModel' | 'modelSize'>): string {
  return settings.customModel || COMPLETION_MODELS[settings.modelSize];
}

export function explainModelName(settings: Pick<Settings, 'explainModelSize'>): string {
  return EXPLAIN_MODELS[settings.explainModelSize];
}

export type ModelVerdict =
  | { kind: 'known' }
  | { kind: 'refused'; reason: string }
  /** A custom tag: ask the server (/api/show) once before using it. */
  | { kind: 'check' };

const THIRTY_FOUR_B = /(^|[^0-9a-z])34b([^0-9a-z]|$)/i;
const ALTERNATIVES = `Use ${COMPLETION_MODELS['7b']} or ${COMPLETION_MODELS['13b']}.`;

/** The registry Ollama pulls from when a name names none: the public Ollama library. */
const OLLAMA_REGISTRY = 'registry.ollama.ai';

/**
 * The registry host a model name names, or undefined for the public Ollama library. Ollama reads
 * `host/namespace/model:tag` (three parts: the first is a host) and `namespace/model:tag`; a first
 * part that can only be a host (a dot, a port, `localhost`: `registry.example/m`, `localhost:5000/m`)
 * is taken as one too, as container registries do, since pulling it would not reach the library.
 */
export function modelRegistry(name: string): string | undefined {
  const parts = name.trim().split('/');
  if (parts.length < 2) return undefined;
  const first = parts[0].toLowerCase();
  const isHost = parts.length >= 3 || first.includes('.') || first.includes(':') || first === 'localhost';
  return isHost && first !== OLLAMA_REGISTRY ? first : undefined;
}

export function judgeCompletionModel(name: string): ModelVerdict {
  if ((Object.values(COMPLETION_MODELS) as string[]).includes(name)) return { kind: 'known' };
  const registry = modelRegistry(name);
  if (registry !== undefined) {
    return {
      kind: 'refused',
      reason: `${name} names the registry ${registry}: Infill uses models of the Ollama library only, so that a ` +
        `setting cannot make Ollama download from elsewhere a model that writes your code. To use it anyway, pull it ` +
        `yourself and copy it to a library-style name (ollama cp). ${ALTERNATIVES}`,
    };
  }
  if (THIRTY_FOUR_B.test(name)) {
    return {
      kind: 'refused',
      reason: `${name} cannot be used for completions: Code Llama 34B was not trained for fill-in-the-middle. ${ALTERNATIVES}`,
    };
  }
  return { kind: 'check' };
}

/** The verdict on a custom tag once /api/show answered with its capabilities. */
export function judgeCustomModel(name: string, capabilities: readonly string[] | undefined): ModelVerdict {
  if (capabilities?.includes('insert') || /-code(\b|$|[-_:.])/i.test(name)) return { kind: 'known' };
  return {
    kind: 'refused',
    reason: `${name} does not support fill-in-the-middle (no "insert" capability and not a -code tag). ${ALTERNATIVES}`,
  };
}

/**
 * The name Ollama resolves: the tag defaults to "latest" and the default registry/namespace may be
 * spelled out; Ollama compares names case-insensitively.
 */
export function canonicalModelName(name: string): string {
  let value = name.trim().toLowerCase();
  for (const prefix of ['registry.ollama.ai/library/', 'library/']) {
    if (value.startsWith(prefix)) value = value.slice(prefix.length);
  }
  return value.slice(value.lastIndexOf('/') + 1).includes(':') ? value : `${value}:latest`;
}

/** Same model for Ollama ("codellama" and "codellama:latest" are one model). */
export function sameModel(a: string, b: string): boolean {
  return canonicalModelName(a) === canonicalModelName(b);
}

/** Whether `model` is among `installed` (the names /api/tags lists), as Ollama would resolve it. */
export function isInstalled(model: string, installed: readonly string[]): boolean {
  return installed.some((name) => sameModel(name, model));
}
