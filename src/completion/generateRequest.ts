// The /api/generate body of a fill-in-the-middle prompt: one builder for completions and for the
// Measure feature, so a measurement uses exactly the request shape completions use.

import type { StreamGenerateRequest } from '../ollama/client';
import type { Settings } from '../settings/settings';
import { STOP_TOKENS } from './fimPrompt';

/** What differs between requests for the same settings. */
export interface Sampling {
  readonly temperature: number;
  /** Tokens the answer may take. */
  readonly numPredict: number;
}

export function generateRequest(model: string, prompt: string,
  settings: Pick<Settings, 'keepAlive' | 'contextTokens'>, sampling: Sampling): StreamGenerateRequest {
  return {
    model,
    prompt,
    raw: true,
    keep_alive: settings.keepAlive,
    options: {
      // Load-time options (num_ctx) are the same on every request: a change reloads the model.
      num_ctx: settings.contextTokens,
      num_predict: sampling.numPredict,
      temperature: sampling.temperature,
      top_p: 0.95,
      stop: [...STOP_TOKENS],
    },
  };
}
