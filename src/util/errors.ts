// How an unexpected error is written to the log: with its stack, which `String(err)` would drop.

/** The error's stack (or message) for a log line; anything else thrown as text. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  try {
    return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
