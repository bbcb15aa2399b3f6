// Which problems deserve a notification: at most one per distinct problem per window session.
// The status bar shows every state; a notification interrupts, so a flapping server, a model that
// stays missing or an error that comes back after each back-off is announced once. The user's
// Retry starts afresh. Pure: the VS Code glue only shows what `show` is given.

import type { EngineState } from './completionEngine';

export type Notice =
  | { readonly kind: 'unreachable'; readonly host: string }
  | { readonly kind: 'modelMissing'; readonly model: string }
  | { readonly kind: 'error'; readonly message: string };

/** The engine events a policy listens to. */
export interface NoticeSource {
  onUnreachable(listener: (host: string) => void): { dispose(): void };
  onModelMissing(listener: (model: string) => void): { dispose(): void };
  onState(listener: (state: EngineState) => void): { dispose(): void };
}

export function noticeKey(notice: Notice): string {
  switch (notice.kind) {
    case 'unreachable': return `unreachable\u0000${notice.host}`;
    case 'modelMissing': return `modelMissing\u0000${notice.model}`;
    case 'error': return `error\u0000${notice.message}`;
  }
}

export class NoticePolicy {
  private readonly shown = new Set<string>();

  constructor(private readonly show: (notice: Notice) => void) {}

  /** Show `notice` unless the same problem was shown already; returns whether it was shown. */
  offer(notice: Notice): boolean {
    const key = noticeKey(notice);
    if (this.shown.has(key)) return false;
    this.shown.add(key);
    this.show(notice);
    return true;
  }

  /** The user retried: each problem may be announced again. */
  reset(): void {
    this.shown.clear();
  }

  /** Offer what the engine reports: outages, missing models, error states. */
  attach(source: NoticeSource): { dispose(): void } {
    const subscriptions = [
      source.onUnreachable((host) => this.offer({ kind: 'unreachable', host })),
      source.onModelMissing((model) => this.offer({ kind: 'modelMissing', model })),
      source.onState((state) => {
        if (state.kind === 'error') this.offer({ kind: 'error', message: state.message });
      }),
    ];
    return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
  }
}
