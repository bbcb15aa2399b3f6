// The completion pipeline, free of VS Code: window → prompt → cache / typing-through → scheduled,
// abortable streaming request → decided, post-processed suggestions. The VS Code provider is a thin
// adapter around `complete`.

import { LRUCache } from 'lru-cache';
import type { Settings } from '../settings/settings';
import { completionModelName, judgeCompletionModel, judgeCustomModel } from '../settings/modelRules';
import {
  installedModels, serverVersion, showModel, streamGenerate, toOllamaError, type OllamaError, type StreamTimeouts,
} from '../ollama/client';
import { ConnectionHealth, type Timers, realTimers } from '../ollama/connectionHealth';
import type { Logger } from '../util/log';
import { Emitter } from '../util/emitter';
import { CompletionCache, type CompletionContext } from './completionCache';
import { completionShape } from './completionShape';
import { selectWindow, type ContextWindow, type Cursor, type WindowEdges } from './contextWindow';
import type { LineSource } from '../text/lineSource';
import { buildFimPrompt, STOP_TOKENS, type FimPrompt } from './fimPrompt';
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
  /**
   * False once the document changed after the request was made (VS Code: its version moved). The
   * lines are then no longer the ones the cursor refers to, and an answer would land elsewhere.
   */
  readonly isCurrent?: () => boolean;
}

export type EngineState =
  | { kind: 'ready'; model: string }
  | { kind: 'generating'; model: string }
  | { kind: 'disabled'; reason?: string }
  | { kind: 'unreachable'; host: string }
  | { kind: 'modelMissing'; model: string }
  | { kind: 'error'; message: string };

export interface EngineOptions {
  readonly settings: () => Settings;
  /**
   * A reason nothing may be sent to the host now (e.g. a remote host not yet allowed), if any.
   * Called on every state change: it must only answer, never ask.
   */
  readonly blockedReason?: () => string | undefined;
  /**
   * Called when a request was wanted (a keystroke, Retry) but blockedReason held it back: the
   * place to ask the user. Called once per such keystroke; the callee asks at most once.
   */
  readonly requestConsent?: () => void;
  readonly log: Logger;
  readonly timers?: Timers;
  /** Deadlines of a completion request; COMPLETION_TIMEOUTS unless a test shortens them. */
  readonly timeouts?: StreamTimeouts;
}

/**
 * A completion request that gets no headers within 30 s is given up (an error state, retried after
 * the back-off): Ollama sends them with the first token, after loading the model and evaluating
 * the prompt, and 30 s covers a cold load of the 13B model from disk. Once streaming, 10 s without
 * a line means a hung runner (a token takes well under a second on any machine that can run 7B).
 */
export const COMPLETION_TIMEOUTS: StreamTimeouts = { headersMs: 30_000, idleMs: 10_000 };

/** One provider call's inputs, shared by the prompts tried for it. */
interface Job {
  readonly request: CompletionRequest;
  readonly settings: Settings;
  readonly model: string;
  readonly window: ContextWindow;
  readonly around: Surroundings;
  readonly signal: AbortSignal;
}

/** Sentinels, BOS and their spaces: what the prompt adds to the window's own tokens. */
export const PROMPT_OVERHEAD_TOKENS = 8;
export const MAX_ALTERNATIVES = 3;

/** Tokens the window (prefix + suffix) may take: the context less the answer and the sentinels. */
export function promptBudget(settings: Pick<Settings, 'contextTokens' | 'maxTokens'>): number {
  return settings.contextTokens - settings.maxTokens - PROMPT_OVERHEAD_TOKENS;
}
/** How often a missing model is looked for again while the user types. */
const MISSING_RECHECK_MS = 10_000;
const ERROR_BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000] as const;

export class CompletionEngine {
  readonly cache = new CompletionCache();
  readonly health: ConnectionHealth;
  private readonly stateEmitter = new Emitter<EngineState>();
  readonly onState = this.stateEmitter.event;
  private readonly unreachableEmitter = new Emitter<string>();
  /** Fires once per outage with the host. */
  readonly onUnreachable = this.unreachableEmitter.event;
  private readonly modelMissingEmitter = new Emitter<string>();
  /** Fires once per missing model with its name. */
  readonly onModelMissing = this.modelMissingEmitter.event;

  private currentState: EngineState = { kind: 'disabled' };
  private inflight: InflightCompletion | undefined;
  private generation = 0;
  private readonly rhythm = new TypingRhythm();
  private readonly edges = new LRUCache<string, WindowEdges>({ max: 64 });
  private readonly modelVerdicts = new Map<string, { ok: boolean; reason?: string }>();
  private missingModel: { name: string; checkedAt: number; checking: boolean } | undefined;
  private errorCount = 0;
  private errorUntil = 0;
  private readonly timers: Timers;
  private host: string;

  constructor(private readonly options: EngineOptions) {
    this.timers = options.timers ?? realTimers;
    this.host = options.settings().host;
    this.health = new ConnectionHealth(
      () => serverVersion(this.settings.host).then(() => true, () => false), this.timers);
    this.health.onChange((reachable) => {
      this.options.log.info(reachable ? 'Ollama is reachable again' : 'Ollama is unreachable');
      this.refreshState();
    });
    this.refreshState();
  }

  get state(): EngineState {
    return this.currentState;
  }

  private get settings(): Settings {
    return this.options.settings();
  }

  /** Settings changed: requests in flight were made with the old ones. */
  settingsChanged(): void {
    this.inflight?.abort('settings changed');
    // An outage belongs to the old host: the new one starts out trusted until a request fails.
    if (this.settings.host !== this.host) this.health.reportReachable();
    this.host = this.settings.host;
    this.modelVerdicts.clear();
    this.missingModel = undefined;
    this.errorCount = 0;
    this.errorUntil = 0;
    this.refreshState();
  }

  /** The user asked to retry after an error or an outage. */
  async retry(): Promise<void> {
    this.errorUntil = 0;
    this.missingModel = undefined;
    // Not even a probe goes to a host the user has not allowed: ask (again) instead.
    if (this.isBlocked()) {
      this.refreshState();
      return;
    }
    await this.health.retryNow();
    this.refreshState();
  }

  /** A model finished pulling (through us or elsewhere). */
  modelInstalled(model: string): void {
    if (this.missingModel?.name === model) this.missingModel = undefined;
    this.refreshState();
  }

  dispose(): void {
    this.inflight?.abort('disposed');
    this.health.dispose();
    this.stateEmitter.dispose();
    this.unreachableEmitter.dispose();
    this.modelMissingEmitter.dispose();
  }

  /**
   * Suggestions to insert at the cursor (empty when there is nothing to show). Never throws:
   * failures become states and log lines.
   */
  async complete(request: CompletionRequest, signal: AbortSignal): Promise<string[]> {
    try {
      const texts = await this.completeOrThrow(request, signal);
      if (texts.length > 0 && request.isCurrent && !request.isCurrent()) {
        this.options.log.debug('dropped: the document changed while the answer was coming');
        return [];
      }
      return texts;
    } catch (err) {
      this.options.log.error(`completion failed: ${(err as Error)?.stack ?? String(err)}`);
      return [];
    }
  }

  private async completeOrThrow(request: CompletionRequest, signal: AbortSignal): Promise<string[]> {
    const settings = this.settings;
    // Before anything else: an excluded file must not even prompt for a remote host's confirmation.
    if (request.relativePath !== undefined && isExcluded(request.relativePath, settings.exclude)) {
      this.options.log.debug('skipped: the file matches infill.exclude');
      return [];
    }
    this.rhythm.note(this.timers.now());
    const model = completionModelName(settings);
    if (!(await this.mayRun(settings, model))) return [];
    // mayRun may have waited for the server: the lines must still be the ones the cursor refers to.
    if (request.isCurrent && !request.isCurrent()) return [];

    const window = selectWindow(request.lines, request.cursor, promptBudget(settings), this.edges.get(request.documentKey));
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
    const job: Job = { request, settings, model, window, around, signal };
    const fim = buildFimPrompt(window.prefix, window.suffix, settings.promptFormat);
    const served = await this.serve(job, fim);
    if (served !== 'diverged' || !fim.heal || signal.aborted) return served === 'diverged' ? [] : served;
    // The healed answer starts differently from the word being typed: the model's guess for this
    // word is known and wrong, so ask in PSM, which conditions on the typed characters.
    this.options.log.debug('healed answer does not match the typed word: asking in PSM');
    const psm = await this.serve(job, buildFimPrompt(window.prefix, window.suffix, 'psm'));
    return psm === 'diverged' ? [] : psm;
  }

  /** Serve one prompt from the cache, the request in flight, or a new request. */
  private async serve(job: Job, fim: FimPrompt): Promise<string[] | 'diverged'> {
    const { request, settings, model, window, around, signal } = job;
    const temperature = request.explicit ? settings.alternativesTemperature : settings.temperature;
    const optionsKey = [model, fim.format, temperature, settings.maxTokens, settings.maxLines,
      settings.contextTokens].join('|');
    const ctx: CompletionContext = { optionsKey, promptPrefix: fim.promptPrefix, suffix: window.suffix };
    const limit = request.explicit ? MAX_ALTERNATIVES : 1;

    const hit = this.cache.findTypingThrough(optionsKey, window.suffix, window.prefix);
    if (hit) {
      this.options.log.debug(`cache hit (typed ${hit.typed.length} chars since the request)`);
      this.abortOrphan();
      return finish(hit.remainders, around, limit);
    }
    // The same prompt was answered and nothing of it matches: asking again gives the same answer.
    if (this.cache.get(ctx)) return 'diverged';

    // Join the request in flight when it is the same prompt (typing inside a healed word), or when
    // what it has streamed already covers what was typed since; anything else supersedes it.
    const inflight = this.inflight;
    if (inflight && !inflight.isFinished && inflight.ctx.optionsKey === optionsKey &&
      inflight.ctx.suffix === window.suffix && window.prefix.startsWith(inflight.ctx.promptPrefix)) {
      const typed = window.prefix.slice(inflight.ctx.promptPrefix.length);
      const samePrompt = inflight.ctx.promptPrefix === ctx.promptPrefix;
      if (samePrompt || inflight.text.startsWith(typed)) {
        const result = await inflight.waitFor(typed, signal);
        if (result.kind === 'text') return finish([result.text], around, limit);
        if (result.kind === 'cancelled') return [];
        if (samePrompt) return result.kind === 'diverged' ? 'diverged' : [];
      }
    }
    // Superseded: the GPU should stop working on an answer nobody will see.
    if (this.inflight && !this.inflight.isFinished) {
      this.options.log.debug('aborting a superseded request');
      this.inflight.abort('superseded');
    }

    const generation = ++this.generation;
    const wait = request.explicit ? 0 : adaptiveDelay(settings.debounceMs, this.rhythm.recent(),
      isNaturalPause(window.linePrefix, window.lineSuffix));
    if (!(await delay(wait, signal)) || generation !== this.generation) return [];

    const nextLine = around.nextLines.find((l) => l.trim() !== '') ?? '';
    const shape = completionShape(window.linePrefix, window.lineSuffix, nextLine, settings.maxLines);
    if (!request.explicit) {
      const started = this.start(ctx, shape, fim.prompt, model, temperature, settings);
      const result = await started.waitFor(fim.heal, signal);
      if (result.kind === 'diverged') {
        // Remember that this prompt's answer does not fit the word, so it is not asked again.
        if (!this.cache.get(ctx)) this.cache.set({ ...ctx, texts: [started.text], partial: true });
        return 'diverged';
      }
      return result.kind === 'text' ? finish([result.text], around, 1) : [];
    }
    return this.alternatives(ctx, shape, fim.prompt, fim.heal, model, temperature, settings, around, signal);
  }

  /** Explicit trigger: several answers sampled at the alternatives temperature, one at a time. */
  private async alternatives(ctx: CompletionContext, shape: ReturnType<typeof completionShape>, prompt: string,
    heal: string, model: string, temperature: number, settings: Settings, around: Surroundings,
    signal: AbortSignal): Promise<string[]> {
    const texts: string[] = [];
    for (let i = 0; i < MAX_ALTERNATIVES; i++) {
      const run = this.start(ctx, shape, prompt, model, temperature, settings, false);
      const stop = () => run.abort('cancelled');
      signal.addEventListener('abort', stop, { once: true });
      // Alternatives are compared whole, so each is waited for to the end.
      await run.awaitWhole();
      signal.removeEventListener('abort', stop);
      if (signal.aborted) return [];
      if (!run.decided) break; // failed: its state already tells the user
      if (run.text.startsWith(heal) && !texts.includes(run.text)) texts.push(run.text);
    }
    if (texts.length > 0) this.cache.set({ ...ctx, texts });
    return finish(texts.map((t) => t.slice(heal.length)), around, MAX_ALTERNATIVES);
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
  private start(ctx: CompletionContext, shape: ReturnType<typeof completionShape>, prompt: string, model: string,
    temperature: number, settings: Settings, cacheResult = true): InflightCompletion {
    const run = new InflightCompletion(ctx, shape);
    this.inflight = run;
    this.setState({ kind: 'generating', model });
    this.health.noteAttempt();
    this.options.log.trace(`prompt (${shape.multiline ? 'multi-line' : 'single-line'}): ${JSON.stringify(prompt)}`);
    const request = {
      model,
      prompt,
      raw: true,
      keep_alive: settings.keepAlive,
      options: {
        // Load-time options (num_ctx) are the same on every request: a change reloads the model.
        num_ctx: settings.contextTokens,
        num_predict: settings.maxTokens,
        temperature,
        top_p: 0.95,
        stop: [...STOP_TOKENS],
      },
    };
    void (async () => {
      try {
        const stream = streamGenerate(settings.host, request, run.controller.signal,
          this.options.timeouts ?? COMPLETION_TIMEOUTS);
        for await (const part of stream) {
          if (run.push(part.response ?? '')) break; // decided: leaving the loop aborts the HTTP request
        }
        run.end();
        if (run.overlong) this.options.log.warn(`an answer longer than ${MAX_ANSWER_CHARS} characters was dropped`);
        this.options.log.trace(`completion: ${JSON.stringify(run.text)}`);
        if (cacheResult && run.decided) this.cache.set({ ...ctx, texts: [run.text] });
        this.succeeded(model);
      } catch (err) {
        run.fail();
        this.failed(toOllamaError(err), model);
      } finally {
        if (this.inflight === run) {
          this.inflight = undefined;
          if (this.currentState.kind === 'generating') this.refreshState();
        }
      }
    })();
    return run;
  }

  /** Whether a request may be sent now; checks that need the server run at most once per model. */
  private async mayRun(settings: Settings, model: string): Promise<boolean> {
    if (!settings.completionsEnabled) return false;
    if (this.isBlocked()) {
      this.refreshState();
      return false;
    }
    if (!this.health.reachable) return false;
    if (this.timers.now() < this.errorUntil) return false;
    if (this.missingModel?.name === model) {
      void this.recheckMissing(settings.host, model);
      return false;
    }
    const verdict = await this.modelVerdict(settings.host, model);
    if (!verdict.ok) {
      this.setState({ kind: 'error', message: verdict.reason ?? `${model} cannot be used for completions` });
      return false;
    }
    return true;
  }

  /** Whether the host may not be sent anything now; if so, the user is asked (at most once). */
  private isBlocked(): boolean {
    if (!this.options.blockedReason?.()) return false;
    this.options.requestConsent?.();
    return true;
  }

  private async modelVerdict(host: string, model: string): Promise<{ ok: boolean; reason?: string }> {
    const known = this.modelVerdicts.get(model);
    if (known) return known;
    const first = judgeCompletionModel(model);
    let verdict: { ok: boolean; reason?: string };
    if (first.kind === 'known') verdict = { ok: true };
    else if (first.kind === 'refused') verdict = { ok: false, reason: first.reason };
    else {
      try {
        const shown = await showModel(host, model);
        const custom = judgeCustomModel(model, shown.capabilities);
        verdict = custom.kind === 'refused' ? { ok: false, reason: custom.reason } : { ok: true };
      } catch (err) {
        // Not remembered: an outage or a missing model is handled (and retried) by its own state.
        const e = toOllamaError(err);
        this.failed(e, model);
        return { ok: false, reason: e.message };
      }
    }
    this.modelVerdicts.set(model, verdict);
    if (!verdict.ok) this.options.log.warn(verdict.reason ?? `${model} refused`);
    return verdict;
  }

  private async recheckMissing(host: string, model: string): Promise<void> {
    const missing = this.missingModel;
    if (!missing || missing.checking || this.timers.now() - missing.checkedAt < MISSING_RECHECK_MS) return;
    missing.checking = true;
    try {
      if ((await installedModels(host)).includes(model)) this.modelInstalled(model);
    } catch (err) {
      this.failed(toOllamaError(err), model);
    } finally {
      missing.checking = false;
      missing.checkedAt = this.timers.now();
    }
  }

  private succeeded(model: string): void {
    this.errorCount = 0;
    this.errorUntil = 0;
    this.health.reportReachable();
    if (this.missingModel?.name === model) this.missingModel = undefined;
    this.refreshState();
  }

  private failed(err: OllamaError, model: string): void {
    switch (err.kind) {
      case 'aborted':
        this.options.log.debug('request aborted');
        return;
      case 'unreachable': {
        const wasReachable = this.health.reachable;
        this.health.reportUnreachable();
        this.options.log.warn(err.message);
        if (wasReachable) this.unreachableEmitter.fire(this.settings.host);
        break;
      }
      case 'modelMissing': {
        const first = this.missingModel?.name !== model;
        this.missingModel = { name: model, checkedAt: this.timers.now(), checking: false };
        this.options.log.warn(`model ${model} is not installed: ${err.message}`);
        if (first) this.modelMissingEmitter.fire(model);
        break;
      }
      default: {
        this.errorUntil = this.timers.now() + ERROR_BACKOFF_MS[Math.min(this.errorCount, ERROR_BACKOFF_MS.length - 1)];
        this.errorCount++;
        this.options.log.error(`Ollama error (${err.kind}${err.status ? ' ' + err.status : ''}): ${err.message}`);
        this.setState({ kind: 'error', message: err.message });
        return;
      }
    }
    this.refreshState();
  }

  /** Derive the state shown to the user from what is known now. */
  refreshState(): void {
    const settings = this.settings;
    const model = completionModelName(settings);
    const blocked = settings.completionsEnabled ? this.options.blockedReason?.() : undefined;
    if (!settings.completionsEnabled) this.setState({ kind: 'disabled' });
    else if (blocked) this.setState({ kind: 'disabled', reason: blocked });
    else if (!this.health.reachable) this.setState({ kind: 'unreachable', host: settings.host });
    else if (this.missingModel?.name === model) this.setState({ kind: 'modelMissing', model });
    else if (this.inflight && !this.inflight.isFinished) this.setState({ kind: 'generating', model });
    else if (this.currentState.kind === 'error' && this.timers.now() < this.errorUntil) return;
    else {
      const verdict = this.modelVerdicts.get(model);
      if (verdict && !verdict.ok) this.setState({ kind: 'error', message: verdict.reason ?? 'model refused' });
      else this.setState({ kind: 'ready', model });
    }
  }

  private setState(state: EngineState): void {
    if (JSON.stringify(state) === JSON.stringify(this.currentState)) return;
    this.currentState = state;
    this.stateEmitter.fire(state);
  }
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
