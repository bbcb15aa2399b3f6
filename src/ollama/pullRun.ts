// One model pull from start to end, shared by the infill.pullModel command (a notification), the
// Explain panel and the settings panel (progress in the panel): /api/pull's lines become overall
// progress states, and the end becomes an outcome instead of an exception, so each caller only
// decides how to show it. Aborting the signal disconnects, which stops the pull on the server;
// pulling again resumes it.

import { pullModel, toOllamaError, type OllamaError } from './client';
import { formatBytes, PullProgress, type PullState } from './pullProgress';

export type PullOutcome =
  | { readonly ok: true; readonly state: PullState }
  /** `error.kind` is 'aborted' when the signal cancelled the pull. */
  | { readonly ok: false; readonly state: PullState; readonly error: OllamaError };

/** Pulls `model`, calling `onState` on each progress line; never rejects. */
export async function runPull(host: string, model: string, signal: AbortSignal,
  onState: (state: PullState) => void): Promise<PullOutcome> {
  const progress = new PullProgress();
  try {
    for await (const line of pullModel(host, model, signal)) onState(progress.update(line));
    return { ok: true, state: progress.state() };
  } catch (err) {
    return { ok: false, state: progress.state(), error: toOllamaError(err, signal) };
  }
}

/** " — 1.2 GB of 3.8 GB" once the size is known, else nothing. */
export function pulledBytes(state: PullState): string {
  return state.totalBytes > 0 ? ` — ${formatBytes(state.completedBytes)} of ${formatBytes(state.totalBytes)}` : '';
}
