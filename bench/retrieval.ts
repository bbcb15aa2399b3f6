// Retrieval benchmark (issue 14): at positions where the next identifier to be typed is defined in
// another file of the same package (retrievalCorpus.ts), does the completion prompt contain that
// definition? The document at a position is the file with the identifier and the rest of its line
// removed (the suffix is what follows that line). For each position the cross-file service
// (src/crossFile/crossFileContext.ts) runs as the editor would (`update`, then the gathering in the
// background until `settled()`), and the prompt is built as the pipeline builds it at the default
// settings (4096 context, 256 answer tokens: the window's budget less contextBudget, SPM, the block
// before the prefix). Three prompts per position:
//   off  — no cross-file context (the whole budget is the window);
//   tabs — open tabs only: similar windows of the neighbouring files (no definitions, no imports);
//   all  — definitions (TypeScript's language service), imports, and the open tabs.
// The prompt "contains the definition" when the definition's first line, trimmed, is in it.

import { performance } from 'node:perf_hooks';
import { contextBudget, promptBudget } from '../src/completion/completionPipeline';
import { selectWindow } from '../src/completion/contextWindow';
import { buildFimPrompt, promptWithContext } from '../src/completion/fimPrompt';
import { CrossFileContext, type ContextDocument } from '../src/crossFile/crossFileContext';
import type { SnippetKind } from '../src/crossFile/snippet';
import type { Timers } from '../src/ollama/connectionHealth';
import { settingsFrom } from '../src/settings/settings';
import { silentLogger } from '../src/util/log';
import { seededRandom } from '../test/support/seededRandom';
import { fileKey, packageSources, type SourcesChoice } from './packageSources';
import { CORPORA, loadCorpus, SEED, type Corpus, type Position } from './retrievalCorpus';
import { percentile, sum } from './stats';

export type Variant = 'off' | 'tabs' | 'all';

export interface PositionResult {
  readonly at: string;
  readonly name: string;
  readonly definition: string;
  readonly found: Record<Variant, boolean>;
  /** Which snippet of the "all" block holds the definition. */
  readonly foundIn?: SnippetKind;
  /** The "all" block's snippets: kind, path:line (1-based), lines. */
  readonly snippets: readonly string[];
  readonly blockTokens: Record<'tabs' | 'all', number>;
  /** Time the gathering took (onBlock), update()'s own synchronous time, update() → settled(). */
  readonly gatherMs: Record<'tabs' | 'all', number>;
  readonly updateMs: Record<'tabs' | 'all', number>;
  readonly settleMs: Record<'tabs' | 'all', number>;
}

export interface CorpusResult {
  readonly name: string;
  readonly language: string;
  readonly files: number;
  readonly candidates: number;
  readonly positions: readonly PositionResult[];
  /** The language service's start (program built), none for Python. */
  readonly languageServiceStartMs?: number;
}

export interface RetrievalResult {
  readonly corpora: readonly CorpusResult[];
  readonly settings: { contextTokens: number; maxTokens: number; contextBudget: number };
  readonly missing: readonly string[];
}

/** Neighbouring files ("open tabs") at each position: the package's other files of the language, seeded order. */
export const TABS = 20;

/** Real timers with a sub-millisecond clock (gathering times are often below a millisecond). */
export const benchTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const settings = settingsFrom({});

let version = 0;

async function runPosition(corpus: Corpus, p: Position, index: number): Promise<PositionResult> {
  const { pkg, ls } = corpus;
  const original = pkg.lines(p.file);
  const lines = [...original];
  lines[p.line] = lines[p.line].slice(0, p.character);
  const cursor = { line: p.line, character: p.character };
  const doc: ContextDocument = {
    key: fileKey(p.file), version: ++version, languageId: corpus.spec.language, path: pkg.relativePath(p.file),
    lines: { lineCount: lines.length, lineAt: (i) => lines[i] },
  };
  const random = seededRandom(SEED * 1000 + index);
  const others = pkg.files.filter((f) => f !== p.file);
  for (let i = others.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [others[i], others[j]] = [others[j], others[i]];
  }
  const tabs = others.slice(0, TABS);
  const prompt = (block: string, withContext: boolean) => {
    const budget = promptBudget(settings) - (withContext ? contextBudget(settings) : 0);
    const window = selectWindow(doc.lines, cursor, budget);
    return promptWithContext(buildFimPrompt(window.prefix, window.suffix, 'spm'), block);
  };
  const run = async (choice: SourcesChoice) => {
    let gatherMs = NaN;
    const service = new CrossFileContext({
      sources: packageSources(pkg, ls, choice), budget: () => contextBudget(settings), log: silentLogger, timers: benchTimers,
      onBlock: (_block, ms) => { gatherMs = ms; },
    });
    const started = performance.now();
    service.update(doc, cursor);
    const updateMs = performance.now() - started;
    await service.settled();
    const settleMs = performance.now() - started;
    const block = service.blockFor(doc.key);
    service.dispose();
    return { block, gatherMs, updateMs, settleMs };
  };
  const tabsOnly = await run({ neighbours: () => tabs, definitions: false, imports: false });
  const all = await run({ neighbours: () => tabs, definitions: true, imports: true });
  ls?.setText(p.file, 'disk', undefined);
  const has = (text: string) => text.includes(p.definitionText);
  const definitionPath = pkg.relativePath(p.definitionFile);
  const holder = all.block.snippets.find((s) => s.path === definitionPath && s.lines.some((l) => l.includes(p.definitionText)));
  return {
    at: `${pkg.relativePath(p.file)}:${p.line + 1}:${p.character + 1}`, name: p.name,
    definition: `${definitionPath}:${p.definitionLine + 1}`,
    found: { off: has(prompt('', false)), tabs: has(prompt(tabsOnly.block.text, true)), all: has(prompt(all.block.text, true)) },
    ...(holder ? { foundIn: holder.kind } : {}),
    snippets: all.block.snippets.map((s) => `${s.kind} ${s.path}:${s.line + 1} (${s.lines.length})`),
    blockTokens: { tabs: tabsOnly.block.tokens, all: all.block.tokens },
    gatherMs: { tabs: tabsOnly.gatherMs, all: all.gatherMs },
    updateMs: { tabs: tabsOnly.updateMs, all: all.updateMs },
    settleMs: { tabs: tabsOnly.settleMs, all: all.settleMs },
  };
}

/** Every corpus installed here, `perCorpus` positions each. */
export async function measureRetrieval(perCorpus: number): Promise<RetrievalResult> {
  const corpora: CorpusResult[] = [];
  const missing: string[] = [];
  for (const spec of CORPORA) {
    const corpus = loadCorpus(spec, perCorpus);
    if (!corpus) {
      missing.push(spec.name);
      continue;
    }
    const positions: PositionResult[] = [];
    for (const [i, p] of corpus.positions.entries()) positions.push(await runPosition(corpus, p, i));
    corpora.push({
      name: spec.name, language: spec.language, files: corpus.pkg.files.length, candidates: corpus.candidates, positions,
      ...(corpus.ls ? { languageServiceStartMs: corpus.startMs } : {}),
    });
    corpus.ls?.service.dispose();
  }
  return {
    corpora, missing,
    settings: { contextTokens: settings.contextTokens, maxTokens: settings.maxTokens, contextBudget: contextBudget(settings) },
  };
}

export interface RecallFigures {
  readonly positions: number;
  readonly found: Record<Variant, number>;
}

export function recallOf(positions: readonly PositionResult[]): RecallFigures {
  const count = (v: Variant) => positions.filter((p) => p.found[v]).length;
  return { positions: positions.length, found: { off: count('off'), tabs: count('tabs'), all: count('all') } };
}

export interface RetrievalSummary {
  readonly overall: RecallFigures;
  readonly byKind: Record<SnippetKind, number>;
  readonly gatherMs: Record<'tabs' | 'all', { p50: number; p95: number }>;
  readonly updateMs: { p50: number; p95: number; max: number };
  readonly blockTokens: Record<'tabs' | 'all', { p50: number; p95: number }>;
}

export function summarizeRetrieval(r: RetrievalResult): RetrievalSummary {
  const all = r.corpora.flatMap((c) => c.positions);
  const p = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
  const updates = all.flatMap((x) => [x.updateMs.tabs, x.updateMs.all]);
  const kinds: SnippetKind[] = ['definition', 'import', 'similar'];
  return {
    overall: recallOf(all),
    byKind: Object.fromEntries(kinds.map((k) => [k, sum(all.map((x) => (x.foundIn === k ? 1 : 0)))])) as Record<SnippetKind, number>,
    gatherMs: { tabs: p(all.map((x) => x.gatherMs.tabs)), all: p(all.map((x) => x.gatherMs.all)) },
    updateMs: { ...p(updates), max: Math.max(...updates) },
    blockTokens: { tabs: p(all.map((x) => x.blockTokens.tabs)), all: p(all.map((x) => x.blockTokens.all)) },
  };
}
