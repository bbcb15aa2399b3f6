// The retrieval benchmark's code: multi-file packages installed here (npm dependencies, Debian's
// Python standard library), and the cursor positions in them where the next identifier to be typed
// is defined in another file of the same package.
//   TypeScript / JavaScript: every identifier whose definition (TypeScript's language service on
//   the whole, unedited package) is in another file of the package, of the same language.
//   Python: names imported from the package's own modules (pythonUses.ts).
// Left out: import statements themselves, declarations' own names, namespace/module definitions,
// and definitions whose first line (trimmed) also appears anywhere in the current file (then the
// file's own text could hold it). Positions are drawn with a seeded shuffle, at most
// PER_DEFINITION per definition, so a few popular names do not make the whole sample.

import { statSync } from 'node:fs';
import ts from 'typescript';
import { seededRandom } from '../test/support/seededRandom';
import { listFiles, Package, PackageLanguageService, type BenchLanguage } from './packageSources';
import { pythonUses } from './pythonUses';

export interface CorpusSpec {
  readonly name: string;
  readonly language: BenchLanguage;
  /** The package's root (the "workspace folder"); first existing wins (Python versions differ). */
  readonly roots: readonly string[];
  /** Folders of the root whose files make the package (and the open tabs). */
  readonly dirs: readonly string[];
}

const PYTHON_ROOTS = ['/usr/lib/python3.11', '/usr/lib/python3.12', '/usr/lib/python3.13', '/usr/lib/python3.10'];

export const CORPORA: readonly CorpusSpec[] = [
  { name: 'ollama-js (src)', language: 'typescript', roots: ['node_modules/ollama'], dirs: ['src'] },
  { name: 'cheerio (src)', language: 'typescript', roots: ['node_modules/cheerio'], dirs: ['src'] },
  { name: 'commander (lib)', language: 'javascript', roots: ['node_modules/commander'], dirs: ['lib'] },
  { name: 'semver', language: 'javascript', roots: ['node_modules/semver'], dirs: ['classes', 'functions', 'internal', 'ranges'] },
  { name: 'python email', language: 'python', roots: PYTHON_ROOTS, dirs: ['email'] },
  { name: 'python asyncio', language: 'python', roots: PYTHON_ROOTS, dirs: ['asyncio'] },
  { name: 'python multiprocessing', language: 'python', roots: PYTHON_ROOTS, dirs: ['multiprocessing'] },
];

/** At most this many positions per distinct definition. */
export const PER_DEFINITION = 2;
export const SEED = 14;

export interface Position {
  readonly file: string;
  /** The cursor: where the next identifier starts. */
  readonly line: number;
  readonly character: number;
  readonly name: string;
  readonly definitionFile: string;
  readonly definitionLine: number;
  /** The definition's first line, trimmed: "the prompt contains the definition" means it contains this. */
  readonly definitionText: string;
}

export interface Corpus {
  readonly spec: CorpusSpec;
  readonly pkg: Package;
  readonly ls: PackageLanguageService | undefined;
  readonly positions: readonly Position[];
  /** Candidates before sampling, and the language service's start-up time. */
  readonly candidates: number;
  readonly startMs: number;
}

/** Nodes whose `name` declares it (in this file: its definition is here). */
const DECLARATIONS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression, ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration, ts.SyntaxKind.EnumDeclaration, ts.SyntaxKind.EnumMember,
  ts.SyntaxKind.ModuleDeclaration, ts.SyntaxKind.MethodDeclaration, ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.PropertyDeclaration, ts.SyntaxKind.PropertySignature, ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.ShorthandPropertyAssignment, ts.SyntaxKind.GetAccessor, ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.Parameter, ts.SyntaxKind.TypeParameter, ts.SyntaxKind.BindingElement,
]);

const IMPORT_LINE = /^\s*(import\b|export\s.*\bfrom\b)|\brequire\s*\(/;

/** Identifier uses in a TypeScript/JavaScript file defined elsewhere in the package (per the language service). */
function scriptCandidates(pkg: Package, ls: PackageLanguageService, file: string, want: number, random: () => number): Position[] {
  const source = ls.service.getProgram()?.getSourceFile(file);
  if (!source) return [];
  const lines = pkg.lines(file);
  const ids: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isImportEqualsDeclaration(node)) return;
    if (ts.isIdentifier(node)) {
      const parent = node.parent as ts.Node & { name?: ts.Node };
      if (!(DECLARATIONS.has(parent.kind) && parent.name === node)) ids.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  shuffle(ids, random);
  const out: Position[] = [];
  for (const id of ids) {
    if (out.length >= want) break;
    const at = source.getLineAndCharacterOfPosition(id.getStart(source));
    if (IMPORT_LINE.test(lines[at.line])) continue;
    const defs = ls.service.getDefinitionAtPosition(file, id.getStart(source)) ?? [];
    const def = defs.find((d) => d.fileName !== file && pkg.files.includes(d.fileName) &&
      d.kind !== ts.ScriptElementKind.moduleElement);
    if (!def) continue;
    const defSource = ls.service.getProgram()?.getSourceFile(def.fileName);
    if (!defSource) continue;
    const line = defSource.getLineAndCharacterOfPosition(def.textSpan.start).line;
    out.push(position(pkg, file, at.line, at.character, id.text, def.fileName, line));
  }
  return out;
}

function position(pkg: Package, file: string, line: number, character: number, name: string,
  definitionFile: string, definitionLine: number): Position {
  return { file, line, character, name, definitionFile, definitionLine,
    definitionText: pkg.lines(definitionFile)[definitionLine].trim() };
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/** Load a corpus and draw up to `count` positions (seeded). Undefined when it is not installed here. */
export function loadCorpus(spec: CorpusSpec, count: number): Corpus | undefined {
  const root = spec.roots.find((r) => spec.dirs.every((d) => existsDir(`${r}/${d}`)));
  if (!root) return undefined;
  const files = listFiles(root, spec.dirs, spec.language);
  const pkg = new Package(root, spec.language, files);
  const random = seededRandom(SEED);
  const started = performance.now();
  const ls = spec.language === 'typescript' || spec.language === 'javascript' ? new PackageLanguageService(pkg) : undefined;
  ls?.service.getProgram();
  const startMs = performance.now() - started;
  const candidates: Position[] = [];
  for (const file of files) {
    if (ls) {
      // Enough per file for the sample (each look-up costs the language service some time).
      candidates.push(...scriptCandidates(pkg, ls, file, count, random));
    } else {
      const uses = pythonUses(pkg.root, spec.dirs[0], file, (f) => pkg.lines(f));
      candidates.push(...uses.map((u) => position(pkg, file, u.line, u.character, u.name, u.definitionFile, u.definitionLine)));
    }
  }
  // The file's own text must not already hold the definition's line.
  const usable = candidates.filter((p) => !pkg.lines(p.file).join('\n').includes(p.definitionText));
  shuffle(usable, random);
  const perDefinition = new Map<string, number>();
  const positions: Position[] = [];
  for (const p of usable) {
    const key = `${p.definitionFile}:${p.definitionLine}`;
    const n = perDefinition.get(key) ?? 0;
    if (n >= PER_DEFINITION || positions.length >= count) continue;
    perDefinition.set(key, n + 1);
    positions.push(p);
  }
  // In file order, so the language service's work per position is alike run to run.
  positions.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.character - b.character);
  return { spec, pkg, ls, positions, candidates: usable.length, startMs };
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
