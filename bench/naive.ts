// The naive baseline: what the simplest Ollama completion extension does. On every keystroke it
// sends the whole file around the cursor as a PSM prompt (Ollama's own `suffix` template) and waits
// for the whole answer: no debounce, no abort (a cancelled call's request runs on), no cache, no
// window. It uses the `ollama` package directly, like such an extension would.

import { Ollama } from 'ollama';
import type { CompletionRequest } from '../src/completion/completionEngine';

export const NAIVE_MODEL = 'codellama:7b-code';

/** The whole document split at the cursor: what the naive extension puts in its prompt. */
export function wholeFileAround(request: CompletionRequest): { prefix: string; suffix: string } {
  const { lines, cursor } = request;
  const all: string[] = [];
  for (let i = 0; i < lines.lineCount; i++) all.push(lines.lineAt(i));
  const text = all.join('\n');
  let offset = 0;
  for (let i = 0; i < cursor.line; i++) offset += all[i].length + 1;
  offset += cursor.character;
  return { prefix: text.slice(0, offset), suffix: text.slice(offset) };
}

/** One naive provider call: `_signal` is ignored, as the simplest extension does. */
export async function naiveComplete(host: string, request: CompletionRequest, _signal: AbortSignal): Promise<string[]> {
  const { prefix, suffix } = wholeFileAround(request);
  try {
    const answer = await new Ollama({ host }).generate({
      model: NAIVE_MODEL,
      prompt: prefix,
      suffix,
      stream: false,
      options: { temperature: 0.1, num_predict: 256, stop: ['<EOT>'] },
    });
    const text = (answer.response ?? '').trimEnd();
    return text.trim() === '' ? [] : [text];
  } catch {
    return [];
  }
}
