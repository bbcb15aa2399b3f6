// Ticks off the getting-started walkthrough's steps from the extension, on top of their
// `completionEvents` in package.json. Those events alone miss the common order of things, because of
// how VS Code's walkthroughs service (gettingStartedService.ts) works. It is created lazily, when the
// Welcome page or a walkthrough first opens. With `workbench.startupEditor` set to anything but the
// Welcome page, that is after Infill has already set its context keys:
// - When the service registers a step, it records an `onContext:` expression that is already true
//   as "seen this session" but does not complete the step (registerDoneListeners). It completes a
//   step only on a later change, and `progressByEvent` handles each event once per session. So
//   "Start Ollama" never completed when Ollama was already up when the user opened the walkthrough.
// - `onCommand:` events are seen only while the service exists. A command run before the
//   walkthrough opens, or before its steps are registered, is lost.
// The built-in command `welcome.markStepComplete` creates the service if needed and stores the step's
// progress per profile. It stores the progress before it looks the step up, so a step that is not
// registered yet still shows as done once it is. Completed steps stay completed, as they do with the
// completion events.

import * as vscode from 'vscode';
import type { Logger } from '../../util/log';
import { describeError } from '../../util/errors';

export const WALKTHROUGH_ID = 'gettingStarted';
export type WalkthroughStep = 'startOllama' | 'pullModel' | 'tryCompletion' | 'openSettings';

/** Extension walkthroughs are registered after an experiment lookup that may take up to 5 s. */
const RETRIES = 12;
const RETRY_MS = 500;

export class WalkthroughProgress {
  private readonly requested = new Set<WalkthroughStep>();

  /** `extensionId` as in package.json (publisher.name), which is the first part of the step's id. */
  constructor(private readonly extensionId: string, private readonly log: Logger) {}

  /** Mark a step complete. Runs once per step and session, and never throws. */
  async complete(step: WalkthroughStep): Promise<void> {
    if (this.requested.has(step)) return;
    this.requested.add(step);
    const id = `${this.extensionId}#${WALKTHROUGH_ID}#${step}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await vscode.commands.executeCommand('welcome.markStepComplete', id);
        this.log.debug(`walkthrough step ${step} marked complete`);
        return;
      } catch (err) {
        // The service was just created and has not registered Infill's walkthrough yet. The step
        // is stored as done already; trying again fires the change if a future VS Code orders it
        // the other way.
        const unregistered = /does not exist in registry|unknown step/i.test(String(err));
        if (!unregistered || attempt >= RETRIES) {
          // Without the command (a fork of VS Code, say), the completion events still apply.
          if (!unregistered) this.log.debug(`walkthrough step ${step}: ${describeError(err)}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }
}
