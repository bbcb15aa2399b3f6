// What the current file imports from the workspace: the local modules named in its import
// statements, where such a module may be on disk, and its top-level declarations.

import type { LineSource } from '../text/lineSource';
import { KEYWORDS } from './identifiers';

export interface LocalImport {
  /** As written: `./util`, `../lib/x.js`, `.models` (Python). */
  readonly specifier: string;
  /**
   * The names imported (`import { a, b as c }` → a, b); empty for a namespace or whole-module import.
   * A default import is the name `default` (topLevelDeclarations finds the module's default export).
   */
  readonly names: readonly string[];
}

/** Only this many characters of a line are read: an import statement is never longer. */
const MAX_LINE_CHARS = 2000;
/** A statement over more lines than this is not an import list (or is not worth it). */
const MAX_STATEMENT_LINES = 100;

const SCRIPT_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);
const JS_LANGUAGES = new Set(['javascript', 'javascriptreact']);

/** Names and a whole-module flag gathered per specifier, in the order specifiers first appear. */
class ImportList {
  private readonly bySpecifier = new Map<string, { names: string[]; whole: boolean }>();

  add(specifier: string, names: readonly string[] | 'whole'): void {
    let entry = this.bySpecifier.get(specifier);
    if (entry === undefined) {
      entry = { names: [], whole: false };
      this.bySpecifier.set(specifier, entry);
    }
    if (names === 'whole') entry.whole = true;
    else for (const name of names) if (!entry.names.includes(name)) entry.names.push(name);
  }

  list(): LocalImport[] {
    return [...this.bySpecifier].map(([specifier, e]) => ({ specifier, names: e.whole ? [] : e.names }));
  }
}

function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/** `a, type b, c as d` (inside braces) → a, b, c; `b: c` (destructuring) → b. */
function namedList(text: string): string[] {
  const names: string[] = [];
  for (const item of text.split(',')) {
    const name = /^\s*(?:type\s+)?([\p{L}_$][\p{L}\p{N}_$]*)/u.exec(item)?.[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

const FROM = /\bfrom\s*(['"])([^'"]*)\1/;
const SIDE_EFFECT = /^import\s*(['"])([^'"]*)\1/;
const REQUIRE = /\brequire\s*\(\s*(['"])([^'"]*)\1\s*\)/g;

/** One `import …`/`export … from` statement (on one line, whitespace joined). */
function scriptStatement(statement: string, imports: ImportList): void {
  const sideEffect = SIDE_EFFECT.exec(statement);
  if (sideEffect !== null) {
    if (isRelative(sideEffect[2])) imports.add(sideEffect[2], 'whole');
    return;
  }
  const from = FROM.exec(statement);
  if (from === null || !isRelative(from[2])) return;
  // The clause between the keyword and `from`: `type? default?, { named }` or `* as ns` or `*`.
  const clause = statement.slice(0, from.index).replace(/^(import|export)\s*(type\s+)?/, '').trim();
  const open = clause.indexOf('{');
  if (open === -1) {
    if (clause.includes('*') || statement.startsWith('export')) imports.add(from[2], 'whole');
    else imports.add(from[2], clause === '' ? 'whole' : ['default']);
    return;
  }
  const close = clause.indexOf('}', open);
  const named = namedList(clause.slice(open + 1, close === -1 ? undefined : close));
  const before = clause.slice(0, open).replace(/,\s*$/, '').trim();
  if (before.includes('*')) imports.add(from[2], 'whole');
  else imports.add(from[2], before === '' ? named : ['default', ...named]);
}

/** `require('./x')` anywhere in a line; `const { a, b: c } = require('./x')` names a, b. */
function requires(line: string, imports: ImportList): void {
  for (const m of line.matchAll(REQUIRE)) {
    if (!isRelative(m[2])) continue;
    const destructured = /\{([^}]*)\}\s*=\s*$/.exec(line.slice(Math.max(0, m.index - 500), m.index));
    imports.add(m[2], destructured === null ? 'whole' : namedList(destructured[1]));
  }
}

/** `import {`, `import type {`, `import a, {`, `export {` left open at the end of a line: the list goes on. */
const OPEN_LIST = /^(import|export)(\s+type)?\s*([\p{L}_$][\p{L}\p{N}_$]*\s*,\s*)?\{[^}]*$/u;

function scriptImports(lines: LineSource, count: number): ImportList {
  const imports = new ImportList();
  let statement: string | undefined; // an import or export list still open
  let statementLines = 0;
  for (let i = 0; i < count; i++) {
    const line = lines.lineAt(i).slice(0, MAX_LINE_CHARS).trim();
    if (statement !== undefined) {
      statement += ` ${line}`;
      statementLines++;
      if (line.includes('}') || statementLines >= MAX_STATEMENT_LINES) {
        scriptStatement(statement, imports);
        statement = undefined;
      }
    } else if (OPEN_LIST.test(line)) {
      statement = line;
      statementLines = 1;
    } else if (/^(import|export)\b/.test(line)) {
      scriptStatement(line, imports);
      requires(line, imports); // `import x = require('./x')`
    } else if (!line.startsWith('//') && !line.startsWith('*') && !line.startsWith('/*')) {
      requires(line, imports);
    }
  }
  return imports;
}

/** `from .x import …`, `from pkg.mod import …` (group 1 the module, group 2 what is imported). */
const PY_FROM = /^from\s+(\.+[\w.]*|[\p{L}_][\w.]*)\s+import\s+(.*)$/u;
/** `import a.b, c as d` (group 1 the list). */
const PY_IMPORT = /^import\s+([\p{L}_][\w.]*(?:\s+as\s+\w+)?(?:\s*,\s*[\p{L}_][\w.]*(?:\s+as\s+\w+)?)*)$/u;

/** A Python line without its comment. */
function pythonLine(lines: LineSource, i: number): string {
  return lines.lineAt(i).slice(0, MAX_LINE_CHARS).replace(/#.*$/, '').trim();
}

function pythonImports(lines: LineSource, count: number): ImportList {
  const imports = new ImportList();
  for (let i = 0; i < count; i++) {
    const line = pythonLine(lines, i);
    const modules = PY_IMPORT.exec(line);
    if (modules !== null) {
      for (const item of modules[1].split(',')) imports.add(item.trim().split(/\s/)[0], 'whole');
      continue;
    }
    const m = PY_FROM.exec(line);
    if (m === null || m[1] === '__future__') continue;
    let list = m[2];
    // `from .x import (` goes on until `)`; a trailing `\` goes on to the next line.
    const parenthesised = list.startsWith('(');
    for (let more = 0; i + 1 < count && more < MAX_STATEMENT_LINES
      && (parenthesised ? !list.includes(')') : list.endsWith('\\')); more++) {
      list = `${list.replace(/\\$/, '')} ${pythonLine(lines, ++i)}`;
    }
    list = list.replace(/[()\\]/g, ' ').replace(/\bas\s+\w+/g, '');
    imports.add(m[1], list.trim() === '*' ? 'whole' : namedList(list));
  }
  return imports;
}

/**
 * Python's imports, the surely local ones first: relative imports in the order written, then the
 * absolute ones (`os`, `pkg.mod`) last written first. PEP 8 orders imports standard library, third
 * party, then the project's own, and a caller that follows only the first few should reach those.
 */
function pythonOrder(imports: readonly LocalImport[]): LocalImport[] {
  const relative = imports.filter((i) => i.specifier.startsWith('.'));
  const absolute = imports.filter((i) => !i.specifier.startsWith('.')).reverse();
  return [...relative, ...absolute];
}

/**
 * The imports in the first `maxLines` lines of a file of `languageId` that may be of the workspace,
 * each specifier once. TypeScript/JavaScript: relative ones (`import … from './x'`, `export … from
 * './x'`, `require('./x')`), in the order written. Python: `from .x import a, b`, `from pkg.mod import
 * a`, `import pkg.mod` (whether an absolute one is the project's is for candidatePaths and the disk
 * to say), in pythonOrder. Other languages: none.
 * A specifier imported twice gets the names of both; if either takes the whole module, no names.
 */
export function localImports(languageId: string, lines: LineSource, maxLines: number): LocalImport[] {
  const count = Math.max(0, Math.min(lines.lineCount, maxLines));
  if (SCRIPT_LANGUAGES.has(languageId)) return scriptImports(lines, count).list();
  if (languageId === 'python') return pythonOrder(pythonImports(lines, count).list());
  return [];
}

/** `dir` joined with `relative` (`.`/`..` resolved); undefined above the root. */
function joinPath(dir: string, relative: string): string | undefined {
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

const TS_EXTENSIONS = ['.ts', '.tsx', '.d.ts'];
const JS_EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs'];
/** An import of `./x.js` means `x.ts` when the sources are TypeScript (what tsc resolves first). */
const SOURCE_OF_OUTPUT: Record<string, readonly string[]> = {
  '.js': TS_EXTENSIONS, '.jsx': ['.tsx', '.d.ts'], '.mjs': ['.mts', '.d.mts'], '.cjs': ['.cts', '.d.cts'],
};
/** Specifiers ending in these are the file itself. */
const EXACT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.json', '.css', '.scss', '.less', '.svg', '.vue', '.svelte'];

function scriptCandidates(languageId: string, target: string, isDirectory: boolean): string[] {
  const own = JS_LANGUAGES.has(languageId) ? [JS_EXTENSIONS, TS_EXTENSIONS] : [TS_EXTENSIONS, JS_EXTENSIONS];
  const extension = /\.[a-z]+$/.exec(target)?.[0];
  if (!isDirectory && extension !== undefined) {
    if (EXACT_EXTENSIONS.includes(extension)) return [target];
    const sources = SOURCE_OF_OUTPUT[extension];
    if (sources !== undefined) {
      const stem = target.slice(0, -extension.length);
      const ts = sources.map((e) => stem + e);
      return JS_LANGUAGES.has(languageId) ? [target, ...ts] : [...ts, target];
    }
  }
  const index = target === '' ? 'index' : `${target}/index`;
  const paths: string[] = [];
  for (const group of own) {
    if (!isDirectory) for (const e of group) paths.push(target + e);
    for (const e of group) paths.push(index + e);
  }
  return paths;
}

/** Directories (nearest first) an absolute Python import is looked up from, besides the workspace root. */
const MAX_PYTHON_ROOTS = 2;

/**
 * `a.b` imported by `fromPath` without dots is a module of the project only if it is under a folder
 * Python searches (sys.path), which the file cannot tell. When `a` is a folder the file is in, it is
 * the file's own package (`email/mime/x.py` importing `email.message`; a `src/` layout): looked up
 * from that folder's parent only. Otherwise from the file's directory, its parent (a script next to
 * the module, sibling packages) and the workspace root. Each as `a/b.py`, then `a/b/__init__.py`.
 */
function absolutePythonCandidates(fromPath: string, specifier: string): string[] {
  const parts = specifier.split('.');
  if (parts.some((p) => p === '')) return [];
  const folders = dirname(fromPath) === '' ? [] : dirname(fromPath).split('/');
  const own = folders.lastIndexOf(parts[0]);
  const roots = own !== -1 ? [folders.slice(0, own).join('/')] : [];
  if (own === -1) {
    for (let depth = folders.length; depth > Math.max(0, folders.length - MAX_PYTHON_ROOTS); depth--) {
      roots.push(folders.slice(0, depth).join('/'));
    }
    roots.push('');
  }
  return roots.flatMap((root) => {
    const target = root === '' ? parts.join('/') : `${root}/${parts.join('/')}`;
    return [`${target}.py`, `${target}/__init__.py`];
  });
}

function pythonCandidates(fromPath: string, specifier: string): string[] {
  const dots = /^\.*/.exec(specifier)![0].length;
  let dir: string | undefined = dirname(fromPath);
  for (let up = 1; up < dots && dir !== undefined; up++) dir = joinPath(dir, '..');
  if (dir === undefined) return [];
  const module = specifier.slice(dots).split('.').filter((p) => p !== '').join('/');
  const target = module === '' ? dir : joinPath(dir, module)!;
  const prefix = target === '' ? '' : `${target}/`;
  return module === '' ? [`${prefix}__init__.py`] : [`${target}.py`, `${prefix}__init__.py`];
}

/**
 * Workspace-relative paths (forward slashes) where `specifier`, imported by the file at `fromPath`,
 * may be, in the order a resolver tries them (`./x` → x.ts, x.tsx, x.d.ts, x/index.ts, …;
 * `./x.js` → x.ts first; `.x` → x.py, x/__init__.py; `a.b` → absolutePythonCandidates). None that
 * leave the workspace folder (`../` above its root).
 * TypeScript files: TypeScript extensions before JavaScript ones; JavaScript files the other way.
 * Python: `from . import y` has the specifier `.`, the package's `__init__.py` (the module `y`
 * itself is the specifier `.y`).
 */
export function candidatePaths(languageId: string, fromPath: string, specifier: string): string[] {
  if (SCRIPT_LANGUAGES.has(languageId)) {
    if (!isRelative(specifier)) return [];
    const target = joinPath(dirname(fromPath), specifier);
    if (target === undefined) return [];
    const isDirectory = specifier.endsWith('/') || /(^|\/)\.\.?$/.test(specifier);
    return scriptCandidates(languageId, target, isDirectory);
  }
  if (languageId === 'python') {
    return specifier.startsWith('.') ? pythonCandidates(fromPath, specifier) : absolutePythonCandidates(fromPath, specifier);
  }
  return [];
}

/** Column-0 declarations: `export`/`default`/`declare`/`abstract`/`async` before the keyword, then the name. */
const DECLARATION = new RegExp(
  '^(export\\s+)?(default\\s+)?(declare\\s+)?(?:abstract\\s+|async\\s+)?'
  + '(?:(?:const\\s+enum|class|interface|type|enum|const|let|var|namespace|def)\\s+|function\\b\\s*\\*?\\s*)',
);
const NAME = /^[\p{L}_$][\p{L}\p{N}_$]*/u;
/** Python module-level assignment: `NAME = …`, `NAME: int = …` (not `==`). */
const ASSIGNMENT = /^([\p{L}_][\p{L}\p{N}_]*)\s*(?::[^=]*)?=(?!=)/u;
const DEFAULT_EXPORT = /^export\s+default\s+/;
/** Import statements are no declarations: `import …`, `from … import …`, `export … from '…'`. */
const IMPORT_STATEMENT = /^(?:import\b|from\s|export\b.*\bfrom\s*['"])/;
/** Nor is a binding to a module: `const x = require('./y')`, `const { a } = await import('./y')`. */
const MODULE_BINDING = /^[^=]*=\s*(?:await\s+)?(?:require|import)\s*\(/;

/**
 * Whether `line` is an import statement or a binding to a module (`const x = require('./y')`): its
 * names are imported there, not declared or used.
 */
export function isImportLine(line: string): boolean {
  const head = line.trimStart().slice(0, MAX_LINE_CHARS);
  return IMPORT_STATEMENT.test(head) || MODULE_BINDING.test(head);
}

/** The names a column-0 line declares ('default' for a default export), or undefined when it declares none. */
function declaredNames(line: string): { names: string[]; alias?: string } | undefined {
  const head = line.slice(0, MAX_LINE_CHARS);
  if (IMPORT_STATEMENT.test(head)) return undefined;
  const decl = DECLARATION.exec(head);
  if (decl !== null) {
    if (MODULE_BINDING.test(head)) return undefined;
    const isDefault = decl[2] !== undefined;
    if (decl[1] === undefined && isDefault) return undefined; // `default:` in a switch
    const rest = head.slice(decl[0].length);
    const name = NAME.exec(rest)?.[0];
    // `const { a, b } = …`: each name of the pattern.
    const pattern = rest.startsWith('{') || rest.startsWith('[') ? namedList(rest.slice(1, rest.search(/[}\]]/))) : [];
    const names = name !== undefined ? [name] : pattern;
    if (isDefault) return { names: ['default', ...names] };
    return names.length === 0 ? undefined : { names };
  }
  const defaultExport = DEFAULT_EXPORT.exec(head);
  if (defaultExport !== null) {
    // `export default foo;` exports a declaration made elsewhere; `export default {…}` is one itself.
    const alias = /^([\p{L}_$][\p{L}\p{N}_$]*)\s*;?\s*$/u.exec(head.slice(defaultExport[0].length))?.[1];
    return alias === undefined ? { names: ['default'] } : { names: [], alias };
  }
  const assignment = ASSIGNMENT.exec(head);
  // `else: x = 1` is no assignment to `else`.
  return assignment === null || KEYWORDS.has(assignment[1]) ? undefined : { names: [assignment[1]] };
}

/**
 * Lines (0-based) where top-level declarations start: unindented `function`, `class`, `interface`,
 * `type`, `enum`, `const`/`let`/`var`, `def`/`async def`, with or without `export`/`export default`/
 * `declare`/`async`/decorators above. When `names` is not empty, only the declarations of those names.
 * Also Python's module-level assignments (`NAME = …`) and `export default <expression>`; the name
 * `default` matches the default export (and, for `export default foo;`, the declaration of foo).
 * The line returned is the keyword's, never a decorator's.
 */
export function topLevelDeclarations(lines: readonly string[], names: readonly string[]): number[] {
  const found: { line: number; names: string[] }[] = [];
  const wanted = new Set(names);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '' || line[0] === ' ' || line[0] === '\t') continue;
    const declared = declaredNames(line);
    if (declared === undefined) continue;
    if (declared.names.length > 0) found.push({ line: i, names: declared.names });
    if (declared.alias !== undefined && wanted.has('default')) wanted.add(declared.alias);
  }
  const matches = wanted.size === 0 ? found : found.filter((d) => d.names.some((n) => wanted.has(n)));
  return matches.map((d) => d.line);
}
