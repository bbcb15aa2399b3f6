// What the current file imports from the workspace: the local modules named in its import
// statements, where such a module may be on disk, and its top-level declarations.

import type { LineSource } from '../text/lineSource';

export interface LocalImport {
  /** As written: `./util`, `../lib/x.js`, `.models` (Python). */
  readonly specifier: string;
  /** The names imported (`import { a, b as c }` → a, b); empty for a namespace or whole-module import. */
  readonly names: readonly string[];
}

/**
 * Relative imports in the first `maxLines` lines of a file of `languageId` (TypeScript/JavaScript
 * `import … from './x'`, `export … from './x'`, `require('./x')`; Python `from .x import a, b`),
 * in the order written, each specifier once. Other languages: none.
 */
export function localImports(languageId: string, lines: LineSource, maxLines: number): LocalImport[] {
  void languageId; void lines; void maxLines;
  throw new Error('todo');
}

/**
 * Workspace-relative paths (forward slashes) where `specifier`, imported by the file at `fromPath`,
 * may be, in the order a resolver tries them (`./x` → x.ts, x.tsx, x.d.ts, x/index.ts, …;
 * `./x.js` → x.ts first; `.x` → x.py, x/__init__.py). None that leave the workspace folder (`../`
 * above its root).
 */
export function candidatePaths(languageId: string, fromPath: string, specifier: string): string[] {
  void languageId; void fromPath; void specifier;
  throw new Error('todo');
}

/**
 * Lines (0-based) where top-level declarations start: unindented `function`, `class`, `interface`,
 * `type`, `enum`, `const`/`let`/`var`, `def`/`async def`, with or without `export`/`export default`/
 * `declare`/`async`/decorators above. When `names` is not empty, only the declarations of those names.
 */
export function topLevelDeclarations(lines: readonly string[], names: readonly string[]): number[] {
  void lines; void names;
  throw new Error('todo');
}
