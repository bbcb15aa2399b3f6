// Which models may serve fill-in-the-middle completions.
// Code Llama 7B and 13B base ("code") models were trained with the infilling objective;
// 34B was not (paper v3 §2.1), so it is refused instead of producing confident garbage.

import type { Settings } from './settings';

export const COMPLETION_MODELS = {
  '7b': 'codellama:7b-code',
  '13b': 'codellama:13b-code',
} as const;

/** Code Llama - Instruct for explanations; every size may be used (no infilling involved). */
export function explainModelName(settings: Pick<Settings, 'explainModelSize'>): string {
  return `codellama:${settings.explainModelSize}-instruct`;
}

export type ModelVerdict =
  | { kind: 'known' }
  | { kind: 'refused'; reason: string }
  /** A custom tag: ask the server (/api/show) once before using it. */
  | { kind: 'check' };

const THIRTY_FOUR_B = /(^|[^0-9a-z])34b([^0-9a-z]|$)/i;

export function completionModelName(settings: Pick<Settings, 'customModel' | 'modelSize'>): string {
  return settings.customModel || COMPLETION_MODELS[settings.modelSize];
}

export function judgeCompletionModel(name: string): ModelVerdict {
  if ((Object.values(COMPLETION_MODELS) as string[]).includes(name)) return { kind: 'known' };
  if (THIRTY_FOUR_B.test(name)) {
    return {
      kind: 'refused',
      reason: `${name} cannot be used for completions: Code Llama 34B was not trained for fill-in-the-middle. ` +
        'Use codellama:7b-code or codellama:13b-code.',
    };
  }
  return { kind: 'check' };
}

/** The verdict on a custom tag once /api/show answered with its capabilities. */
export function judgeCustomModel(name: string, capabilities: readonly string[] | undefined): ModelVerdict {
  if (capabilities?.includes('insert') || /-code(\b|$|[-_:.])/i.test(name)) return { kind: 'known' };
  return {
    kind: 'refused',
    reason: `${name} does not support fill-in-the-middle (no "insert" capability and not a -code tag). ` +
      'Use codellama:7b-code or codellama:13b-code.',
  };
}
