// What the completion engine tells the user, and whether a request may be sent now: the server's
// reachability (ConnectionHealth), the verdict on the completion model (checked once per model),
// a missing model (looked for again while the user types), the back-off after an error, and the
// resulting EngineState with its events. The pipeline asks `mayRun` before a request and reports
// each request's start and outcome; everything else here follows from that.

import type { Settings } from '../settings/settings';
import { completionModelName, isInstalled, judgeCompletionModel, judgeCustomModel } from '../settings/modelCatalogue';
import { installedModels, serverVersion, showModel, toOllamaError, type OllamaError } from '../ollama/client';
import { ConnectionHealth, type Timers } from '../ollama/connectionHealth';
import type { Logger } from '../util/log';
import { Emitter } from '../util/emitter';
import { describeError } from '../util/errors';

export type EngineState =
  | { kind: 'ready'; model: string }
  | { kind: 'generating'; model: string }
  | { kind: 'disabled'; reason?: string }
  | { kind: 'unreachable'; host: string }
  | { kind: 'modelMissing'; model: string }
  | { kind: 'error'; message: string };

export interface StatusOptions {
  readonly settings: () => Settings;
  /** See EngineOptions.blockedReason. */
  readonly blockedReason?: () => string | undefined;
  /** See EngineOptions.requestConsent. */
  readonly requestConsent?: () => void;
  readonly log: Logger;
  readonly timers: Timers;
  /** Whether a completion request is streaming now. */
  readonly streaming: () => boolean;
}

/** How often a missing model is looked for again while the user types. */
const MISSING_RECHECK_MS = 10_000;
const ERROR_BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000] as const;

type Verdict = { ok: boolean; reason?: string };

export class EngineStatus {
  /** A throwing listener (status bar, notices) is logged with its stack, never lost. */
  private readonly listenerFailed = (err: unknown) => this.options.log.error(`an Infill listener failed: ${describeError(err)}`);
  private readonly health: ConnectionHealth;
  private readonly stateEmitter = new Emitter<EngineState>(this.listenerFailed);
  readonly onState = this.stateEmitter.event;
  private readonly unreachableEmitter = new Emitter<string>(this.listenerFailed);
  /** Fires once per outage with the host. */
  readonly onUnreachable = this.unreachableEmitter.event;
  private readonly modelMissingEmitter = new Emitter<string>(this.listenerFailed);
  /** Fires once per missing model with its name. */
  readonly onModelMissing = this.modelMissingEmitter.event;

  private currentState: EngineState = { kind: 'disabled' };
  private readonly modelVerdicts = new Map<string, Verdict>();
  private missingModel: { name: string; checkedAt: number; checking: boolean } | undefined;
  private errorCount = 0;
  private errorUntil = 0;
  private host: string;

  /** The state is derived once the caller calls `refresh` (the pipeline must exist first). */
  constructor(private readonly options: StatusOptions) {
    this.host = options.settings().host;
    this.health = new ConnectionHealth(
      () => serverVersion(this.settings.host).then(() => true, () => false), options.timers, this.listenerFailed,
      () => !this.options.blockedReason?.());
    this.health.onChange((reachable) => {
      this.options.log.info(reachable ? 'Ollama is reachable again' : 'Ollama is unreachable');
      this.refresh();
    });
  }

  get state(): EngineState {
    return this.currentState;
  }

  private get settings(): Settings {
    return this.options.settings();
  }

  private get now(): number {
    return this.options.timers.now();
  }

  /** Settings changed: what was learnt about the old model and host no longer holds. */
  settingsChanged(): void {
    // An outage belongs to the old host: the new one starts out trusted until a request fails.
    if (this.settings.host !== this.host) this.health.reportReachable();
    this.host = this.settings.host;
    this.modelVerdicts.clear();
    this.missingModel = undefined;
    this.errorCount = 0;
    this.errorUntil = 0;
    this.refresh();
  }

  /** The user asked to retry after an error or an outage. */
  async retry(): Promise<void> {
    this.errorUntil = 0;
    this.missingModel = undefined;
    // Not even a probe goes to a host the user has not allowed: ask (again) instead.
    if (this.isBlocked()) {
      this.refresh();
      return;
    }
    await this.health.retryNow();
    this.refresh();
  }

  /** A model finished pulling (through us or elsewhere). */
  modelInstalled(model: string): void {
    if (this.missingModel?.name === model) this.missingModel = undefined;
    this.refresh();
  }

  /** Whether a request may be sent now; checks that need the server run at most once per model. */
  async mayRun(settings: Settings, model: string): Promise<boolean> {
    if (!settings.completionsEnabled) return false;
    if (this.isBlocked()) {
      this.refresh();
      return false;
    }
    if (!this.health.reachable) return false;
    if (this.now < this.errorUntil) return false;
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

  /** A request to `model` is going out. */
  requestStarted(model: string): void {
    this.setState({ kind: 'generating', model });
    this.health.noteAttempt();
  }

  /** A request ended (decided, failed or aborted) and none streams now. */
  requestEnded(): void {
    if (this.currentState.kind === 'generating') this.refresh();
  }

  succeeded(model: string): void {
    this.errorCount = 0;
    this.errorUntil = 0;
    this.health.reportReachable();
    if (this.missingModel?.name === model) this.missingModel = undefined;
    this.refresh();
  }

  failed(err: OllamaError, model: string): void {
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
        this.missingModel = { name: model, checkedAt: this.now, checking: false };
        this.options.log.warn(`model ${model} is not installed: ${err.message}`);
        if (first) this.modelMissingEmitter.fire(model);
        break;
      }
      default: {
        this.errorUntil = this.now + ERROR_BACKOFF_MS[Math.min(this.errorCount, ERROR_BACKOFF_MS.length - 1)];
        this.errorCount++;
        this.options.log.error(`Ollama error (${err.kind}${err.status ? ' ' + err.status : ''}): ${err.message}`);
        this.setState({ kind: 'error', message: err.message });
        return;
      }
    }
    this.refresh();
  }

  /** Derive the state shown to the user from what is known now. */
  refresh(): void {
    const settings = this.settings;
    const model = completionModelName(settings);
    const blocked = settings.completionsEnabled ? this.options.blockedReason?.() : undefined;
    if (!settings.completionsEnabled) this.setState({ kind: 'disabled' });
    else if (blocked) this.setState({ kind: 'disabled', reason: blocked });
    else if (!this.health.reachable) this.setState({ kind: 'unreachable', host: settings.host });
    else if (this.missingModel?.name === model) this.setState({ kind: 'modelMissing', model });
    else if (this.options.streaming()) this.setState({ kind: 'generating', model });
    else if (this.currentState.kind === 'error' && this.now < this.errorUntil) return;
    else {
      const verdict = this.modelVerdicts.get(model);
      if (verdict && !verdict.ok) this.setState({ kind: 'error', message: verdict.reason ?? 'model refused' });
      else this.setState({ kind: 'ready', model });
    }
  }

  dispose(): void {
    this.health.dispose();
    this.stateEmitter.dispose();
    this.unreachableEmitter.dispose();
    this.modelMissingEmitter.dispose();
  }

  /** Whether the host may not be sent anything now; if so, the user is asked (at most once). */
  private isBlocked(): boolean {
    if (!this.options.blockedReason?.()) return false;
    this.options.requestConsent?.();
    return true;
  }

  private async modelVerdict(host: string, model: string): Promise<Verdict> {
    const known = this.modelVerdicts.get(model);
    if (known) return known;
    const first = judgeCompletionModel(model);
    let verdict: Verdict;
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
    if (!missing || missing.checking || this.now - missing.checkedAt < MISSING_RECHECK_MS) return;
    missing.checking = true;
    try {
      if (isInstalled(model, await installedModels(host))) this.modelInstalled(model);
    } catch (err) {
      this.failed(toOllamaError(err), model);
    } finally {
      missing.checking = false;
      missing.checkedAt = this.now;
    }
  }

  private setState(state: EngineState): void {
    if (JSON.stringify(state) === JSON.stringify(this.currentState)) return;
    this.currentState = state;
    this.stateEmitter.fire(state);
  }
}
