// `npm run bench` (add `-- --quick` for the short CI run, `-- --docs` to also rewrite
// docs/benchmarks.md): the real completion pipeline against the fake Ollama, no VS Code.
//   1. per-request overhead on 1k/10k/100k-line documents            (overhead.ts)
//   2. two typing traces replayed in real time over four real files   (trace.ts, replay.ts): pausing
//      after Enter (SPM, PSM, naive) and pausing before Enter at line ends (SPM)
//   3. prompt-cache friendliness, SPM vs PSM, on that same trace      (summary.ts)
//   4. heap after 10,000 completions vs after 100                     (memory.ts)
//   5. the naive baseline in the same run, every figure as a ratio    (naive.ts)
//   6. cross-file context: retrieval recall on multi-file packages     (retrieval.ts), and the first
//      trace replayed with context on (spm+context, replayContext.ts)
// Prints a markdown table with PASS/FAIL per budget line and writes bench/results/bench.json.
// The full run exits 1 when a budget line fails; the quick run only fails if something crashes.

import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { measureMemory } from './memory';
import { measureOverhead } from './overhead';
import { summarizeContext } from './replayContext';
import { measureRetrieval, recallOf, summarizeRetrieval } from './retrieval';
import { PER_TOKEN_MS, TIME_TO_FIRST_TOKEN_MS, type Mode, type ReplayResult } from './replay';
import type { TraceKind } from './trace';
import { budgetLines, renderDocs, renderReport, type Report } from './report';
import { SOURCES } from './sources';
import { summarize } from './summary';

const quick = process.argv.includes('--quick');
const writeDocs = process.argv.includes('--docs');
/** Characters typed per file, and how many files. */
const TRACE = quick ? { chars: 70, files: 2 } : { chars: 250, files: SOURCES.length };
/** Retrieval positions per corpus (seven corpora). */
const RETRIEVAL_POSITIONS = quick ? 6 : 40;

/** Replay one mode's traces in a child process, so the modes run in parallel without sharing an event loop. */
function replayMode(mode: Mode, kind: TraceKind = 'afterEnter'): Promise<ReplayResult[]> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'replayChild.ts'), [mode, String(TRACE.chars), String(TRACE.files), kind],
      { execArgv: ['--import', 'tsx'] });
    let results: ReplayResult[] | undefined;
    child.on('message', (m) => { results = m as ReplayResult[]; });
    child.on('exit', (code) => (results ? resolve(results) : reject(new Error(`replay ${mode} exited with code ${code}`))));
  });
}

function machine(): Report['machine'] {
  const cpu = /model name\s*:\s*(.*)/.exec(safeRead('/proc/cpuinfo'))?.[1]?.trim() ?? 'unknown';
  return {
    cpus: availableParallelism(), memoryGB: Math.round(totalmem() / 1024 ** 3 * 10) / 10, node: process.version, cpu,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function safeRead(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

async function main(): Promise<void> {
  const started = performance.now();
  const phase = (name: string) => process.stderr.write(`[bench] ${name} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  const host = machine();
  // The overhead first, alone: it is CPU time, the other phases would disturb it.
  phase('overhead');
  const overhead = await measureOverhead(quick);
  // Then the retrieval benchmark, alone too: its timings are the language service's CPU time.
  phase('cross-file context retrieval');
  const retrieval = await measureRetrieval(RETRIEVAL_POSITIONS);
  phase('trace replay (SPM, PSM, naive, SPM with cross-file context, and SPM on the line-end trace, in parallel, real time)');
  const [spm, psm, naive, spmContext, lineEnd] = await Promise.all([
    ...(['spm', 'psm', 'naive', 'spm+context'] as const).map((mode) => replayMode(mode)), replayMode('spm', 'beforeEnter'),
  ]);
  phase('memory');
  const memory = await measureMemory(quick);
  const wallMs = performance.now() - started;

  const report: Report = {
    quick, date: new Date().toISOString(), machine: host, wallMs,
    latency: { timeToFirstTokenMs: TIME_TO_FIRST_TOKEN_MS, perTokenMs: PER_TOKEN_MS },
    sources: spm.map((r) => r.source),
    overhead, memory,
    trace: { spm: summarize(spm), psm: summarize(psm), naive: summarize(naive) },
    lineEndTrace: summarize(lineEnd),
    crossFile: {
      retrieval: summarizeRetrieval(retrieval),
      corpora: retrieval.corpora.map((c) => ({ name: c.name, language: c.language, files: c.files, ...recallOf(c.positions) })),
      missing: retrieval.missing,
      contextBudget: retrieval.settings.contextBudget,
      trace: summarize(spmContext),
      context: summarizeContext(spmContext),
    },
  };
  const budgets = budgetLines(report);
  const markdown = renderReport(report, budgets);
  process.stdout.write(markdown + '\n');

  mkdirSync('bench/results', { recursive: true });
  const perFile = (results: ReplayResult[]) => results.map((r) => ({ source: r.source, ...summarize([r]) }));
  const promptEval = (results: ReplayResult[]) => results.map((r) => ({
    source: r.source, promptEvalCount: r.requests.map((q) => q.promptEvalCount ?? null),
    typedTokens: r.requests.map((q) => q.typedTokens ?? null),
  }));
  writeFileSync('bench/results/bench.json', JSON.stringify({
    ...report, budgets,
    perFile: { spm: perFile(spm), psm: perFile(psm), naive: perFile(naive), lineEnd: perFile(lineEnd), spmContext: perFile(spmContext) },
    promptEvalPerRequest: { spm: promptEval(spm), psm: promptEval(psm), spmContext: promptEval(spmContext) },
    retrievalPositions: retrieval.corpora.map((c) => ({ corpus: c.name, positions: c.positions })),
    contextBlocks: spmContext.map((r) => ({ source: r.source, neighbours: r.context?.neighbours,
      blocks: r.context?.blocks.map(({ text: _text, ...b }) => b), requestBlock: r.context?.requestBlock })),
  }, null, 2) + '\n');
  if (writeDocs) writeFileSync('docs/benchmarks.md', renderDocs(report, markdown));
  process.stderr.write(`[bench] wrote bench/results/bench.json${writeDocs ? ' and docs/benchmarks.md' : ''} ` +
    `(${(wallMs / 1000).toFixed(0)} s)\n`);
  if (!quick && budgets.some((b) => !b.pass)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`[bench] failed: ${(err as Error).stack ?? err}\n`);
  process.exit(2);
});
