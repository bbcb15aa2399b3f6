// When a streamed completion is decided, so the stream can be aborted and the GPU freed:
// single-line mode ends at the first newline; multi-line mode (cursor at the end of a line that opens
// a block, or on an empty line) ends after maxLines lines or where the indentation drops out of the
// cursor's block. At the end of any other non-empty line the answer may either finish the line
// (single-line) or start with a line break: then what follows the break is judged as the answer
// an empty line at that indentation would get, i.e. what the user would see right after Enter.

import { indentWidth } from '../text/indentation';

export interface Shape {
  readonly multiline: boolean;
  readonly maxLines: number;
  /** Lines (after the first) indented less than this end the completion (visual columns). */
  readonly blockIndent: number;
  /** The cursor line opens a block: a lone closing bracket at the opener's indentation is kept. */
  readonly opensBlock: boolean;
  /** First non-blank line after the cursor line, trimmed: a closer already there is not repeated. */
  readonly nextSuffixLine: string;
  /** Indentation of that line: a closer at another indentation closes another block. */
  readonly nextSuffixIndent: number;
  /**
   * At the end of a finished line: the shape of what follows a line break the answer starts with
   * (the empty line Enter would make, at the line's indentation). Absent elsewhere.
   */
  readonly afterBreak?: Shape;
  /**
   * With afterBreak: characters at the start of the answer that are before the cursor (the word
   * token healing removed from the prompt), so not a continuation of the line.
   */
  readonly healed?: number;
}

const BLOCK_OPENER = /(?:[{([:]|=>|\b(?:then|do|else|begin))\s*$/;
const CLOSER_LINE = /^\s*[)\]}]+[;,)]*\s*$/;

export function completionShape(linePrefix: string, lineSuffix: string, nextSuffixLine: string,
  maxLines: number, healed = 0): Shape {
  const atLineEnd = lineSuffix.trim() === '';
  const blankLine = linePrefix.trim() === '';
  const opensBlock = atLineEnd && !blankLine && BLOCK_OPENER.test(linePrefix);
  const multiline = maxLines > 1 && atLineEnd && (blankLine || opensBlock);
  const shape: Shape = {
    multiline,
    maxLines: multiline ? maxLines : 1,
    blockIndent: opensBlock ? indentWidth(linePrefix) + 1 : indentWidth(linePrefix),
    opensBlock,
    nextSuffixLine: nextSuffixLine.trim(),
    nextSuffixIndent: indentWidth(nextSuffixLine),
  };
  if (!atLineEnd || blankLine || opensBlock) return shape;
  const indentation = linePrefix.slice(0, linePrefix.length - linePrefix.trimStart().length);
  const afterBreak = completionShape(indentation, '', nextSuffixLine, maxLines);
  return healed > 0 ? { ...shape, afterBreak, healed } : { ...shape, afterBreak };
}

export interface Decision {
  /** The part of the text that is final (or, until done, the longest part known to be kept). */
  readonly text: string;
  /** Nothing more can be added: abort the stream. */
  readonly done: boolean;
}

/**
 * Cut `text` (the completion so far, relative to the cursor) to its shape. With `streamEnded`
 * the whole text is final; otherwise only lines followed by a newline are judged.
 */
export function decide(text: string, shape: Shape, streamEnded: boolean): Decision {
  if (shape.afterBreak) {
    const nl = text.indexOf('\n');
    if (nl === -1) return { text, done: streamEnded };
    const head = text.slice(0, nl);
    // Text before the break (after the healed word) finishes the line: single-line, as mid-line.
    if (head.slice(shape.healed ?? 0).trim() !== '') return { text: head, done: true };
    const next = decide(text.slice(nl + 1), shape.afterBreak, streamEnded);
    return { text: `${head}\n${next.text}`, done: next.done };
  }
  const lines = text.split('\n');
  if (!shape.multiline) {
    return lines.length > 1 ? { text: lines[0], done: true } : { text, done: streamEnded };
  }
  const completeLines = streamEnded ? lines.length : lines.length - 1;
  // Line 0 continues the cursor line; the block is judged on the lines that start after it.
  for (let i = 1; i < Math.min(completeLines, shape.maxLines); i++) {
    const line = lines[i];
    if (line.trim() === '' || indentWidth(line) >= shape.blockIndent) continue;
    // A lone closer at the opener's indentation ends the block; keep it unless it is already there.
    const alreadyThere = shape.nextSuffixLine === line.trim() && shape.nextSuffixIndent === indentWidth(line);
    const keepCloser = shape.opensBlock && CLOSER_LINE.test(line) && !alreadyThere;
    return { text: lines.slice(0, keepCloser ? i + 1 : i).join('\n'), done: true };
  }
  if (streamEnded || lines.length > shape.maxLines) {
    return { text: lines.slice(0, shape.maxLines).join('\n'), done: true };
  }
  // Without an opener no closer is kept, so a partial line that has already dropped out of the
  // block ends it now: the GPU need not finish a line that will not be shown.
  const last = lines.length - 1;
  const partial = lines[last];
  if (!shape.opensBlock && last >= 1 && partial.trim() !== '' && indentWidth(partial) < shape.blockIndent) {
    return { text: lines.slice(0, last).join('\n'), done: true };
  }
  return { text, done: false };
}
