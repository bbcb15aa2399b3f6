// The retrieval benchmark's ground truth for Python (no language server here): names a module of a
// package uses that another module of the package defines at its top level, found from its imports:
//   from .x import a / from pkg.x import a      → `a` is defined in x.py (or x/__init__.py)
//   from . import x / from pkg import x          → in `x.b`, `b` is defined in x.py
// Comments and strings are skipped by a small lexer; a name defined at the top level means an
// unindented `def`, `async def`, `class` or assignment.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface PythonToken {
  readonly text: string;
  readonly line: number;
  readonly character: number;
}

const STRING_START = /^(?:[rRbBuUfF]{0,2})("""|'''|"|')/;

/** Identifiers and dots outside comments and strings. */
export function pythonTokens(lines: readonly string[]): PythonToken[] {
  const out: PythonToken[] = [];
  let inTriple: string | undefined;
  for (let line = 0; line < lines.length; line++) {
    const text = lines[line];
    let i = 0;
    if (inTriple) {
      const end = text.indexOf(inTriple);
      if (end === -1) continue;
      i = end + 3;
      inTriple = undefined;
    }
    while (i < text.length) {
      const rest = text.slice(i);
      const str = STRING_START.exec(rest);
      if (str && (str[0].length === str[1].length || !/[\w]/.test(text[i - 1] ?? ''))) {
        const quote = str[1];
        let j = i + str[0].length;
        if (quote.length === 3) {
          const end = text.indexOf(quote, j);
          if (end === -1) { inTriple = quote; break; }
          i = end + 3;
          continue;
        }
        while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
        i = j + 1;
        continue;
      }
      const ch = text[i];
      if (ch === '#') break;
      const word = /^[A-Za-z_]\w*/.exec(rest);
      if (word) {
        out.push({ text: word[0], line, character: i });
        i += word[0].length;
      } else if (/^\d[\w.]*/.test(rest)) {
        i += /^\d[\w.]*/.exec(rest)![0].length;
      } else {
        if (ch === '.') out.push({ text: '.', line, character: i });
        i++;
      }
    }
  }
  return out;
}

/** The line of `name`'s top-level definition in `lines`, if any. */
export function topLevelDefinition(lines: readonly string[], name: string): number | undefined {
  const re = new RegExp(`^(?:(?:async\\s+)?def\\s+${name}\\s*\\(|class\\s+${name}\\b|${name}\\s*(?::[^=]*)?=(?!=))`);
  const at = lines.findIndex((l) => re.test(l));
  return at === -1 ? undefined : at;
}

export interface PythonUse {
  /** Where the used name starts, and its text. */
  readonly line: number;
  readonly character: number;
  readonly name: string;
  /** The module file defining it, and the line. */
  readonly definitionFile: string;
  readonly definitionLine: number;
}

/** The import statements of a module: logical lines (parentheses joined) starting with from/import. */
function importStatements(lines: readonly string[]): { text: string; lines: number[] }[] {
  const out: { text: string; lines: number[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*from\s+\S+\s+import\b/.test(lines[i])) continue;
    const at = [i];
    let text = lines[i].replace(/#.*$/, '');
    while (text.includes('(') && !text.includes(')') && i + 1 < lines.length) {
      i++;
      at.push(i);
      text += ' ' + lines[i].replace(/#.*$/, '');
    }
    out.push({ text, lines: at });
  }
  return out;
}

/** `x.py` or `x/__init__.py` for a dotted module below `dir`. */
function moduleFile(dir: string, dotted: string): string | undefined {
  const base = join(dir, ...dotted.split('.').filter(Boolean));
  if (dotted !== '' && existsSync(base + '.py')) return base + '.py';
  if (existsSync(join(base, '__init__.py'))) return join(base, '__init__.py');
  return undefined;
}

/**
 * Uses in `file` (of the package at `root`/`pkgName`) of names another module of the package defines.
 * `linesOf` reads a file's lines.
 */
export function pythonUses(root: string, pkgName: string, file: string, linesOf: (f: string) => readonly string[]): PythonUse[] {
  const lines = linesOf(file);
  const names = new Map<string, { file: string; name: string }>();
  const modules = new Map<string, string>();
  const importLines = new Set<number>();
  for (const stmt of importStatements(lines)) {
    stmt.lines.forEach((l) => importLines.add(l));
    const m = /^\s*from\s+(\.*)([\w.]*)\s+import\s+\(?([^)]*)\)?/.exec(stmt.text);
    if (!m) continue;
    let dir: string;
    if (m[1]) {
      dir = dirname(file);
      for (let k = 1; k < m[1].length; k++) dir = dirname(dir);
    } else if (m[2] === pkgName || m[2].startsWith(pkgName + '.')) {
      dir = root;
    } else {
      continue;
    }
    const from = m[2];
    for (const part of m[3].split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (!name || name === '*') continue;
      const local = alias ?? name;
      const asModule = moduleFile(dir, from ? `${from}.${name}` : name);
      if (asModule) {
        modules.set(local, asModule);
        continue;
      }
      const target = moduleFile(dir, from);
      if (target && target !== file) names.set(local, { file: target, name });
    }
  }
  const out: PythonUse[] = [];
  const tokens = pythonTokens(lines);
  tokens.forEach((t, i) => {
    if (importLines.has(t.line) || t.text === '.') return;
    const prev = tokens[i - 1];
    const owner = tokens[i - 2];
    if (prev?.text === '.' && owner && owner.line === t.line) {
      const module = modules.get(owner.text);
      if (!module || module === file) return;
      const line = topLevelDefinition(linesOf(module), t.text);
      if (line !== undefined) out.push({ line: t.line, character: t.character, name: t.text, definitionFile: module, definitionLine: line });
      return;
    }
    if (prev?.text === '.' && prev.line === t.line) return; // an attribute of something else
    const imported = names.get(t.text);
    if (!imported) return;
    const line = topLevelDefinition(linesOf(imported.file), imported.name);
    if (line !== undefined) out.push({ line: t.line, character: t.character, name: t.text, definitionFile: imported.file, definitionLine: line });
  });
  return out;
}
