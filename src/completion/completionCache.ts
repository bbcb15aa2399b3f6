// Completed answers, bounded by bytes (lru-cache), with typing-through lookup.
//
// An entry is the model's middle for one exact prompt context: the options that shape the answer
// (model, format, temperature...), the prefix the model continued and the suffix. Nothing is
// normalised: indentation and whitespace are part of the key.
//
// Typing-through: when the user types characters that match the start of a cached answer, the
// current prefix is `entry.promptPrefix + typed` and the rest of the answer is served at once.
// The same rule serves backspace within the word/line (a shorter `typed`) and token healing
// (the healed characters are just the first `typed` characters).

import { LRUCache } from 'lru-cache';
import { remainderAfter } from './typingThrough';

export interface CompletionContext {
  /** Model, prompt format and sampling options: anything that changes the answer. */
  readonly optionsKey: string;
  readonly promptPrefix: string;
  readonly suffix: string;
}

export interface CacheEntry extends CompletionContext {
  /** The decided middle (cleaned, cut to its shape), relative to promptPrefix. */
  readonly texts: readonly string[];
  /**
   * Only the start of the answer is known (the request was stopped once it went another way than
   * the typed word): never served, it only records that asking this prompt again is pointless.
   */
  readonly partial?: boolean;
  /** The answer was cut at the model's line break (InflightCompletion.endsLine): nothing after it is known. */
  readonly endsLine?: boolean;
}

export interface TypingThroughHit {
  readonly entry: CacheEntry;
  /** Characters typed since the entry's prompt prefix. */
  readonly typed: string;
  /** What is left of each answer after `typed` (answers that do not match are left out). */
  readonly remainders: readonly string[];
}

/** How many recent entries a typing-through lookup scans: bounded work per keystroke. */
export const TYPING_THROUGH_SCAN = 24;

export function contextKey(ctx: CompletionContext): string {
  return `${ctx.optionsKey}\u0000${ctx.suffix}\u0000${ctx.promptPrefix}`;
}

export class CompletionCache {
  private readonly lru: LRUCache<string, CacheEntry>;

  constructor(maxBytes = 8 * 1024 * 1024) {
    this.lru = new LRUCache<string, CacheEntry>({
      maxSize: maxBytes,
      // UTF-16: two bytes a code unit; the key repeats the context.
      sizeCalculation: (entry, key) => 2 * (key.length + entry.texts.reduce((n, t) => n + t.length, 0)) + 64,
    });
  }

  /** The bytes counted against the bound (an estimate: two a UTF-16 code unit). */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get size(): number {
    return this.lru.size;
  }

  set(entry: CacheEntry): void {
    this.lru.set(contextKey(entry), entry);
  }

  get(ctx: CompletionContext): CacheEntry | undefined {
    return this.lru.get(contextKey(ctx));
  }

  clear(): void {
    this.lru.clear();
  }

  /**
   * An entry whose prompt prefix the current `prefix` extends, with the same options and suffix,
   * whose answer starts with what was typed since (indentation compared by width across a line
   * break: see typingThrough.ts). Scans only the most recent entries.
   */
  findTypingThrough(optionsKey: string, suffix: string, prefix: string, tabSize = 4): TypingThroughHit | undefined {
    let scanned = 0;
    for (const [key, entry] of this.lru.entries()) {
      if (++scanned > TYPING_THROUGH_SCAN) break;
      if (entry.partial || entry.optionsKey !== optionsKey || entry.suffix !== suffix ||
        !prefix.startsWith(entry.promptPrefix)) {
        continue;
      }
      const typed = prefix.slice(entry.promptPrefix.length);
      const remainders = entry.texts.map((t) => remainderAfter(t, typed, tabSize)).filter((r): r is string => r !== undefined);
      if (remainders.length === 0) continue;
      this.lru.get(key); // mark as recently used
      return { entry, typed, remainders };
    }
    return undefined;
  }
}
