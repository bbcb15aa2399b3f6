// Text Infill did not write — a model name from (possibly workspace) settings, a server's error, a
// file name, a host — shown where VS Code parses text: `[label](command:…)` in a notification, a
// notification's button or a progress notification becomes a link, and a command link runs its
// command with its arguments when clicked (VS Code base/common/linkedText.ts: no escapes honoured).
// Each function makes such text show as it is written, never as a link, an icon or markup.
// Status bar tooltips stay plain strings (VS Code shows those as text): no MarkdownString shows
// untrusted text.

/** WORD JOINER: invisible, and no line may break at it. */
const JOINER = '\u2060';

/**
 * For a notification's message or button, or a progress title or message. VS Code links
 * `[label](href)` only when `]` is directly followed by `(`: an invisible joiner after every `]`
 * breaks every such pair, and the text still reads as it was.
 */
export function messageText(text: string): string {
  return text.replace(/]/g, `]${JOINER}`);
}

/**
 * For a quick pick's label, description or detail: there `$(name)` is drawn as an icon, and
 * `\$(` is VS Code's escape for a literal `$(`.
 */
export function labelText(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
