// A typing trace: the keystrokes that type a source's stretch back, with realistic, seeded timings.
//
// - Bursts: 40–120 ms between keys.
// - Line ends, two kinds of trace:
//   - pause after Enter (the first trace): Enter (which, as in VS Code, also inserts the next line's
//     indentation) is followed by a 300–1500 ms pause: the user looks at the suggestion for the new line;
//   - pause before Enter (the line-end trace): the user finishes a line, pauses 300–1500 ms at its end,
//     then presses Enter and types the next line without pausing.
// - After punctuation inside a line (`( , . = :` ...), a 300–1500 ms pause with probability 1/4.
// - Typos: a letter is mistyped with probability 3 %, then erased with Backspace and typed right.

import { loadSource, type Source, type SourceSpec } from './sources';
import { seededRandom } from '../test/support/seededRandom';
import { uniform } from './stats';

export type KeyKind = 'char' | 'enter' | 'typo' | 'backspace';
/** Where the user pauses at a line end: after Enter (on the new line) or before it (at the line's end). */
export type TraceKind = 'afterEnter' | 'beforeEnter';
export const TRACE_KINDS: readonly TraceKind[] = ['afterEnter', 'beforeEnter'];
export type PauseKind = 'line' | 'punctuation' | 'end';

export interface Keystroke {
  readonly kind: KeyKind;
  /** Inserted text ('' for Backspace). */
  readonly text: string;
  /** Wait before this key, from the previous one (the first: from the start of the replay). */
  readonly delayMs: number;
  /** The user pauses after this key (the next delay is a pause). */
  readonly pauseAfter?: PauseKind;
}

export interface Trace {
  readonly kind: TraceKind;
  readonly source: Source;
  readonly keys: readonly Keystroke[];
  /** Characters of the stretch typed (not counting typos and Backspaces). */
  readonly typedChars: number;
  /** Pauses inside the trace (line ends and punctuation; the final stop is not counted). */
  readonly pauses: number;
  readonly durationMs: number;
}

export const BURST_MS = [40, 120] as const;
export const PAUSE_MS = [300, 1500] as const;
export const PUNCTUATION_PAUSE_PROBABILITY = 0.25;
export const TYPO_PROBABILITY = 0.03;
/** Quiet time before the first key and after the last one. */
export const LEAD_IN_MS = 300;
export const SETTLE_MS = 1500;

const PUNCTUATION = /[(),.=:;[\]{}]/;
const LETTER = /[a-z]/i;

export function buildTrace(source: Source, seed: number, kind: TraceKind = 'afterEnter'): Trace {
  const random = seededRandom(seed);
  const burst = () => uniform(random, BURST_MS[0], BURST_MS[1]);
  const pause = () => uniform(random, PAUSE_MS[0], PAUSE_MS[1]);
  const lines = source.text.slice(source.start, source.end).split('\n');
  const keys: Keystroke[] = [];
  let nextDelay = LEAD_IN_MS;
  let typedChars = 0;
  const push = (kind: KeyKind, text: string, pauseAfter?: PauseKind) => {
    keys.push({ kind, text, delayMs: nextDelay, pauseAfter });
    nextDelay = pauseAfter ? pause() : burst();
  };
  lines.forEach((line, i) => {
    const content = i === 0 ? line : line.trimStart();
    [...content].forEach((ch, k) => {
      if (LETTER.test(ch) && random() < TYPO_PROBABILITY) {
        const wrong = String.fromCharCode(97 + ((ch.toLowerCase().charCodeAt(0) - 97 + 1 + Math.floor(random() * 24)) % 26));
        push('typo', wrong);
        push('backspace', '');
      }
      const midLine = k < content.length - 1;
      const pausesHere = midLine && PUNCTUATION.test(ch) && random() < PUNCTUATION_PAUSE_PROBABILITY;
      const lineEndPause = kind === 'beforeEnter' && !midLine && i < lines.length - 1;
      push('char', ch, lineEndPause ? 'line' : pausesHere ? 'punctuation' : undefined);
      typedChars++;
    });
    if (i < lines.length - 1) {
      const next = lines[i + 1];
      push('enter', '\n' + next.slice(0, next.length - next.trimStart().length), kind === 'afterEnter' ? 'line' : undefined);
      typedChars++;
    }
  });
  const last = keys[keys.length - 1];
  keys[keys.length - 1] = { ...last, pauseAfter: 'end' };
  const durationMs = keys.reduce((n, k) => n + k.delayMs, 0) + SETTLE_MS;
  const pauses = keys.filter((k) => k.pauseAfter === 'line' || k.pauseAfter === 'punctuation').length;
  return { kind, source, keys, typedChars, pauses, durationMs };
}

/** The benchmark's traces: the first `files` sources that exist here, about `chars` characters each. */
export function benchTraces(specs: readonly SourceSpec[], chars: number, kind: TraceKind = 'afterEnter'): Trace[] {
  const traces: Trace[] = [];
  specs.forEach((spec, i) => {
    const source = loadSource(spec, chars);
    if (source) traces.push(buildTrace(source, 6000 + i, kind));
  });
  return traces;
}
