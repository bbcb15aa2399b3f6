// One streaming completion request that several provider calls can wait on.
//
// The first call waits for the healed characters; calls from later keystrokes that typed along
// with the answer join the same stream instead of starting a new request. A waiter is answered as
// soon as its first line is complete, while the stream goes on until the completion is decided.

import type { CompletionContext } from './completionCache';
import { decide, type Decision, type Shape } from './completionShape';
import { cleanModelText } from './postprocess';
import { SHORT, typedAlong } from './typingThrough';

export type WaitResult =
  | { kind: 'text'; text: string }
  /** The answer went another way than what was typed. */
  | { kind: 'diverged' }
  /** The waiter's own signal aborted. */
  | { kind: 'cancelled' }
  /** The request failed or was aborted before it reached the waiter's text. */
  | { kind: 'failed' };

/** How long a stream nobody waits for any more is kept alive for a next keystroke to join. */
export const ORPHAN_GRACE_MS = 400;
/**
 * Longest raw answer kept. 2048 tokens (the largest num_predict) of code are a few KiB; more is a
 * misbehaving server (e.g. one 1 MB token): the answer is dropped and the request stopped.
 */
export const MAX_ANSWER_CHARS = 64 * 1024;

export class InflightCompletion {
  readonly controller = new AbortController();
  private raw = '';
  private decision: Decision = { text: '', done: false };
  private done = false;
  private waiters = 0;
  /** A waiter was answered with text: the user sees this answer and may type through the rest. */
  private shown = false;
  /** The caller awaits the whole answer through `awaitWhole` (alternatives). */
  private awaited = false;
  private orphanTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private resolveFinished!: () => void;
  /** Resolves when the stream has ended, failed or been aborted. */
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));

  constructor(readonly ctx: CompletionContext, readonly shape: Shape) {}

  get text(): string {
    return this.decision.text;
  }

  get decided(): boolean {
    return this.decision.done;
  }

  /**
   * The answer was cut at a line break the model wrote (single-line, or an answer that finishes its
   * line): what the model had after that break was never read.
   */
  get endsLine(): boolean {
    const text = this.decision.text;
    return this.decision.done && !text.includes('\n') && cleanModelText(this.raw).text.startsWith(`${text}\n`);
  }

  get isFinished(): boolean {
    return this.done;
  }

  /**
   * Someone will use this answer: a waiter, a shown first line whose rest the user may type through
   * (the stream must reach its decision to be cached), or a caller awaiting the whole answer.
   */
  get isWanted(): boolean {
    return this.waiters > 0 || this.shown || this.awaited;
  }

  /** Wait for the end of the stream, as a caller that uses the whole answer (never an orphan). */
  awaitWhole(): Promise<void> {
    this.awaited = true;
    return this.finished;
  }

  /** The answer grew past MAX_ANSWER_CHARS: decided as empty. */
  overlong = false;

  /** Feed a streamed piece; returns true once the completion is decided (stop streaming). */
  push(piece: string): boolean {
    if (this.decision.done) return true;
    this.raw += piece;
    if (this.raw.length > MAX_ANSWER_CHARS) {
      this.overlong = true;
      this.raw = '';
      this.decision = { text: '', done: true };
      this.notify();
      return true;
    }
    const clean = cleanModelText(this.raw);
    this.decision = decide(clean.text, this.shape, clean.ended);
    this.notify();
    return this.decision.done;
  }

  /** The stream ended normally: whatever arrived is final. */
  end(): void {
    if (!this.decision.done) this.decision = decide(cleanModelText(this.raw).text, this.shape, true);
    this.finish();
  }

  /** The request failed or was aborted: waiters that have no text yet give up. */
  fail(): void {
    this.finish();
  }

  abort(reason: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error(reason));
  }

  /**
   * Wait until the answer for someone who typed `typed` after the prompt prefix is showable:
   * its first non-blank line is complete, or the answer is decided.
   */
  waitFor(typed: string, signal: AbortSignal, tabSize = 4): Promise<WaitResult> {
    this.waiters++;
    clearTimeout(this.orphanTimer);
    return new Promise<WaitResult>((resolve) => {
      const settle = (result: WaitResult) => {
        this.listeners.delete(check);
        signal.removeEventListener('abort', onAbort);
        this.waiters--;
        if (result.kind === 'text') this.shown = true;
        if (!this.isWanted && !this.done) {
          // Nobody waits: keep streaming briefly for a next keystroke to join, then free the GPU.
          this.orphanTimer = setTimeout(() => {
            if (!this.isWanted) this.abort('no longer wanted');
          }, ORPHAN_GRACE_MS);
        }
        resolve(result);
      };
      const onAbort = () => settle({ kind: 'cancelled' });
      const check = () => {
        const result = this.resultFor(typed, tabSize);
        if (result) settle(result);
      };
      if (signal.aborted) return settle({ kind: 'cancelled' });
      signal.addEventListener('abort', onAbort, { once: true });
      this.listeners.add(check);
      check();
    });
  }

  /** Whether someone who typed `typed` after the prompt prefix can still be served by this answer. */
  follows(typed: string, tabSize = 4): boolean {
    const rest = typedAlong(this.decision.text, typed, tabSize);
    if (typeof rest === 'string') return true;
    // Typed past what has streamed: worth waiting for only when it is Enter at the line end this
    // answer was asked for (expected to start with that line break); other text would likely diverge.
    return rest === SHORT && !this.decision.done && this.shape.afterBreak !== undefined && /^\n[ \t]*$/.test(typed);
  }

  private resultFor(typed: string, tabSize: number): WaitResult | undefined {
    const rest = typedAlong(this.decision.text, typed, tabSize);
    if (typeof rest !== 'string') {
      if (this.decision.done || rest !== SHORT) return { kind: 'diverged' };
      return this.done ? { kind: 'failed' } : undefined;
    }
    if (this.decision.done) return { kind: 'text', text: rest };
    const line = firstShowableLine(rest);
    if (line !== undefined) return { kind: 'text', text: line };
    return this.done ? { kind: 'failed' } : undefined;
  }

  private finish(): void {
    this.done = true;
    this.resolveFinished();
    clearTimeout(this.orphanTimer);
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The text up to the first line break that follows some non-blank text, if there is one yet. */
export function firstShowableLine(text: string): string | undefined {
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    if (nl === -1) return undefined;
    if (text.slice(0, nl).trim() !== '') return text.slice(0, nl);
    from = nl + 1;
  }
}
