// A minimal event emitter for the pure modules (vscode.EventEmitter cannot be used there).

export type Listener<T> = (value: T) => void;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();

  /** `onListenerError`: where a throwing listener's error goes (the log), so it is never lost. */
  constructor(private readonly onListenerError: (err: unknown) => void) {}

  /** Subscribe; returns a disposable that unsubscribes. */
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        // One failing listener must not starve the others; its error is reported, not swallowed.
        this.onListenerError(err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
