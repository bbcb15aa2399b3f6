// What VS Code would make of a notification's text, for tests of text that is not Infill's.

/** A command link in the shape every hostile text in the tests uses. */
export const HOSTILE = '[x](command:workbench.action.quit)';

/**
 * The links VS Code makes of a notification's text: `[label](href)` with an http(s), command or
 * file href, `]` directly followed by `(` (base/common/linkedText.ts; no escapes are honoured).
 */
export function notificationLinks(text: string): string[] {
  return [...text.matchAll(/\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)/gi)].map((m) => m[2]);
}
