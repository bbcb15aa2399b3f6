// Pull a model with a cancellable notification showing percentage and bytes (the pull itself:
// ../pullRun.ts). Cancelling disconnects, which stops the pull on the server; pulling again resumes it.

import * as vscode from 'vscode';
import { pulledBytes, runPull } from '../pullRun';
import { pullFailedMessage, pullProgressMessage, pullTitle } from '../../completion/noticeMessages';
import type { Logger } from '../../util/log';

/** Resolves to true when the model was pulled, false when cancelled or failed (the user was told). */
export async function pullWithProgress(host: string, model: string, log: Logger): Promise<boolean> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: pullTitle(model), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      try {
        const outcome = await runPull(host, model, controller.signal, (state) => {
          // withProgress adds increments up; report only the growth since last time.
          progress.report({ increment: state.percent - reported, message: pullProgressMessage(state.percent, pulledBytes(state), state.status) });
          reported = state.percent;
        });
        if (outcome.ok) {
          log.info(`pulled ${model}`);
          return true;
        }
        if (outcome.error.kind === 'aborted') {
          log.info(`pull of ${model} cancelled at ${reported}%`);
          return false;
        }
        log.error(`pull of ${model} failed: ${outcome.error.message}`);
        void vscode.window.showErrorMessage(pullFailedMessage(model, outcome.error.message));
        return false;
      } finally {
        cancel.dispose();
      }
    },
  );
}
