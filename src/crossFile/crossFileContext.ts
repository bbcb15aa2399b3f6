// Cross-file context for the completion prompt: which snippets of other files, when they are
// gathered, and the block the next request is sent with.
//
// Stable for Ollama's prompt cache: in SPM the block sits between `<MID> ` and the file's own
// prefix, so a request reuses the previous one's tokens only if the block is byte-identical. So the
// block is not rebuilt per keystroke, only at natural boundaries: another document, a save, the
// cursor moving to another region, or a new identifier near the cursor whose definition is in a
// file the block does not show yet. Between them every request gets the same bytes.
//
// Never on the hot path: `update` (called per keystroke) reads a few lines and compares names;
// gathering runs in the background, each language-server look-up with a deadline, and a request
// takes whatever block is ready when it is sent (after the debounce), never waiting for one.

import { LRUCache } from 'lru-cache';
import type { Timers } from '../ollama/connectionHealth';
import type { LineSource } from '../text/lineSource';
import type { Logger } from '../util/log';
import { describeError } from '../util/errors';
import { commentSyntaxOf } from './commentSyntax';
import { EMPTY_BLOCK, renderContextBlock, type ContextBlock } from './contextBlock';
import { cutDeclaration } from './declarationCut';
import { identifierSet, identifiersNearCursor, type IdentifierUse } from './identifiers';
import { candidatePaths, isImportLine, localImports, topLevelDeclarations } from './localImports';
import { bestWindow, WINDOW_LINES } from './similarWindows';
import { covers, mayGiveContext, type ContextFile, type Snippet } from './snippet';

/** The document being completed. */
export interface ContextDocument {
  /** Identifies it (its URI). */
  readonly key: string;
  /** Changes with every edit (VS Code's document version). */
  readonly version: number;
  readonly languageId: string;
  /** Relative to its workspace folder; undefined outside every folder (no imports are followed). */
  readonly path: string | undefined;
  readonly lines: LineSource;
}

/** Where a name is defined: a file and the line its declaration starts on. */
export interface DefinitionSite {
  readonly file: ContextFile;
  readonly line: number;
}

/** What the editor knows: the VS Code glue asks its language features; the benchmark its own. */
export interface ContextSources {
  /** Definitions and type definitions of the identifier used at `use` in `doc`, in any file. */
  definitions(doc: ContextDocument, use: IdentifierUse): Promise<readonly DefinitionSite[]>;
  /** Files the user has open or edited lately, most recent first. */
  neighbours(): readonly ContextFile[];
  /** The file at `path` (relative to the workspace folder of `doc`), if there is one. */
  fileAt(doc: ContextDocument, path: string): Promise<ContextFile | undefined>;
}

export interface CrossFileOptions {
  readonly sources: ContextSources;
  /** Tokens the block may take (a share of the prompt: contextBudget in completionPipeline.ts). */
  readonly budget: () => number;
  readonly log: Logger;
  readonly timers: Timers;
  /** Told of every block made, with how long gathering took (the benchmark measures it). */
  readonly onBlock?: (block: ContextBlock, gatherMs: number) => void;
}

/** The cursor moving more than this many lines away from where the block was made is another region. */
export const REGION_LINES = 20;
/** Names near the cursor whose definitions are looked up: this line and LINES_ABOVE above it. */
export const LINES_ABOVE = 3;
export const MAX_NAMES = 8;
/** A language server that has not answered by then is not waited for (it may be starting, or absent). */
export const LOOKUP_DEADLINE_MS = 750;
/** Files ranked for similar windows, most recent first; Copilot's limit too. */
export const MAX_NEIGHBOURS = 20;
/** Similar windows taken (one per file at most). */
export const MAX_SIMILAR = 4;
/** Lines above the cursor the similarity query is made of. */
export const QUERY_LINES = 30;
/** Local imports followed, and declarations taken from each. */
export const MAX_IMPORTS = 16;
export const MAX_IMPORT_DECLARATIONS = 16;
/** Lines at the top of the file searched for imports. */
export const IMPORT_LINES = 200;

/** The block for one document, and what it was made from. */
interface Current {
  readonly key: string;
  readonly anchorLine: number;
  readonly block: ContextBlock;
  /** Definitions found so far, nearest use first; the rest of the block's sources. */
  readonly definitions: readonly Snippet[];
  readonly rest: readonly Snippet[];
  /** Names already looked up for this block: a name brings a new block at most once. */
  readonly lookedUp: Set<string>;
  /**
   * Made with no code above the cursor (a file just opened, the cursor at its top): nothing to rank
   * windows or imports by, so moving down is a boundary too.
   */
  readonly blind: boolean;
}

interface Target {
  readonly doc: ContextDocument;
  readonly cursor: { line: number; character: number };
  /** For a top-up: the new names near the cursor, the only ones to look up. */
  readonly fresh?: readonly IdentifierUse[];
}

export class CrossFileContext {
  private current: Current | undefined;
  /** A save (or a settings change) since the block was made: the next update makes a new one. */
  private stale = false;
  private running: Promise<void> | undefined;
  /** What to gather next, when a gathering is running: the latest target only. */
  private pending: { target: Target; full: boolean } | undefined;
  /** The document and line the full gathering running or queued is for. */
  private gathering: { key: string; line: number } | undefined;
  private readonly lookups = new LRUCache<string, Promise<readonly DefinitionSite[]>>({ max: 256 });
  private disposed = false;

  constructor(private readonly options: CrossFileOptions) {}

  /** The block to send with a request in `docKey` now (empty until one is ready). */
  blockFor(docKey: string): ContextBlock {
    return this.current?.key === docKey ? this.current.block : EMPTY_BLOCK;
  }

  /** Whether a gathering is running or queued (tests and the benchmark wait for it to settle). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves once no gathering is running or queued. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * The user is at `cursor` in `doc` (a keystroke, a cursor move, a switch of editor). Starts
   * gathering at a boundary; otherwise does nothing. Bounded work: a few lines are read.
   */
  update(doc: ContextDocument, cursor: { line: number; character: number }): void {
    if (this.disposed || !commentSyntaxOf(doc.languageId)) return;
    const current = this.current;
    const target = { doc, cursor };
    const inRegion = (at: { key: string; line: number } | undefined) => at !== undefined && at.key === doc.key &&
      Math.abs(cursor.line - at.line) <= REGION_LINES;
    const movedOn = current?.blind === true && cursor.line > current.anchorLine;
    if (this.stale || movedOn || !inRegion(current && { key: current.key, line: current.anchorLine })) {
      // Already on its way for this region: keystrokes there wait for it, they do not queue more.
      if (!this.stale && !movedOn && inRegion(this.gathering)) return;
      this.stale = false;
      this.gathering = { key: doc.key, line: cursor.line };
      this.schedule(target, true);
      return;
    }
    if (!current) return;
    const fresh = identifiersNearCursor(doc.lines, cursor, LINES_ABOVE, MAX_NAMES).filter((u) => !current.lookedUp.has(u.name));
    if (fresh.length === 0) return;
    for (const use of fresh) current.lookedUp.add(use.name);
    this.schedule({ ...target, fresh }, false);
  }

  /** A file was saved, or settings changed: the block is made anew at the next update. */
  invalidate(): void {
    this.stale = true;
  }

  dispose(): void {
    this.disposed = true;
    this.current = undefined;
    this.pending = undefined;
  }

  private schedule(target: Target, full: boolean): void {
    if (this.running) {
      // A full gathering queued stays full when a top-up asks after it; top-ups queued one after
      // another keep every name they were asked for (each name is asked for once: see lookedUp).
      const queued = this.pending;
      const fresh = !full && queued && !queued.full && queued.target.doc.key === target.doc.key
        ? [...(queued.target.fresh ?? []), ...(target.fresh ?? [])] : target.fresh;
      this.pending = { target: { ...target, fresh }, full: full || (queued?.full ?? false) };
      return;
    }
    this.running = this.run(target, full);
  }

  private async run(first: Target, firstFull: boolean): Promise<void> {
    // Not in the keystroke's own turn: its request is built first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let next: { target: Target; full: boolean } | undefined = { target: first, full: firstFull };
    try {
      while (next && !this.disposed) {
        const { target, full } = next;
        this.pending = undefined;
        try {
          await (full || this.current?.key !== target.doc.key ? this.gather(target) : this.topUp(target));
        } catch (err) {
          // A source that throws is a bug in it, not the user's problem: no context this time.
          this.options.log.error(`cross-file context failed: ${describeError(err)}`);
        }
        next = this.pending;
      }
    } finally {
      this.running = undefined;
      this.gathering = undefined;
    }
  }

  /** Everything, for a new document, region, or after a save. */
  private async gather({ doc, cursor }: Target): Promise<void> {
    const started = this.options.timers.now();
    const uses = identifiersNearCursor(doc.lines, cursor, LINES_ABOVE, MAX_NAMES);
    const near = namesAbove(doc.lines, cursor);
    const [definitions, imports] = await Promise.all([this.definitionsOf(doc, uses), this.importsOf(doc, near)]);
    const similar = this.similarTo(doc, near);
    // Priority: what the code near the cursor uses, what else it imports, then code like it (the
    // retrieval benchmark: imports find the next name's declaration far more often than windows).
    this.install(doc, cursor.line, definitions, [...imports.used, ...imports.others, ...similar],
      new Set(uses.map((u) => u.name)), near.size === 0, started);
  }

  /**
   * New names near the cursor (update found them, so they are not read again): their definitions
   * join the block if the block lacks them. The names looked up before are not asked again.
   */
  private async topUp({ doc, fresh = [] }: Target): Promise<void> {
    const current = this.current;
    if (!current) return;
    const started = this.options.timers.now();
    const found = await this.definitionsOf(doc, fresh);
    if (this.current !== current) return;
    // A definition the block shows already (inside an import's or a window's lines) changes nothing.
    const added = found.filter((s) => !current.block.snippets.some((b) => covers(b, s)) &&
      !current.definitions.some((d) => snippetId(d) === snippetId(s)));
    if (added.length === 0) return;
    this.install(doc, current.anchorLine, [...added, ...current.definitions], current.rest, current.lookedUp, current.blind, started);
  }

  private install(doc: ContextDocument, anchorLine: number, definitions: readonly Snippet[], rest: readonly Snippet[],
    lookedUp: Set<string>, blind: boolean, started: number): void {
    if (this.disposed) return;
    const syntax = commentSyntaxOf(doc.languageId);
    const block = syntax ? renderContextBlock(syntax, [...definitions, ...rest], this.options.budget()) : EMPTY_BLOCK;
    this.current = { key: doc.key, anchorLine, block, definitions, rest, lookedUp, blind };
    const ms = this.options.timers.now() - started;
    const { log } = this.options;
    log.debug(`cross-file context: ${block.snippets.length} snippets, ${block.tokens} tokens, gathered in ${ms} ms`);
    // What leaves the file with the next prompts, by file and lines (the text itself is in the prompt's trace).
    for (const s of block.snippets) log.trace(`cross-file context: ${s.kind} ${s.path}:${s.line + 1} (${s.lines.length} lines)`);
    this.options.onBlock?.(block, ms);
  }

  /** Declarations of the names used near the cursor, in other files that may give context. */
  private async definitionsOf(doc: ContextDocument, uses: readonly IdentifierUse[]): Promise<Snippet[]> {
    const sites = await Promise.all(uses.map((use) => this.lookup(doc, use)));
    const out: Snippet[] = [];
    const seen = new Set<string>();
    for (const { file, line } of sites.flat()) {
      if (!mayGiveContext(file, doc.key, doc.languageId)) continue;
      // The same declaration found twice (a definition and a type definition) is cut once.
      const id = snippetId({ path: file.path, line });
      if (seen.has(id)) continue;
      seen.add(id);
      const lines = cutDeclaration(file.lines(), line);
      if (lines.length > 0) out.push({ kind: 'definition', path: file.path, line, lines });
    }
    return out;
  }

  /** One look-up, cached per document version and name, given up after LOOKUP_DEADLINE_MS. */
  private lookup(doc: ContextDocument, use: IdentifierUse): Promise<readonly DefinitionSite[]> {
    const key = `${doc.key}\n${doc.version}\n${use.name}`;
    let found = this.lookups.get(key);
    if (!found) {
      found = this.withDeadline(this.options.sources.definitions(doc, use), []);
      this.lookups.set(key, found);
    }
    return found;
  }

  /**
   * Top-level declarations of the local modules the document imports: `used`, those of names used
   * above the cursor (`near`); `others`, the other imported names (or, for a whole-module import,
   * the module's first declarations).
   */
  private async importsOf(doc: ContextDocument, near: ReadonlySet<string>): Promise<{ used: Snippet[]; others: Snippet[] }> {
    const used: Snippet[] = [];
    const others: Snippet[] = [];
    if (doc.path === undefined) return { used, others };
    const from = doc.path;
    // Python's `from . import y` (`from pkg import y`) names a submodule `.y` (`pkg.y`) or a name in
    // the package's __init__.py: both are tried, the submodule first.
    const python = doc.languageId === 'python';
    const imports = localImports(doc.languageId, doc.lines, IMPORT_LINES).flatMap((imp) => (python && imp.names.length > 0
      ? [...imp.names.map((name) => ({ specifier: /^\.+$/.test(imp.specifier) ? imp.specifier + name : `${imp.specifier}.${name}`, names: [] })), imp]
      : [imp])).slice(0, MAX_IMPORTS);
    const files = await Promise.all(imports.map((imp) => this.withDeadline(this.firstFile(doc, candidatePaths(doc.languageId, from, imp.specifier)), undefined)));
    const othersByModule: Snippet[][] = [];
    imports.forEach((imp, i) => {
      const file = files[i];
      if (!file || !mayGiveContext(file, doc.key, doc.languageId)) return;
      const { path } = file;
      const lines = file.lines();
      const take = (into: Snippet[], declarationLines: readonly number[]) => {
        for (const line of declarationLines.slice(0, MAX_IMPORT_DECLARATIONS)) {
          const cut = cutDeclaration(lines, line);
          if (cut.length > 0) into.push({ kind: 'import', path, line, lines: cut });
        }
      };
      // An empty names list means "every declaration": only ask with a list that has names in it.
      const nearNames = imp.names.length > 0 ? imp.names.filter((n) => near.has(n)) : [...near];
      const usedLines = nearNames.length > 0 ? topLevelDeclarations(lines, nearNames) : [];
      const otherNames = imp.names.filter((n) => !near.has(n));
      const otherLines = imp.names.length === 0 ? topLevelDeclarations(lines, [])
        : otherNames.length > 0 ? topLevelDeclarations(lines, otherNames) : [];
      take(used, usedLines);
      const mine: Snippet[] = [];
      take(mine, otherLines.filter((l) => !usedLines.includes(l)));
      othersByModule.push(mine);
    });
    // Taken in turns, one declaration of each module at a time: one big module does not crowd out the rest.
    for (let k = 0; othersByModule.some((m) => k < m.length); k++) {
      for (const m of othersByModule) if (k < m.length) others.push(m[k]);
    }
    return { used, others };
  }

  private async firstFile(doc: ContextDocument, paths: readonly string[]): Promise<ContextFile | undefined> {
    for (const path of paths) {
      const file = await this.options.sources.fileAt(doc, path);
      if (file) return file;
    }
    return undefined;
  }

  /** The best window of each neighbouring file, by similarity to the lines above the cursor (`ids`). */
  private similarTo(doc: ContextDocument, ids: ReadonlySet<string>): Snippet[] {
    if (ids.size === 0) return [];
    const ranked: { snippet: Snippet; score: number }[] = [];
    const neighbours = this.options.sources.neighbours().filter((f) => mayGiveContext(f, doc.key, doc.languageId));
    for (const file of neighbours.slice(0, MAX_NEIGHBOURS)) {
      const lines = file.lines();
      const match = bestWindow(lines, ids, WINDOW_LINES);
      if (!match) continue;
      ranked.push({ score: match.score, snippet: { kind: 'similar', path: file.path, line: match.start, lines: lines.slice(match.start, match.end) } });
    }
    // Stable: equal scores keep the neighbours' order (most recent first).
    ranked.sort((a, b) => b.score - a.score);
    return ranked.slice(0, MAX_SIMILAR).map((r) => r.snippet);
  }

  private withDeadline<T>(work: Promise<T>, fallback: T): Promise<T> {
    const { timers } = this.options;
    return new Promise<T>((resolve) => {
      const timer = timers.setTimeout(() => resolve(fallback), LOOKUP_DEADLINE_MS);
      work.then((value) => resolve(value), (err) => {
        this.options.log.debug(`cross-file context: a look-up failed: ${describeError(err)}`);
        resolve(fallback);
      }).finally(() => timers.clearTimeout(timer));
    });
  }
}

/**
 * The identifiers of the QUERY_LINES lines above the cursor and of the cursor line before it. Import
 * lines are left out: their names are imported, not used (they would make every import "used").
 */
function namesAbove(lines: LineSource, cursor: { line: number; character: number }): Set<string> {
  const query: string[] = [];
  for (let i = Math.max(0, cursor.line - QUERY_LINES); i < cursor.line; i++) {
    const line = lines.lineAt(i);
    if (!isImportLine(line)) query.push(line);
  }
  query.push(lines.lineAt(cursor.line).slice(0, cursor.character));
  return identifierSet(query.join('\n'));
}

function snippetId(s: Pick<Snippet, 'path' | 'line'>): string {
  return `${s.path}\n${s.line}`;
}
