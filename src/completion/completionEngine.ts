// The completion engine the VS Code glue talks to: the pipeline (completionPipeline.ts) that turns
// a request into suggestions, and the status (engineStatus.ts) that says whether requests may go
// out and what the status bar shows. The VS Code provider is a thin adapter around `complete`.

import type { Settings } from '../settings/settings';
import type { StreamTimeouts } from '../ollama/client';
import { realTimers, type Timers } from '../ollama/connectionHealth';
import type { Logger } from '../util/log';
import { CompletionCache } from './completionCache';
import { CompletionPipeline, type CompletionRequest } from './completionPipeline';
import { EngineStatus, type EngineState } from './engineStatus';
import { describeError } from '../util/errors';

export { MAX_ALTERNATIVES, PROMPT_OVERHEAD_TOKENS, promptBudget, type CompletionRequest } from './completionPipeline';
export type { EngineState } from './engineStatus';

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
  /** The cache of answers; a new one unless the caller measures it (the soak test, the benchmark). */
  readonly cache?: CompletionCache;
}

/**
 * A completion request that gets no headers within 30 s is given up (an error state, retried after
 * the back-off): Ollama sends them with the first token, after loading the model and evaluating
 * the prompt, and 30 s covers a cold load of the 13B model from disk. Once streaming, 10 s without
 * a line means a hung runner (a token takes well under a second on any machine that can run 7B).
 */
export const COMPLETION_TIMEOUTS: StreamTimeouts = { headersMs: 30_000, idleMs: 10_000 };

export class CompletionEngine {
  private readonly status: EngineStatus;
  private readonly pipeline: CompletionPipeline;
  readonly onState: EngineStatus['onState'];
  /** Fires once per outage with the host. */
  readonly onUnreachable: EngineStatus['onUnreachable'];
  /** Fires once per missing model with its name. */
  readonly onModelMissing: EngineStatus['onModelMissing'];

  constructor(private readonly options: EngineOptions) {
    const timers = options.timers ?? realTimers;
    this.status = new EngineStatus({
      settings: options.settings,
      blockedReason: options.blockedReason,
      requestConsent: options.requestConsent,
      log: options.log,
      timers,
      streaming: () => this.pipeline.streaming,
    });
    this.pipeline = new CompletionPipeline({
      settings: options.settings,
      status: this.status,
      log: options.log,
      timers,
      timeouts: options.timeouts ?? COMPLETION_TIMEOUTS,
      cache: options.cache ?? new CompletionCache(),
    });
    this.onState = this.status.onState;
    this.onUnreachable = this.status.onUnreachable;
    this.onModelMissing = this.status.onModelMissing;
    this.status.refresh();
  }

  get state(): EngineState {
    return this.status.state;
  }

  /** Settings changed: requests in flight were made with the old ones. */
  settingsChanged(): void {
    this.pipeline.abort('settings changed');
    this.status.settingsChanged();
  }

  /** The user asked to retry after an error or an outage. */
  retry(): Promise<void> {
    return this.status.retry();
  }

  /** A model finished pulling (through us or elsewhere). */
  modelInstalled(model: string): void {
    this.status.modelInstalled(model);
  }

  /** Derive the state shown to the user from what is known now (e.g. the host was allowed). */
  refreshState(): void {
    this.status.refresh();
  }

  dispose(): void {
    this.pipeline.abort('disposed');
    this.status.dispose();
  }

  /**
   * Suggestions to insert at the cursor (empty when there is nothing to show). Never throws:
   * failures become states and log lines.
   */
  async complete(request: CompletionRequest, signal: AbortSignal): Promise<string[]> {
    try {
      const texts = await this.pipeline.complete(request, signal);
      if (texts.length > 0 && request.isCurrent && !request.isCurrent()) {
        this.options.log.debug('dropped: the document changed while the answer was coming');
        return [];
      }
      return texts;
    } catch (err) {
      this.options.log.error(`completion failed: ${describeError(err)}`);
      return [];
    }
  }
}
