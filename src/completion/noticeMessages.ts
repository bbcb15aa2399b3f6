// The words of the completion notifications (vscode/problemNotices.ts, ollama/vscode/pullCommand.ts
// show them). A model name, a host and a server's error are not Infill's text: each goes through
// messageText, so a `[label](command:…)` in them shows as written and never becomes a link.

import { messageText } from '../util/untrustedText';

export function unreachableMessage(host: string): string {
  return `Infill cannot reach Ollama at ${messageText(host)}. Start it (ollama serve); completions resume by themselves.`;
}

/** The question and its button (the button's label is matched to the answer, so both come from here). */
export function missingModelMessage(model: string): { message: string; pull: string } {
  return {
    message: `The completion model ${messageText(model)} is not installed in Ollama.`,
    pull: `Pull ${messageText(model)}`,
  };
}

export function modelReadyMessage(model: string): string {
  return `${messageText(model)} is ready: Infill completions are on.`;
}

/** An error state's message (a refused model, a server's error...). */
export function errorMessage(message: string): string {
  return `Infill: ${messageText(message)}`;
}

/** A pull's progress notification: its title, and the line under it (`status` is the server's). */
export function pullTitle(model: string): string {
  return `Pulling ${messageText(model)}`;
}

export function pullProgressMessage(percent: number, bytes: string, status: string): string {
  return `${percent}%${bytes} (${messageText(status)})`;
}

export function pullFailedMessage(model: string, error: string): string {
  return `Could not pull ${messageText(model)}: ${messageText(error)}`;
}
