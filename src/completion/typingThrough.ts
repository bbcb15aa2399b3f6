// What is left of an answer once the user has typed along it.
//
// Within a line the typed characters must be the answer's own. Across a line break (Enter at a
// line end, where the answer starts with the next line) VS Code inserts its own indentation, which
// may be tabs where the model wrote spaces, or less than the model's: a line's indentation is
// therefore compared by its width in columns, and what the model indents further is still shown.

import { indentWidth } from '../text/indentation';

/** The answer (still streaming) has not reached the end of what was typed: it may match later. */
export const SHORT = Symbol('short');

/**
 * The rest of `answer` after `typed`; SHORT when the answer so far is consistent with `typed` but
 * shorter; undefined when the user typed something else.
 */
export function typedAlong(answer: string, typed: string, tabSize = 4): string | typeof SHORT | undefined {
  if (answer.startsWith(typed)) return answer.slice(typed.length);
  const typedLines = typed.split('\n');
  let pos = 0;
  for (let i = 0; ; i++) {
    const t = typedLines[i];
    const last = i === typedLines.length - 1;
    const nl = answer.indexOf('\n', pos);
    const complete = nl !== -1; // more of this line may still arrive while streaming
    const lineEnd = complete ? nl : answer.length;
    const line = answer.slice(pos, lineEnd);
    if (i === 0) {
      // The cursor line itself: the characters must be the same.
      if (last) return !complete && t.startsWith(line) ? SHORT : undefined;
      if (!complete) return t.startsWith(line) ? SHORT : undefined;
      if (line !== t) return undefined;
      pos = nl + 1;
      continue;
    }
    const [typedIndent, typedRest] = splitIndent(t);
    const [answerIndent, answerRest] = splitIndent(line);
    const typedWidth = indentWidth(typedIndent, tabSize);
    const answerWidth = indentWidth(answerIndent, tabSize);
    if (answerRest === '' && !complete) return SHORT; // its indentation is still arriving
    if (!last) {
      if (typedWidth !== answerWidth || (complete ? answerRest !== typedRest : !typedRest.startsWith(answerRest))) {
        return undefined;
      }
      if (!complete) return SHORT;
      pos = nl + 1;
      continue;
    }
    if (typedRest === '') {
      // Only the indentation Enter inserted: a blank answer line goes on at its own break.
      if (answerRest === '') return answer.slice(lineEnd);
      if (typedWidth > answerWidth) return undefined;
      return padding(answerWidth - typedWidth, typedIndent, tabSize) + answerRest + answer.slice(lineEnd);
    }
    if (typedWidth !== answerWidth) return undefined;
    if (answerRest.startsWith(typedRest)) return answerRest.slice(typedRest.length) + answer.slice(lineEnd);
    return !complete && typedRest.startsWith(answerRest) ? SHORT : undefined;
  }
}

/** The rest of a whole (no longer streaming) answer after `typed`, or undefined. */
export function remainderAfter(answer: string, typed: string, tabSize = 4): string | undefined {
  const rest = typedAlong(answer, typed, tabSize);
  return typeof rest === 'string' ? rest : undefined;
}

function splitIndent(line: string): [string, string] {
  const indent = /^[ \t]*/.exec(line)![0];
  return [indent, line.slice(indent.length)];
}

/** `columns` more indentation, in the style of the line's own (tabs only where they fit exactly). */
function padding(columns: number, style: string, tabSize: number): string {
  if (columns === 0) return '';
  if (style.includes('\t') && columns % tabSize === 0) return '\t'.repeat(columns / tabSize);
  return ' '.repeat(columns);
}
