// One streamed explanation from Code Llama - Instruct through /api/chat.
// The chat template of the model adds [INST]/<<SYS>>; `stop` is not overridden so the template's
// own stops stay in force (a request's `stop` replaces the model's list).

import { OllamaError, streamChat, toOllamaError, type StreamTimeouts } from '../ollama/client';
import type { ToExplainView } from '../webview/protocol';
import type { ExplainPrompt } from './explainPrompt';

/** Load-time option: the same on every explain request, or Ollama reloads the model. */
export const EXPLAIN_NUM_CTX = 4096;
export const EXPLAIN_NUM_PREDICT = 1024;
/** The prompt budget: context minus the answer (buildExplainPrompt subtracts the template's tokens). */
export const EXPLAIN_PROMPT_BUDGET = EXPLAIN_NUM_CTX - EXPLAIN_NUM_PREDICT;
/** Meta's instruct examples use 0.2: focused, but not stuck in loops. */
export const EXPLAIN_TEMPERATURE = 0.2;
/**
 * No headers within 120 s, or 30 s without a line once streaming, ends the explanation with an
 * error (keeping what arrived). Longer than for completions: the instruct model is often not loaded
 * (it may have to replace the completion model), can be 34B, and the user is watching a panel
 * that has a Stop button.
 */
export const EXPLAIN_TIMEOUTS: StreamTimeouts = { headersMs: 120_000, idleMs: 30_000 };
/**
 * An answer is 1024 tokens at most (a few KB); a misbehaving server can still send one huge token.
 * Past this the rest is dropped and the request stopped, so the panel never renders megabytes.
 */
export const EXPLAIN_MAX_CHARS = 64 * 1024;

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
  onText: (text: string) => void, timeouts: StreamTimeouts = EXPLAIN_TIMEOUTS): Promise<ExplainOutcome> {
  let text = '';
  try {
    const stream = streamChat(request.host, {
      model: request.model,
      messages: request.prompt.messages,
      keep_alive: request.keepAlive,
      options: { num_ctx: EXPLAIN_NUM_CTX, num_predict: EXPLAIN_NUM_PREDICT, temperature: EXPLAIN_TEMPERATURE },
    }, signal, timeouts);
    for await (const part of stream) {
      if (!part.message?.content) continue;
      text += part.message.content;
      if (text.length > EXPLAIN_MAX_CHARS) {
        // Returning leaves the loop, and leaving the stream's loop aborts its HTTP request.
        text = text.slice(0, EXPLAIN_MAX_CHARS);
        onText(text);
        return { kind: 'failed', text, error: new OllamaError('server',
          `The answer was longer than ${EXPLAIN_MAX_CHARS / 1024} KB; the rest was dropped.`) };
      }
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

/**
 * What the panel is sent when a run ends: the whole text that arrived (rendered by `render`) and
 * how it ended. A failure after some text keeps that text and marks the answer incomplete.
 */
export function endMessages(outcome: ExplainOutcome, requestId: number, request: Pick<ExplainRequest, 'host' | 'model'>,
  render: (markdown: string) => string): ToExplainView[] {
  if (outcome.kind === 'done') return [{ type: 'done', requestId, html: render(outcome.text) }];
  const messages: ToExplainView[] = outcome.text ? [{ type: 'chunk', requestId, html: render(outcome.text) }] : [];
  if (outcome.kind === 'stopped') return [...messages, { type: 'stopped', requestId }];
  const { error } = outcome;
  const kind = error.kind === 'unreachable' ? 'unreachable' : error.kind === 'modelMissing' ? 'modelMissing' : 'failed';
  const message = kind === 'unreachable'
    ? `Cannot reach Ollama at ${request.host}. Start it (ollama serve), then retry.`
    : kind === 'modelMissing' ? `The model ${request.model} is not installed.` : error.message;
  return [...messages, { type: 'error', requestId, kind, message, model: request.model, incomplete: outcome.text !== '' }];
}
