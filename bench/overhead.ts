// Per-request overhead of the pure pipeline (window selection, token budgeting, prompt building,
// cache lookup, post-processing) on large documents, with no model: what the extension itself
// costs per keystroke. Prints p50/p99 in ms and as a share of a 200 ms time to first token.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompletionCache } from '../src/completion/completionCache';
import { selectWindow, type LineSource, type WindowEdges } from '../src/completion/contextWindow';
import { buildFimPrompt } from '../src/completion/fimPrompt';
import { postprocess, surroundingsOf } from '../src/completion/postprocess';
import { PROMPT_OVERHEAD_TOKENS } from '../src/completion/completionEngine';

/** Real TypeScript from the installed dependencies, repeated to the wanted length. */
function sourceLines(count: number): string[] {
  const dir = 'node_modules/typescript/lib';
  const text = readdirSync(dir).filter((f) => f.endsWith('.d.ts')).sort()
    .map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  while (out.length < count) out.push(...lines.slice(0, count - out.length));
  return out;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const budget = 4096 - 256 - PROMPT_OVERHEAD_TOKENS;
const rows: string[] = [];
for (const size of [1_000, 10_000, 100_000]) {
  const lines = sourceLines(size);
  const doc: LineSource = { lineCount: lines.length, lineAt: (i) => lines[i] };
  const cache = new CompletionCache();
  const times: number[] = [];
  let edges: WindowEdges | undefined;
  for (let i = 0; i < 2000; i++) {
    // Cursor positions spread over the document, then a few keystrokes at each.
    const line = Math.floor(((i >> 3) * 7919) % size);
    const cursor = { line, character: Math.min(lines[line].length, (i & 7) * 3) };
    const t0 = performance.now();
    const window = selectWindow(doc, cursor, budget, (i & 7) === 0 ? undefined : edges);
    edges = window.edges;
    const fim = buildFimPrompt(window.prefix, window.suffix, 'spm');
    const hit = cache.findTypingThrough('m', window.suffix, window.prefix);
    if (!hit) cache.set({ optionsKey: 'm', promptPrefix: fim.promptPrefix, suffix: window.suffix, texts: ['foo(bar)'] });
    postprocess(' value)', surroundingsOf(window.prefix, window.suffix, window.linePrefix, window.lineSuffix));
    times.push(performance.now() - t0);
  }
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  rows.push(`| ${size.toLocaleString('en')} lines | ${p50.toFixed(3)} | ${p99.toFixed(3)} | ${((p50 / 200) * 100).toFixed(2)} % | ${((p99 / 200) * 100).toFixed(2)} % |`);
}
console.log('Per-request overhead (num_ctx 4096, num_predict 256), 2000 requests per size\n');
console.log('| document | p50 ms | p99 ms | p50 / 200 ms TTFT | p99 / 200 ms TTFT |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
