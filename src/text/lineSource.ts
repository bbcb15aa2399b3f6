// A document read one line at a time: the completion window and Explain's block finder read only
// the lines they need, never the whole text (the adapter over a VS Code document:
// vscode/documentLines.ts).

export interface LineSource {
  readonly lineCount: number;
  /** The text of one line, without its line break. */
  lineAt(line: number): string;
}
