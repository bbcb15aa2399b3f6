// Cross-file context in the trace replay (mode `spm+context`): the service the VS Code provider
// will drive, over the typed file's neighbours (its directory's other files of the same language,
// sorted by name: the "open tabs"; TypeScript's language service, in a worker thread, for
// definitions in TypeScript and JavaScript). Before the first key the editor opens the file and puts the cursor there (one
// `update`, gathering settled), as a user does before typing; then every keystroke calls `update`
// before the provider call, and each request reads the block when it is sent. Records what a
// request waited for (update()'s own time) and every block made, so a rebuild that costs the
// prompt cache can be told apart.

import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { contextBudget } from '../src/completion/completionPipeline';
import { CrossFileContext, type ContextDocument } from '../src/crossFile/crossFileContext';
import type { Settings } from '../src/settings/settings';
import { silentLogger } from '../src/util/log';
import type { FakeDocument } from '../test/support/fakeDocument';
import type { ReplayResult } from './replay';
import { benchTimers } from './retrieval';
import { percentile } from './stats';
import { LanguageServiceWorker } from './languageServiceWorker';
import { fileKey, listFiles, Package, packageSources, type BenchLanguage } from './packageSources';

export interface BlockMade {
  /** ms since the replay started; the keystroke whose update started it (-1: before typing). */
  readonly at: number;
  readonly key: number;
  readonly tokens: number;
  readonly gatherMs: number;
  readonly text: string;
  /** kind path:line (1-based) (lines), in the block's order. */
  readonly snippets: readonly string[];
}

export interface ContextRecord {
  readonly neighbours: readonly string[];
  /** update()'s synchronous time per keystroke (the time a request's keystroke spends on context). */
  readonly updateMs: number[];
  readonly blocks: BlockMade[];
  /** Per request id: the index in `blocks` of the block it was sent with (-1: none ready). */
  readonly requestBlock: number[];
}

export class ReplayContext {
  readonly record: ContextRecord;
  private readonly service: CrossFileContext;
  private readonly ls: LanguageServiceWorker | undefined;
  private readonly texts = new Map<string, number>();
  private key = -1;

  constructor(private readonly path: string, private readonly language: BenchLanguage, settings: Settings,
    private readonly now: () => number) {
    const dir = dirname(path);
    const files = listFiles(dir, ['.'], language, false);
    const pkg = new Package(dir, language, files);
    const neighbours = files.filter((f) => fileKey(f) !== fileKey(path));
    this.ls = language === 'typescript' || language === 'javascript' ? new LanguageServiceWorker(pkg) : undefined;
    this.record = { neighbours: neighbours.map((f) => pkg.relativePath(f)!), updateMs: [], blocks: [], requestBlock: [] };
    this.service = new CrossFileContext({
      sources: packageSources(pkg, this.ls, { neighbours: () => neighbours, definitions: true, imports: true }),
      budget: () => contextBudget(settings), log: silentLogger, timers: benchTimers,
      onBlock: (block, gatherMs) => {
        this.texts.set(block.text, this.record.blocks.length);
        this.record.blocks.push({ at: this.now(), key: this.key, tokens: block.tokens, gatherMs, text: block.text,
          snippets: block.snippets.map((s) => `${s.kind} ${s.path}:${s.line + 1} (${s.lines.length})`) });
      },
    });
  }

  /** The editor's view of the document, for the service. */
  private contextDocument(doc: FakeDocument): ContextDocument {
    const lines = doc.lines;
    return { key: doc.key, version: doc.version, languageId: this.language, path: this.path.split('/').pop(),
      lines: { lineCount: lines.length, lineAt: (i) => lines[i] } };
  }

  /** The file is opened and the cursor placed: the first block is gathered before typing starts. */
  async open(doc: FakeDocument): Promise<void> {
    await this.ls?.ready; // warm, as VS Code's TypeScript server is once a file is open
    this.service.update(this.contextDocument(doc), { line: doc.line, character: doc.character });
    await this.service.settled();
  }

  /** Keystroke `key` happened: what the provider does before asking the engine. */
  keystroke(key: number, doc: FakeDocument): void {
    this.key = key;
    const started = performance.now();
    this.service.update(this.contextDocument(doc), { line: doc.line, character: doc.character });
    this.record.updateMs.push(performance.now() - started);
  }

  /** The block text for a request of `doc` (read when the request is sent). */
  blockText(doc: FakeDocument): string {
    return this.service.blockFor(doc.key).text;
  }

  /** Request `id` was sent with `prompt`'s block: which block that was. */
  noteRequest(id: number, promptPrefix: string): void {
    this.record.requestBlock[id] = this.blockIn(promptPrefix)?.index ?? -1;
  }

  /** The file's own prefix of a prompt prefix (the block it starts with removed): what the fake answers from. */
  stripBlock(promptPrefix: string): string {
    return promptPrefix.slice(this.blockIn(promptPrefix)?.text.length ?? 0);
  }

  private blockIn(promptPrefix: string): { text: string; index: number } | undefined {
    let best: { text: string; index: number } | undefined;
    for (const [text, index] of this.texts) {
      if (text !== '' && promptPrefix.startsWith(text) && (!best || text.length > best.text.length)) best = { text, index };
    }
    return best;
  }

  async dispose(): Promise<void> {
    this.service.dispose();
    await this.ls?.dispose();
  }
}

/** The language of a source for the service (VS Code's language ids). */
export function benchLanguage(language: string): BenchLanguage {
  if (language === 'typescript' || language === 'javascript' || language === 'python' || language === 'c') return language;
  throw new Error(`no cross-file context language for ${language}`);
}

export interface BlockChange {
  readonly source: string;
  /** The request sent with a block other than the previous evaluated request's, and what it cost. */
  readonly request: number;
  readonly key: number;
  readonly promptEvalCount: number | undefined;
  readonly typedTokens: number | undefined;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Characters of the block before the first one that changed, of its length: what the prompt cache keeps. */
  readonly unchangedChars: number;
  readonly blockChars: number;
}

export interface ContextSummary {
  readonly keystrokes: number;
  readonly updateMs: { p50: number; p95: number; max: number };
  /** Blocks made before typing (the file opened) and while typing. */
  readonly blocksBefore: number;
  readonly blocksWhileTyping: number;
  readonly gatherMs: { p50: number; p95: number };
  /** Tokens of the block requests were sent with. */
  readonly blockTokens: { p50: number; p95: number };
  /** Requests sent with no block ready. */
  readonly requestsWithoutBlock: number;
  readonly changes: readonly BlockChange[];
}

/** What the cross-file service did over the replays of mode spm+context. */
export function summarizeContext(results: readonly ReplayResult[]): ContextSummary {
  const withContext = results.filter((r) => r.context);
  const updates = withContext.flatMap((r) => r.context!.updateMs);
  const blocks = withContext.flatMap((r) => r.context!.blocks);
  const changes: BlockChange[] = [];
  const tokens: number[] = [];
  let requestsWithoutBlock = 0;
  for (const r of withContext) {
    const { blocks: made, requestBlock } = r.context!;
    let previous: number | undefined;
    for (const q of r.requests) {
      const b = requestBlock[q.id] ?? -1;
      if (b === -1) requestsWithoutBlock++;
      else tokens.push(made[b].tokens);
      if (q.promptEvalCount === undefined) continue; // aborted before the server evaluated it
      if (previous !== undefined && b !== previous) {
        const was = previous === -1 ? undefined : made[previous];
        const is = b === -1 ? undefined : made[b];
        const [wasText, isText] = [was?.text ?? '', is?.text ?? ''];
        let same = 0;
        while (same < wasText.length && same < isText.length && wasText[same] === isText[same]) same++;
        changes.push({ source: r.source, request: q.id, key: q.call, promptEvalCount: q.promptEvalCount,
          typedTokens: q.typedTokens, added: (is?.snippets ?? []).filter((s) => !was?.snippets.includes(s)),
          removed: (was?.snippets ?? []).filter((s) => !is?.snippets.includes(s)), unchangedChars: same, blockChars: isText.length });
      }
      previous = b;
    }
  }
  const p = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
  return {
    keystrokes: updates.length,
    updateMs: { ...p(updates), max: updates.length ? Math.max(...updates) : NaN },
    blocksBefore: blocks.filter((b) => b.key === -1).length,
    blocksWhileTyping: blocks.filter((b) => b.key !== -1).length,
    gatherMs: p(blocks.map((b) => b.gatherMs)),
    blockTokens: p(tokens),
    requestsWithoutBlock,
    changes,
  };
}
