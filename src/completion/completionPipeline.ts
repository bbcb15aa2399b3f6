// The completion pipeline, free of VS Code: window → prompt → cache / typing-through → scheduled,
// abortable streaming request → decided, post-processed suggestions. Whether a request may go out,
// and what the user is told about the server and the model, is EngineStatus's part.

import { LRUCache } from 'lru-cache';
import type { Settings } from '../settings/settings';
import { completionModelName } from '../settings/modelCatalogue';
import { streamGenerate, toOllamaError, type StreamTimeouts } from '../ollama/client';
import type { Timers } from '../ollama/connectionHealth';
import type { Logger } from '../util/log';
import type { CompletionCache, CompletionContext } from './completionCache';
import { completionShape, type Shape } from './completionShape';
import { selectWindow, type ContextWindow, type Cursor, type WindowEdges } from './contextWindow';
import type { LineSource } from '../text/lineSource';
import type { EngineStatus } from './engineStatus';
import { buildFimPrompt, promptWithContext, type FimPrompt } from './fimPrompt';
import { generateRequest } from './generateRequest';
import { InflightCompletion, MAX_ANSWER_CHARS } from './inflightCompletion';
import { postprocess, surroundingsOf, type Surroundings } from './postprocess';
import { adaptiveDelay, delay, isNaturalPause, TypingRhythm } from './typingRhythm';
import { isExcluded } from '../settings/excludePolicy';
import { looksBinary, splitsSurrogatePair } from './documentChecks';

export interface CompletionRequest {
  /** Identifies the document (its URI), for the window edges kept between keystrokes. */
  readonly documentKey: string;
  readonly lines: LineSource;
  readonly cursor: Cursor;
  /** The user asked (Alt+], or the trigger command): offer alternatives. */
  readonly explicit: boolean;
  /**
   * The file's path relative to its workspace folder, checked against `infill.exclude`; undefined
   * for a buffer that has no file (untitled).
   */
  readonly relativePath?: string;
  /** The `infill.exclude` patterns of the document's folder; `settings.exclude` when absent. */
  readonly exclude?: readonly string[];
  /**
   * False once the document changed after the request was made (VS Code: its version moved). The
   * lines are then no longer the ones the cursor refers to, and an answer would land elsewhere.
   */
  readonly isCurrent?: () => boolean;
  /** Columns of a tab in this editor: Enter's indentation is compared by width (typingThrough.ts). */
  readonly tabSize?: number;
  /**
   * Cross-file context (crossFile/): the block to put before the file's prefix, read when the
   * request is sent, so a block gathered during the debounce is used and no keystroke waits for
   * one. When given, its share of the budget (contextBudget) is kept out of the window, whatever the
   * block's size, so the window's edges do not move when the block changes.
   */
  readonly crossFile?: () => string;
}

/** Sentinels, BOS and their spaces: what the prompt adds to the window's own tokens. */
export const PROMPT_OVERHEAD_TOKENS = 8;
export const MAX_ALTERNATIVES = 3;

/** Tokens the window (prefix + suffix) may take: the context less the answer and the sentinels. */
export function promptBudget(settings: Pick<Settings, 'contextTokens' | 'maxTokens'>): number {
  return settings.contextTokens - settings.maxTokens - PROMPT_OVERHEAD_TOKENS;
}

/** Share of the prompt budget cross-file context may take; the current file keeps the rest. */
export const CONTEXT_SHARE = 0.25;

/** Tokens the cross-file context block may take. */
export function contextBudget(settings: Pick<Settings, 'contextTokens' | 'maxTokens'>): number {
  return Math.floor(promptBudget(settings) * CONTEXT_SHARE);
}

export interface PipelineOptions {
  readonly settings: () => Settings;
  readonly status: Pick<EngineStatus, 'mayRun' | 'requestStarted' | 'requestEnded' | 'succeeded' | 'failed'>;
  readonly log: Logger;
  readonly timers: Timers;
  readonly timeouts: StreamTimeouts;
  readonly cache: CompletionCache;
}

/** One provider call's inputs, shared by the prompts tried for it. */
interface Job {
  readonly request: CompletionRequest;
  readonly settings: Settings;
  readonly model: string;
  readonly window: ContextWindow;
  readonly around: Surroundings;
  readonly signal: AbortSignal;
  /**
   * Text other than whitespace inserted in one edit since the previous call on this document (more
   * than one character: Tab accepting a suggestion, a paste), if any.
   */
  readonly inserted: boolean;
}

/** One prompt of a job, with what its requests are sent with and cached under. */
interface Ask extends Job {
  readonly fim: FimPrompt;
  readonly ctx: CompletionContext;
  readonly temperature: number;
  readonly shape: Shape;
  /** How many suggestions to offer. */
  readonly limit: number;
}

export class CompletionPipeline {
  private inflight: InflightCompletion | undefined;
  private generation = 0;
  private readonly rhythm = new TypingRhythm();
  private readonly edges = new LRUCache<string, WindowEdges>({ max: 64 });
  /** The previous call's document and window prefix: what one edit inserted since (see Job.inserted). */
  private previousPrefix: { key: string; prefix: string } | undefined;
  private readonly cache: CompletionCache;

  constructor(private readonly options: PipelineOptions) {
    this.cache = options.cache;
  }

  /** Whether a request is streaming now. */
  get streaming(): boolean {
    return this.inflight !== undefined && !this.inflight.isFinished;
  }

  /** Stop the request in flight, if any (settings changed, disposed). */
  abort(reason: string): void {
    this.inflight?.abort(reason);
  }

  /** Suggestions to insert at the cursor; throws on a bug only (failures are the status's). */
  async complete(request: CompletionRequest, signal: AbortSignal): Promise<string[]> {
    const settings = this.options.settings();
    // Before anything else: an excluded file must not even prompt for a remote host's confirmation.
    if (request.relativePath !== undefined && isExcluded(request.relativePath, request.exclude ?? settings.exclude)) {
      this.options.log.debug('skipped: the file matches infill.exclude');
      return [];
    }
    this.rhythm.note(this.options.timers.now());
    const model = completionModelName(settings);
    if (!(await this.options.status.mayRun(settings, model))) return [];
    // mayRun may have waited for the server: the lines must still be the ones the cursor refers to.
    if (request.isCurrent && !request.isCurrent()) return [];

    const budget = promptBudget(settings) - (request.crossFile ? contextBudget(settings) : 0);
    const window = selectWindow(request.lines, request.cursor, budget, this.edges.get(request.documentKey));
    this.edges.set(request.documentKey, window.edges);
    if (splitsSurrogatePair(window.linePrefix, window.lineSuffix)) {
      // An insert there would cut a character in two (not a position the editor puts a caret at).
      this.options.log.debug('skipped: the cursor is inside a surrogate pair');
      return [];
    }
    if (looksBinary(window.prefix) || looksBinary(window.suffix)) {
      this.options.log.debug('skipped: the text around the cursor looks binary');
      return [];
    }
    const around = surroundingsOf(window.prefix, window.suffix, window.linePrefix, window.lineSuffix);
    const previous = this.previousPrefix;
    this.previousPrefix = { key: request.documentKey, prefix: window.prefix };
    const step = previous?.key === request.documentKey && window.prefix.startsWith(previous.prefix)
      ? window.prefix.slice(previous.prefix.length) : '';
    const inserted = step.length > 1 && step.trim() !== '';
    const job: Job = { request, settings, model, window, around, signal, inserted };
    const fim = buildFimPrompt(window.prefix, window.suffix, settings.promptFormat);
    const served = await this.serve(ask(job, fim));
    if (served !== 'diverged' || !fim.heal || signal.aborted) return served === 'diverged' ? [] : served;
    // The healed answer starts differently from the word being typed: the model's guess for this
    // word is known and wrong, so ask in PSM, which conditions on the typed characters.
    this.options.log.debug('healed answer does not match the typed word: asking in PSM');
    const psm = await this.serve(ask(job, buildFimPrompt(window.prefix, window.suffix, 'psm')));
    return psm === 'diverged' ? [] : psm;
  }

  /** Serve one prompt from the cache, the request in flight, or a new request. */
  private async serve(a: Ask): Promise<string[] | 'diverged'> {
    const { request, window, around, signal, ctx, limit } = a;
    const hit = this.cache.findTypingThrough(ctx.optionsKey, window.suffix, window.prefix, request.tabSize);
    // At the end of a finished line, an answer typed through to its very end holds nothing more:
    // ask for what follows the line, as after any pause there. That is a new prompt, or this same
    // prompt when the answer was cut at its own line break (a healed word that ends the line).
    let usedUp = false;
    if (hit) {
      const shown = finish(hit.remainders, around, limit);
      usedUp = shown.length === 0 && this.usedUpAtLineEnd(a, hit.remainders,
        hit.entry.promptPrefix !== ctx.promptPrefix || hit.entry.endsLine === true);
      if (!usedUp) {
        this.options.log.debug(`cache hit (typed ${hit.typed.length} chars since the request)`);
        this.abortOrphan();
        return shown;
      }
    }
    // The same prompt was answered and nothing of it matches: asking again gives the same answer.
    if (!usedUp && this.cache.get(ctx)) return 'diverged';

    // Join the request in flight when it is the same prompt (typing inside a healed word), or when
    // what was typed since follows what it has streamed so far (typing along it, or Enter at a line
    // end before the answer's line break arrived); anything else supersedes it.
    const inflight = this.inflight;
    if (inflight && !inflight.isFinished && inflight.ctx.optionsKey === ctx.optionsKey &&
      inflight.ctx.suffix === window.suffix && window.prefix.startsWith(inflight.ctx.promptPrefix)) {
      const typed = window.prefix.slice(inflight.ctx.promptPrefix.length);
      const samePrompt = inflight.ctx.promptPrefix === ctx.promptPrefix;
      if (samePrompt || inflight.follows(typed, request.tabSize)) {
        const result = await inflight.waitFor(typed, signal, request.tabSize);
        if (result.kind === 'text') {
          const shown = finish([result.text], around, limit);
          usedUp = shown.length === 0 && this.usedUpAtLineEnd(a, [result.text], !samePrompt || inflight.endsLine);
          if (!usedUp) return shown;
        } else if (result.kind === 'cancelled') {
          return [];
        } else if (samePrompt) {
          return result.kind === 'diverged' ? 'diverged' : [];
        }
      }
    }
    // Superseded: the GPU should stop working on an answer nobody will see.
    if (this.inflight && !this.inflight.isFinished) {
      this.options.log.debug('aborting a superseded request');
      this.inflight.abort('superseded');
    }

    const generation = ++this.generation;
    const wait = request.explicit ? 0 : adaptiveDelay(a.settings.debounceMs, this.rhythm.recent(),
      isNaturalPause(window.linePrefix, window.lineSuffix));
    if (!(await delay(wait, signal)) || generation !== this.generation) return [];

    if (request.explicit) return this.alternatives(a);
    const started = this.start(a);
    const result = await started.waitFor(a.fim.heal, signal);
    if (result.kind === 'diverged') {
      // Remember that this prompt's answer does not fit the word, so it is not asked again.
      if (!this.cache.get(ctx)) this.cache.set({ ...ctx, texts: [started.text], partial: true });
      return 'diverged';
    }
    return result.kind === 'text' ? finish([result.text], around, limit) : [];
  }

  /**
   * Whether an answer that left `remainders` is used up where lines of their own are offered (the end
   * of a finished line, a block opener, an empty line after Enter), worth asking anew.
   */
  private usedUpAtLineEnd(a: Ask, remainders: readonly string[], moreToAsk: boolean): boolean {
    const lineEnd = a.shape.afterBreak !== undefined || a.shape.opensBlock || a.shape.multiline;
    // Not right after Tab accepted a whole suggestion (or a paste): the user asked for that text, and
    // one request per keystroke-pause is the budget; typing on or pausing there asks as usual.
    return lineEnd && !a.request.explicit && !a.inserted && moreToAsk && remainders.every((r) => r === '');
  }

  /** Explicit trigger: several answers sampled at the alternatives temperature, one at a time. */
  private async alternatives(a: Ask): Promise<string[]> {
    const heal = a.fim.heal;
    const texts: string[] = [];
    for (let i = 0; i < MAX_ALTERNATIVES; i++) {
      const run = this.start(a, false);
      const stop = () => run.abort('cancelled');
      a.signal.addEventListener('abort', stop, { once: true });
      // Alternatives are compared whole, so each is waited for to the end.
      await run.awaitWhole();
      a.signal.removeEventListener('abort', stop);
      if (a.signal.aborted) return [];
      if (!run.decided) break; // failed: its state already tells the user
      if (run.text.startsWith(heal) && !texts.includes(run.text)) texts.push(run.text);
    }
    if (texts.length > 0) this.cache.set({ ...a.ctx, texts });
    return finish(texts.map((t) => t.slice(heal.length)), a.around, MAX_ALTERNATIVES);
  }

  /**
   * A keystroke served from the cache supersedes a request in flight that nobody waits for (e.g.
   * asked for a typo that Backspace just erased): stop it now rather than after the orphan grace,
   * in which it could finish an answer nobody will see.
   */
  private abortOrphan(): void {
    if (this.inflight && !this.inflight.isFinished && !this.inflight.isWanted) {
      this.options.log.debug('aborting a superseded request (served from the cache)');
      this.inflight.abort('superseded');
    }
  }

  /** Start streaming one request; it becomes the one in flight. */
  private start(a: Ask, cacheResult = true): InflightCompletion {
    const { model, settings, ctx, shape } = a;
    const { status, log } = this.options;
    const run = new InflightCompletion(ctx, shape);
    this.inflight = run;
    status.requestStarted(model);
    const prompt = promptWithContext(a.fim, a.request.crossFile?.() ?? '');
    log.trace(`prompt (${shape.multiline ? 'multi-line' : 'single-line'}): ${JSON.stringify(prompt)}`);
    const body = generateRequest(model, prompt, settings,
      { temperature: a.temperature, numPredict: settings.maxTokens });
    void (async () => {
      try {
        for await (const part of streamGenerate(settings.host, body, run.controller.signal, this.options.timeouts)) {
          if (run.push(part.response ?? '')) break; // decided: leaving the loop aborts the HTTP request
        }
        run.end();
        if (run.overlong) log.warn(`an answer longer than ${MAX_ANSWER_CHARS} characters was dropped`);
        log.trace(`completion: ${JSON.stringify(run.text)}`);
        if (cacheResult && run.decided) this.cache.set({ ...ctx, texts: [run.text], ...(run.endsLine ? { endsLine: true } : {}) });
        status.succeeded(model);
      } catch (err) {
        run.fail();
        status.failed(toOllamaError(err), model);
      } finally {
        if (this.inflight === run) {
          this.inflight = undefined;
          status.requestEnded();
        }
      }
    })();
    return run;
  }
}

/** A prompt of `job` as asked: its cache key, temperature and the shape of the answer wanted. */
function ask(job: Job, fim: FimPrompt): Ask {
  const { request, settings, model, window, around } = job;
  const temperature = request.explicit ? settings.alternativesTemperature : settings.temperature;
  const optionsKey = [model, fim.format, temperature, settings.maxTokens, settings.maxLines,
    settings.contextTokens].join('|');
  const nextLine = around.nextLines.find((l) => l.trim() !== '') ?? '';
  return {
    ...job,
    fim,
    ctx: { optionsKey, promptPrefix: fim.promptPrefix, suffix: window.suffix },
    temperature,
    shape: completionShape(window.linePrefix, window.lineSuffix, nextLine, settings.maxLines, fim.heal.length),
    limit: request.explicit ? MAX_ALTERNATIVES : 1,
  };
}

/** Post-process, drop empty and duplicate suggestions, keep at most `limit`. */
function finish(texts: readonly string[], around: Surroundings, limit: number): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const shown = postprocess(text, around);
    if (shown !== undefined && !out.includes(shown)) out.push(shown);
    if (out.length >= limit) break;
  }
  return out;
}
