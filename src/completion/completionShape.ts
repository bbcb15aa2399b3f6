// When a streamed completion is decided, so the stream can be aborted and the GPU freed:
// single-line mode ends at the first newline; multi-line mode (cursor at the end of a line that opens
// a block, or on an empty line) ends after maxLines lines or where the indentation drops out of the
// cursor's block.

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
}

const BLOCK_OPENER = /(?:[{([:]|=>|\b(?:then|do|else|begin))\s*$/;
const CLOSER_LINE = /^\s*[)\]}]+[;,)]*\s*$/;

export function completionShape(linePrefix: string, lineSuffix: string, nextSuffixLine: string,
  maxLines: number): Shape {
  const atLineEnd = lineSuffix.trim() === '';
  const blankLine = linePrefix.trim() === '';
  const opensBlock = atLineEnd && !blankLine && BLOCK_OPENER.test(linePrefix);
  const multiline = maxLines > 1 && atLineEnd && (blankLine || opensBlock);
  return {
    multiline,
    maxLines: multiline ? maxLines : 1,
    blockIndent: opensBlock ? indentWidth(linePrefix) + 1 : indentWidth(linePrefix),
    opensBlock,
    nextSuffixLine: nextSuffixLine.trim(),
    nextSuffixIndent: indentWidth(nextSuffixLine),
  };
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
  return { text, done: false };
}
