// Per-request overhead of the extension itself, no model: on documents of 1k, 10k and 100k lines of
// real TypeScript (one 1,000-line block repeated, so the text around the cursor is the same in every
// size), with the cursor at several places (top, quarter, middle, three quarters, last line) and a
// few keystrokes typed at each, as the engine sees them.
// - pipeline: the pure steps of one keystroke (window selection with kept edges and token budget,
//   prompt building with healing, cache lookups, shape, surroundings, post-processing);
// - engine: CompletionEngine.complete() end to end for a keystroke served from the cache (typing
//   through an answer of the fake Ollama), i.e. everything but the network;
// - naive: what the baseline does per keystroke before the network (whole file read and joined,
//   split at the cursor, request body serialised).
// Also counts the lines read per request: it must not grow with the document.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CompletionCache } from '../src/completion/completionCache';
import { CompletionEngine, PROMPT_OVERHEAD_TOKENS, type CompletionRequest } from '../src/completion/completionEngine';
import { completionShape } from '../src/completion/completionShape';
import { selectWindow, type WindowEdges } from '../src/completion/contextWindow';
import type { LineSource } from '../src/text/lineSource';
import { buildFimPrompt } from '../src/completion/fimPrompt';
import { postprocess, surroundingsOf } from '../src/completion/postprocess';
import { DEFAULTS, settingsFrom } from '../src/settings/settings';
import { silentLogger } from '../src/util/log';
import { FakeOllama } from '../test/support/fakeOllama';
import { never } from '../test/support/never';
import { wholeFileAround } from './naive';
import { percentile } from './stats';

export const SIZES = [1_000, 10_000, 100_000] as const;
const KEYS_PER_PLACE = 8;
const ANSWER = 'value = compute(alpha, beta); // done';

export interface Timing { readonly p50: number; readonly p99: number; readonly samples: number }
export interface OverheadRow {
  readonly lines: number;
  readonly pipeline: Timing;
  readonly engine: Timing;
  readonly naive: Timing;
  /** Lines read per request (median) by the pipeline, and by the naive baseline. */
  readonly linesRead: number;
  readonly naiveLinesRead: number;
}

/** A block of real TypeScript (1,000 lines of TypeScript's own lib.es5.d.ts). */
export function sourceBlock(): string[] {
  const lines = readFileSync('node_modules/typescript/lib/lib.es5.d.ts', 'utf8').split(/\r?\n/);
  return lines.slice(500, 1500);
}

/**
 * A document of `count` lines: the block repeated, so that the text around each cursor place is
 * the same in every size and only the size differs.
 */
export function sourceLines(count: number): string[] {
  const block = sourceBlock();
  const out: string[] = [];
  while (out.length < count) out.push(...block.slice(0, count - out.length));
  return out;
}

/** The cursor places: which block (share of the document) and which line in it. */
const PLACES: readonly (readonly [number, number])[] = [[0, 40], [0.25, 250], [0.5, 500], [0.75, 750], [1, 999]];

function placeLine([share, offset]: readonly [number, number], lineCount: number): number {
  const blocks = Math.ceil(lineCount / 1000);
  return Math.min(lineCount - 1, Math.round(share * (blocks - 1)) * 1000 + offset);
}

/** A document that counts the lines read; `type` inserts at the cursor like a keystroke. */
class CountingDocument {
  reads = 0;
  line = 0;
  character = 0;
  constructor(readonly lines: string[], readonly key: string) {}
  moveTo(line: number): void {
    this.line = line;
    this.character = this.lines[line].length;
  }
  type(text: string): void {
    const l = this.lines[this.line];
    this.lines[this.line] = l.slice(0, this.character) + text + l.slice(this.character);
    this.character += text.length;
  }
  request(): CompletionRequest {
    const source: LineSource = { lineCount: this.lines.length, lineAt: (i) => (this.reads++, this.lines[i]) };
    return { documentKey: this.key, lines: source, cursor: { line: this.line, character: this.character }, explicit: false };
  }
}

const timing = (values: number[]): Timing => ({ p50: percentile(values, 50), p99: percentile(values, 99), samples: values.length });

/** The pure steps of CompletionPipeline.serve for one keystroke, with an answer to post-process. */
function pipelineOnce(doc: CountingDocument, cache: CompletionCache, edges: WindowEdges | undefined): WindowEdges {
  const budget = DEFAULTS.contextTokens - DEFAULTS.maxTokens - PROMPT_OVERHEAD_TOKENS;
  const request = doc.request();
  const window = selectWindow(request.lines, request.cursor, budget, edges);
  const around = surroundingsOf(window.prefix, window.suffix, window.linePrefix, window.lineSuffix);
  const fim = buildFimPrompt(window.prefix, window.suffix, 'spm');
  const ctx = { optionsKey: 'm|spm', promptPrefix: fim.promptPrefix, suffix: window.suffix };
  const hit = cache.findTypingThrough(ctx.optionsKey, window.suffix, window.prefix);
  if (!hit && !cache.get(ctx)) {
    completionShape(window.linePrefix, window.lineSuffix, around.nextLines[0] ?? '', DEFAULTS.maxLines);
    cache.set({ ...ctx, texts: [fim.heal + ANSWER] });
  }
  postprocess(hit?.remainders[0] ?? ANSWER, around);
  return window.edges;
}

function measurePipeline(lines: string[], rounds: number): { timing: Timing; linesRead: number } {
  const doc = new CountingDocument([...lines], 'file:///pipeline');
  const cache = new CompletionCache();
  const times: number[] = [];
  const reads: number[] = [];
  let edges: WindowEdges | undefined;
  const warmup = Math.max(1, Math.floor(rounds / 10));
  for (let round = 0; round < rounds + warmup; round++) {
    for (const place of PLACES) {
      doc.moveTo(placeLine(place, lines.length));
      for (let k = 0; k < KEYS_PER_PLACE; k++) {
        doc.type(ANSWER[k]);
        doc.reads = 0;
        const t0 = performance.now();
        edges = pipelineOnce(doc, cache, edges);
        const dt = performance.now() - t0;
        if (round >= warmup) {
          times.push(dt);
          reads.push(doc.reads);
        }
      }
    }
  }
  return { timing: timing(times), linesRead: percentile(reads, 50) };
}

function measureNaive(lines: string[], rounds: number): { timing: Timing; linesRead: number } {
  const doc = new CountingDocument([...lines], 'file:///naive');
  const times: number[] = [];
  let reads = 0;
  for (let round = 0; round < rounds + 1; round++) {
    for (const place of PLACES) {
      doc.moveTo(placeLine(place, lines.length));
      doc.type('x');
      doc.reads = 0;
      const t0 = performance.now();
      const { prefix, suffix } = wholeFileAround(doc.request());
      JSON.stringify({ model: 'codellama:7b-code', prompt: prefix, suffix, stream: false });
      const dt = performance.now() - t0;
      if (round > 0) times.push(dt);
      reads = doc.reads;
    }
  }
  return { timing: timing(times), linesRead: reads };
}

/** Keystrokes served from the cache through the real engine: each place asks the fake once, then types along. */
async function measureEngine(lines: string[], places: number): Promise<Timing> {
  const fake = new FakeOllama({ latency: { timeToFirstTokenMs: 0, perTokenMs: 0 } });
  await fake.start();
  fake.generate = () => ({ tokens: ANSWER.match(/\s*\S{1,5}/g) ?? [ANSWER] });
  const settings = settingsFrom({ host: fake.url, debounceMs: 0 });
  const engine = new CompletionEngine({ settings: () => settings, log: silentLogger });
  const doc = new CountingDocument([...lines], 'file:///engine');
  const times: number[] = [];
  try {
    for (let p = 0; p < places + 2; p++) {
      // The places in turn, a line further each round; the first two rounds warm up.
      doc.moveTo(Math.max(0, placeLine(PLACES[p % PLACES.length], lines.length) - Math.floor(p / PLACES.length)));
      doc.type(' ');
      await engine.complete(doc.request(), never); // asks the fake; the answer is cached when decided
      for (let k = 0; k < KEYS_PER_PLACE; k++) {
        doc.type(ANSWER[k]);
        const t0 = performance.now();
        const shown = await engine.complete(doc.request(), never);
        const dt = performance.now() - t0;
        if (p >= 2 && shown.length > 0) times.push(dt);
      }
    }
  } finally {
    engine.dispose();
    await fake.stop();
  }
  return timing(times);
}

/** Start each measurement from a collected heap (with --expose-gc), not in the middle of the last one's garbage. */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

export async function measureOverhead(quick: boolean): Promise<OverheadRow[]> {
  const rows: OverheadRow[] = [];
  for (const size of SIZES) {
    const lines = sourceLines(size);
    collect();
    const pipeline = measurePipeline(lines, quick ? 10 : 75);
    collect();
    const engine = await measureEngine(lines, quick ? 25 : 100);
    collect();
    const naive = measureNaive(lines, size >= 100_000 ? (quick ? 2 : 10) : quick ? 10 : 40);
    rows.push({ lines: size, pipeline: pipeline.timing, engine, naive: naive.timing, linesRead: pipeline.linesRead,
      naiveLinesRead: naive.linesRead });
  }
  return rows;
}
