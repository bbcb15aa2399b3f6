// A signal that never aborts: for the calls a test does not cancel.

export const never: AbortSignal = new AbortController().signal;
