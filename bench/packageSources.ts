// The benchmark's ContextSources (src/crossFile/crossFileContext.ts) over files installed here: a
// "workspace folder" (a package's root) and its files of one language, as the VS Code glue gives
// them from the editor.
// - definitions: TypeScript's language service over the package's files (allowJs), definitions and
//   type definitions: what VS Code's built-in TypeScript features answer
//   `vscode.executeDefinitionProvider` with. None for other languages (no language server here).
// - neighbours: the package's other files of the language, as "open tabs", in an order the caller
//   fixes (see retrieval.ts, replay.ts).
// - fileAt: the package's files.
// Look-ups first yield to the event loop, as an IPC call would, so `update()` never runs them
// synchronously. The retrieval benchmark runs the language service in its own process; the trace
// replay in a worker thread (languageServiceWorker.ts), as VS Code runs tsserver apart from the
// extension host, so its work does not delay the replay's timers.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import ts from 'typescript';
import type { ContextDocument, ContextSources, DefinitionSite } from '../src/crossFile/crossFileContext';
import type { IdentifierUse } from '../src/crossFile/identifiers';
import type { ContextFile } from '../src/crossFile/snippet';

export type BenchLanguage = 'typescript' | 'javascript' | 'python' | 'c';

const EXTENSIONS: Record<BenchLanguage, readonly string[]> = {
  typescript: ['.ts'], javascript: ['.js', '.cjs', '.mjs'], python: ['.py'], c: ['.h', '.c'],
};

/** Files of `language` under `dirs` of `root` (recursive), sorted; tests, .d.ts and minified files left out. */
export function listFiles(root: string, dirs: readonly string[], language: BenchLanguage, recursive = true): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (recursive && name !== 'node_modules' && name !== '__pycache__' && name !== 'test' && name !== 'tests') walk(path);
      } else if (EXTENSIONS[language].some((e) => name.endsWith(e)) && !/\.(d|spec|test|min)\.[cm]?[jt]s$/.test(name)) {
        out.push(path);
      }
    }
  };
  for (const dir of dirs) walk(resolve(root, dir));
  return out;
}

export function fileKey(path: string): string {
  return `file://${resolve(path)}`;
}

/** The files of one package, read once. */
export class Package {
  readonly root: string;
  private readonly texts = new Map<string, readonly string[]>();
  private readonly contextFiles = new Map<string, ContextFile>();

  constructor(root: string, readonly language: BenchLanguage, readonly files: readonly string[]) {
    this.root = resolve(root);
  }

  /** Workspace-relative path (forward slashes), undefined outside the root. */
  relativePath(path: string): string | undefined {
    const rel = relative(this.root, resolve(path));
    return rel.startsWith('..') || rel === '' ? undefined : rel.split(sep).join('/');
  }

  lines(path: string): readonly string[] {
    let lines = this.texts.get(path);
    if (!lines) {
      lines = readFileSync(path, 'utf8').replace(/\r\n?/g, '\n').split('\n');
      this.texts.set(path, lines);
    }
    return lines;
  }

  /** The file as a ContextFile: any file the language service names (outside the root: no path). */
  contextFile(path: string): ContextFile {
    const abs = resolve(path);
    let file = this.contextFiles.get(abs);
    if (!file) {
      file = { key: fileKey(abs), languageId: languageOf(abs), path: this.relativePath(abs), excluded: false,
        lines: () => this.lines(abs) };
      this.contextFiles.set(abs, file);
    }
    return file;
  }
}

function languageOf(path: string): string {
  for (const [language, exts] of Object.entries(EXTENSIONS)) {
    if (exts.some((e) => path.endsWith(e))) return language;
  }
  return 'plaintext';
}

/** Definitions and type definitions at `offset` of the file at `path` whose text (version `version`) is `text`. */
export interface DefinitionFinder {
  find(path: string, version: string, text: string, offset: number): Promise<readonly { path: string; line: number }[]>;
}

/** TypeScript's language service over a package, the document being edited overlaid on its file. */
export class PackageLanguageService implements DefinitionFinder {
  private readonly overlay = new Map<string, { version: string; text: string }>();
  readonly service: ts.LanguageService;

  constructor(readonly pkg: Package) {
    const options: ts.CompilerOptions = {
      allowJs: true, checkJs: false, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], skipLibCheck: true, strict: true,
    };
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...pkg.files],
      getScriptVersion: (f) => this.overlay.get(resolve(f))?.version ?? '0',
      getScriptSnapshot: (f) => {
        const text = this.overlay.get(resolve(f))?.text ?? (existsSync(f) ? readFileSync(f, 'utf8') : undefined);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => pkg.root,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists, getDirectories: ts.sys.getDirectories,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** Make `path` read as `text` (its version `version`), or as on disk when `text` is undefined. */
  setText(path: string, version: string, text: string | undefined): void {
    const abs = resolve(path);
    if (text === undefined) this.overlay.delete(abs);
    else if (this.overlay.get(abs)?.version !== version) this.overlay.set(abs, { version, text });
  }

  async find(path: string, version: string, text: string, offset: number): Promise<{ path: string; line: number }[]> {
    await yieldToLoop();
    this.setText(path, version, text);
    return this.definitionsAt(path, offset);
  }

  /** Definitions and type definitions at `offset` of `path`, each as the line its declaration starts on. */
  definitionsAt(path: string, offset: number): { path: string; line: number; nameLine: number }[] {
    const found = [
      ...this.service.getDefinitionAtPosition(path, offset) ?? [],
      ...this.service.getTypeDefinitionAtPosition(path, offset) ?? [],
    ];
    const out: { path: string; line: number; nameLine: number }[] = [];
    for (const d of found) {
      const file = this.service.getProgram()?.getSourceFile(d.fileName);
      if (!file) continue;
      // VS Code's LocationLink: targetRange is the declaration (contextSpan), targetSelectionRange the name.
      const line = file.getLineAndCharacterOfPosition((d.contextSpan ?? d.textSpan).start).line;
      const nameLine = file.getLineAndCharacterOfPosition(d.textSpan.start).line;
      if (!out.some((o) => o.path === d.fileName && o.line === line)) out.push({ path: d.fileName, line, nameLine });
    }
    return out;
  }
}

export interface SourcesChoice {
  /** Which files are "open tabs", most recent first. */
  readonly neighbours: () => readonly string[];
  /** Answer definitions (with the language service) and files (so imports are followed). */
  readonly definitions: boolean;
  readonly imports: boolean;
}

/** ContextSources over `pkg` (the language service for TypeScript and JavaScript packages). */
export function packageSources(pkg: Package, ls: DefinitionFinder | undefined, choice: SourcesChoice): ContextSources {
  return {
    async definitions(doc: ContextDocument, use: IdentifierUse): Promise<readonly DefinitionSite[]> {
      if (!choice.definitions || !ls) return [];
      await yieldToLoop(); // as an IPC call to the language server: never inside update()
      const path = doc.key.startsWith('file://') ? doc.key.slice('file://'.length) : undefined;
      if (!path) return [];
      const lines: string[] = [];
      for (let i = 0; i < doc.lines.lineCount; i++) lines.push(doc.lines.lineAt(i));
      let offset = use.character;
      for (let i = 0; i < use.line; i++) offset += lines[i].length + 1;
      const found = await ls.find(path, `doc-${doc.version}`, lines.join('\n'), offset);
      return found.map((d) => ({ file: pkg.contextFile(d.path), line: d.line }));
    },
    neighbours: () => choice.neighbours().map((f) => pkg.contextFile(f)),
    async fileAt(_doc: ContextDocument, path: string): Promise<ContextFile | undefined> {
      if (!choice.imports) return undefined;
      await yieldToLoop();
      const abs = resolve(pkg.root, path);
      return pkg.relativePath(abs) !== undefined && existsSync(abs) && statSync(abs).isFile() ? pkg.contextFile(abs) : undefined;
    },
  };
}
