// Pull a model with a cancellable notification showing percentage and bytes.
// Cancelling disconnects, which stops the pull on the server; pulling again resumes it.

import * as vscode from 'vscode';
import { pullModel, toOllamaError } from '../client';
import { formatBytes, PullProgress } from '../pullProgress';
import type { Logger } from '../../util/log';

/** Resolves to true when the model was pulled, false when cancelled or failed (the user was told). */
export async function pullWithProgress(host: string, model: string, log: Logger): Promise<boolean> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pulling ${model}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      const tracker = new PullProgress();
      let reported = 0;
      try {
        for await (const line of pullModel(host, model, controller.signal)) {
          const state = tracker.update(line);
          const bytes = state.totalBytes > 0 ? ` — ${formatBytes(state.completedBytes)} of ${formatBytes(state.totalBytes)}` : '';
          // withProgress adds increments up; report only the growth since last time.
          progress.report({ increment: state.percent - reported, message: `${state.percent}%${bytes} (${state.status})` });
          reported = state.percent;
        }
        log.info(`pulled ${model}`);
        return true;
      } catch (err) {
        const e = toOllamaError(err, controller.signal);
        if (e.kind === 'aborted') {
          log.info(`pull of ${model} cancelled at ${reported}%`);
          return false;
        }
        log.error(`pull of ${model} failed: ${e.message}`);
        void vscode.window.showErrorMessage(`Could not pull ${model}: ${e.message}`);
        return false;
      } finally {
        cancel.dispose();
      }
    },
  );
}
