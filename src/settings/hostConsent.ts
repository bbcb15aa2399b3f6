// Whether code may be sent to the configured Ollama host. A host other than this machine receives
// the code around the cursor, so the user is asked once: "allow" is remembered per host (across
// sessions), "not now" or a dismissed question holds for the session, until Infill: Retry asks again.
// Infill: Forget Allowed Ollama Hosts withdraws every "allow": the next keystroke asks again.
// Pure: the question and the store are injected (vscode/hostConfirmation.ts is the VS Code glue).

import { isLoopbackHost, normaliseHost } from './hostPolicy';

export type ConsentAnswer = 'allow' | 'decline' | undefined;

/** Where allowed hosts are remembered (VS Code: globalState). */
export interface ConsentStore {
  get(): readonly string[];
  update(hosts: string[]): PromiseLike<void>;
}

export interface HostConsentOptions {
  /** Ask the user about `host` (already normalised); undefined when the question was dismissed. */
  readonly ask: (host: string) => PromiseLike<ConsentAnswer>;
  readonly store: ConsentStore;
  /** The answer changed what blockedReason says (allowed, declined, or reset). */
  readonly onChange?: () => void;
  /** A question or the store failed (the answer then counts as "not now"). */
  readonly onError?: (err: unknown) => void;
}

/** The form a host is compared and remembered in: `h`, `http://h` and `http://h:11434/` are one host. */
export function hostKey(host: string): string {
  try {
    return normaliseHost(host);
  } catch {
    return host.trim();
  }
}

export class HostConsent {
  /** Questions open now, by host: concurrent callers wait for the same answer. */
  private readonly pending = new Map<string, Promise<boolean>>();
  /** Hosts declined (or dismissed) in this session: not asked again until reset(). */
  private readonly declined = new Set<string>();
  /** Allowed in this session even if the store failed to remember it. */
  private readonly allowed = new Set<string>();
  /** Forgotten in this session even if the store failed to forget it (or has not yet). */
  private readonly forgotten = new Set<string>();

  constructor(private readonly options: HostConsentOptions) {}

  /** Why nothing may be sent to `host` now, or undefined when it may. Never asks. */
  blockedReason(host: string): string | undefined {
    if (this.isAllowed(host)) return undefined;
    const key = hostKey(host);
    if (this.declined.has(key)) {
      return `Not sending code to ${key}: you did not allow it (run Infill: Retry to be asked again)`;
    }
    if (this.pending.has(key)) return `Waiting for you to allow sending code to ${key}`;
    return `Not sending code to ${key} until you allow it`;
  }

  /**
   * Whether code may be sent to `host`, asking the user first when they have not been asked in this
   * session. Resolves once answered; a host declined in this session resolves false without asking.
   */
  request(host: string): Promise<boolean> {
    if (this.isAllowed(host)) return Promise.resolve(true);
    const key = hostKey(host);
    if (this.declined.has(key)) return Promise.resolve(false);
    let answer = this.pending.get(key);
    if (!answer) {
      answer = this.askOnce(key);
      this.pending.set(key, answer);
      this.options.onChange?.();
    }
    return answer;
  }

  /** The user ran Retry: hosts declined in this session are asked about again. */
  reset(): void {
    if (this.declined.size === 0) return;
    this.declined.clear();
    this.options.onChange?.();
  }

  /** The hosts code may be sent to without asking (remembered or allowed in this session), normalised. */
  allowedHosts(): string[] {
    const hosts = [...this.remembered().filter((h) => !this.forgotten.has(h)), ...this.allowed];
    return [...new Set(hosts)];
  }

  /**
   * Withdraw every "allow" and this session's "not now" answers: each remote host is asked about
   * again before anything is sent to it. Resolves with the hosts that were allowed.
   */
  async forgetAll(): Promise<string[]> {
    const hosts = this.allowedHosts();
    if (hosts.length === 0 && this.declined.size === 0) return [];
    // Blocked at once, not once the store has written: a keystroke meanwhile must not send.
    for (const key of this.remembered()) this.forgotten.add(key);
    this.allowed.clear();
    this.declined.clear();
    this.options.onChange?.();
    if (this.remembered().length > 0) {
      try {
        await this.options.store.update([]);
      } catch (err) {
        this.options.onError?.(err); // still forgotten for this session
      }
    }
    return hosts;
  }

  private isAllowed(host: string): boolean {
    if (isLoopbackHost(host)) return true;
    const key = hostKey(host);
    return this.allowed.has(key) || (this.remembered().includes(key) && !this.forgotten.has(key));
  }

  /** Remembered hosts, normalised (older versions stored the setting's text as it was). */
  private remembered(): string[] {
    const stored = this.options.store.get();
    return Array.isArray(stored) ? stored.filter((h) => typeof h === 'string').map(hostKey) : [];
  }

  private async askOnce(key: string): Promise<boolean> {
    let answer: ConsentAnswer;
    try {
      // Asked from a microtask: even a question that throws at once settles after request() returns.
      answer = await Promise.resolve().then(() => this.options.ask(key));
    } catch (err) {
      this.options.onError?.(err);
      answer = undefined;
    }
    this.pending.delete(key);
    if (answer === 'allow') {
      this.allowed.add(key);
      this.forgotten.delete(key);
      const hosts = this.remembered();
      if (!hosts.includes(key)) {
        try {
          await this.options.store.update([...hosts, key]);
        } catch (err) {
          this.options.onError?.(err); // still allowed for this session
        }
      }
    } else {
      this.declined.add(key);
    }
    this.options.onChange?.();
    return answer === 'allow';
  }
}
