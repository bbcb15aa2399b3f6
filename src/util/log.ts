// The small logging surface the pure modules use; the VS Code glue backs it with a LogOutputChannel.
// Prompts and completions are logged only at trace level (they are the user's code).

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
