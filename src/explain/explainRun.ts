// One streamed explanation from Code Llama - Instruct through /api/chat.
// The chat template of the model adds [INST]/<<SYS>>; `stop` is not overridden so the template's
// own stops stay in force (a request's `stop` replaces the model's list).

import { streamChat, toOllamaError, type OllamaError } from '../ollama/client';
import type { ExplainPrompt } from './explainPrompt';

/** Load-time option: the same on every explain request, or Ollama reloads the model. */
export const EXPLAIN_NUM_CTX = 4096;
export const EXPLAIN_NUM_PREDICT = 1024;
/** The prompt budget: context minus the answer (buildExplainPrompt subtracts the template's tokens). */
export const EXPLAIN_PROMPT_BUDGET = EXPLAIN_NUM_CTX - EXPLAIN_NUM_PREDICT;
/** Meta's instruct examples use 0.2: focused, but not stuck in loops. */
export const EXPLAIN_TEMPERATURE = 0.2;

export type ExplainOutcome =
  | { kind: 'done'; text: string }
  | { kind: 'stopped'; text: string }
  | { kind: 'failed'; text: string; error: OllamaError };

export interface ExplainRequest {
  readonly host: string;
  readonly model: string;
  readonly keepAlive: string;
  readonly prompt: ExplainPrompt;
}

/** Stream the answer, calling `onText` with the whole text so far; never throws. */
export async function runExplanation(request: ExplainRequest, signal: AbortSignal,
  onText: (text: string) => void): Promise<ExplainOutcome> {
  let text = '';
  try {
    const stream = streamChat(request.host, {
      model: request.model,
      messages: request.prompt.messages,
      keep_alive: request.keepAlive,
      options: { num_ctx: EXPLAIN_NUM_CTX, num_predict: EXPLAIN_NUM_PREDICT, temperature: EXPLAIN_TEMPERATURE },
    }, signal);
    for await (const part of stream) {
      if (!part.message?.content) continue;
      text += part.message.content;
      onText(text);
    }
    return { kind: 'done', text };
  } catch (err) {
    const error = toOllamaError(err, signal);
    return error.kind === 'aborted' ? { kind: 'stopped', text } : { kind: 'failed', text, error };
  }
}

/** The log line for a failed explanation: the error only, never the prompt or the answer (the user's code). */
export function explainFailureLogLine(error: OllamaError): string {
  return `explain failed (${error.kind}${error.status ? ' ' + error.status : ''}): ${error.message}`;
}
