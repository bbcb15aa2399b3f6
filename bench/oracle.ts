// The fake model's answer in the trace replay: the TRUE continuation of the file being typed, i.e.
// what a perfect Code Llama would write. The answer starts where the prompt's prefix ends (so a
// healed SPM prompt gets the whole word back) and runs to the end of that line and two more lines,
// or to the end of the typed stretch (where the real suffix begins), then <EOT>. It is streamed as
// real Llama tokens, so "15 ms per token" means what it would with Code Llama.

import type { GenerateScript } from '../test/support/fakeOllama';
import type { Source } from './sources';

export type Pieces = (text: string) => string[];

/** Split text into Llama token pieces (llama-tokenizer-js), or word-ish pieces without it. */
export async function loadPieces(): Promise<Pieces> {
  try {
    const m: any = await import('llama-tokenizer-js');
    const tok: any = m.default?.encode ? m.default : m.default.default;
    const decoder = new TextDecoder();
    return (text) => {
      if (text === '') return [];
      const out: string[] = [];
      let bytes: number[] = [];
      for (const id of tok.encode(text, false, false, false) as number[]) {
        const piece: string = tok.vocabById[id];
        const byte = /^<0x([0-9A-F]{2})>$/.exec(piece);
        if (byte) {
          bytes.push(parseInt(byte[1], 16));
          const decoded = decoder.decode(new Uint8Array(bytes), { stream: true });
          if (decoded) { out.push(decoded); bytes = []; }
        } else {
          out.push(piece.replaceAll('\u2581', ' '));
        }
      }
      return out;
    };
  } catch {
    return (text) => text.match(/ ?\w{1,6}|\s|[^\w\s]/g) ?? [];
  }
}

/** The prefix the model is asked to continue, from an /api/generate body (raw SPM/PSM, or prompt+suffix). */
export function promptPrefixOf(body: { prompt?: string; raw?: boolean; suffix?: string }): string {
  const prompt = body.prompt ?? '';
  if (!body.raw) return prompt; // Ollama's own insert template: prompt is the prefix
  if (prompt.startsWith('<PRE> <SUF>')) { // SPM (or PSM with an empty prefix: the same text)
    const mid = prompt.indexOf(' <MID>');
    const prefix = prompt.slice(mid + ' <MID>'.length);
    return prefix.startsWith(' ') ? prefix.slice(1) : prefix;
  }
  return prompt.slice('<PRE> '.length, prompt.indexOf(' <SUF>'));
}

/** How many lines an answer runs to (the rest of the cursor line counts as one). */
export const ANSWER_LINES = 3;

/**
 * Where in the file the answer to `prefix` starts, given the document text before the cursor
 * when it was asked (`before`): the prefix ends at most a healed word before the cursor. A typo in
 * the prompt has no true continuation: the answer then starts after the last correctly typed
 * character, as the model cannot know better.
 */
export function answerStart(source: Source, before: string, prefix: string): number | undefined {
  let h = 0;
  while (h <= 64 && !(before.length - h >= prefix.length && before.endsWith(prefix, before.length - h))) h++;
  if (h > 64) return undefined;
  let correct = source.start;
  while (correct < before.length && correct < source.end && before[correct] === source.text[correct]) correct++;
  return Math.min(before.length - h, correct);
}

/** The true middle from `start`: to the end of ANSWER_LINES lines, or of the typed stretch. */
export function trueAnswer(source: Source, start: number): string {
  let cap = start;
  for (let n = 0; n < ANSWER_LINES && cap !== -1 && cap < source.end; n++) {
    cap = source.text.indexOf('\n', n === 0 ? cap : cap + 1);
  }
  return source.text.slice(start, cap === -1 ? source.end : Math.min(cap, source.end));
}

/**
 * The fake's generate script for one replay: `beforeCursor(call)` is the document text before the
 * cursor at the provider call that sent the request (the bench tags each request with it);
 * `ownPrefix` takes a cross-file context block off the prompt's prefix (the file's own text is what
 * the answer continues).
 */
export function oracleScript(source: Source, pieces: Pieces, beforeCursor: (body: any) => string | undefined,
  onUnplaced: () => void, ownPrefix: (prefix: string) => string = (prefix) => prefix): (body: any) => GenerateScript {
  return (body) => {
    const before = beforeCursor(body);
    const start = before === undefined ? undefined : answerStart(source, before, ownPrefix(promptPrefixOf(body)));
    if (start === undefined) {
      onUnplaced();
      return { tokens: ['<EOT>'] };
    }
    return { tokens: [...pieces(trueAnswer(source, start)), '<EOT>'] };
  };
}
