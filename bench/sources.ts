// Real source files to type in the trace replay, in four languages, taken from what is installed
// here (the npm dependencies, Debian's Python standard library and C headers). A stretch of lines in
// the middle of each file is removed and typed back key by key; the rest of the file is the context.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export interface SourceSpec {
  readonly name: string;
  readonly language: string;
  /** Candidates, first existing wins (the Python version differs between machines). */
  readonly paths: readonly string[];
  /** Where in the file (share of its lines) the typed stretch starts. */
  readonly at: number;
}

export const SOURCES: readonly SourceSpec[] = [
  { name: 'ollama-js browser.ts', language: 'typescript', paths: ['node_modules/ollama/src/browser.ts'], at: 0.55 },
  { name: 'yauzl index.js', language: 'javascript', paths: ['node_modules/yauzl/index.js'], at: 0.45 },
  {
    name: 'python textwrap.py', language: 'python', at: 0.4,
    paths: ['/usr/lib/python3.11/textwrap.py', '/usr/lib/python3.12/textwrap.py', '/usr/lib/python3.13/textwrap.py',
      '/usr/lib/python3.10/textwrap.py'],
  },
  { name: 'glibc stdlib.h', language: 'c', paths: ['/usr/include/stdlib.h'], at: 0.45 },
];

export interface Source {
  readonly spec: SourceSpec;
  readonly path: string;
  readonly sha256: string;
  /** The whole file, LF line breaks. */
  readonly text: string;
  /** The typed stretch is text.slice(start, end): from the first non-blank character of a line to a line end. */
  readonly start: number;
  readonly end: number;
}

const COMMENT = /^\s*(\/\/|\/\*|\*|#|"""|''')/;

/** Load a source and pick its typed stretch: whole lines, about `chars` characters typed. */
export function loadSource(spec: SourceSpec, chars: number): Source | undefined {
  const path = spec.paths.find((p) => existsSync(p));
  if (!path) return undefined;
  const text = readFileSync(path, 'utf8').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const offsets: number[] = [];
  let at = 0;
  for (const line of lines) {
    offsets.push(at);
    at += line.length + 1;
  }
  // Start on a code line (not blank, not a comment) at the chosen share of the file.
  let first = Math.floor(lines.length * spec.at);
  while (first < lines.length - 1 && (lines[first].trim() === '' || COMMENT.test(lines[first]))) first++;
  const start = offsets[first] + (lines[first].length - lines[first].trimStart().length);
  let last = first;
  let typed = lines[first].trim().length;
  while (typed < chars && last < lines.length - 2) {
    last++;
    typed += lines[last].trim().length + 1;
  }
  const end = offsets[last] + lines[last].length;
  return { spec, path, sha256: createHash('sha256').update(text).digest('hex').slice(0, 16), text, start, end };
}
