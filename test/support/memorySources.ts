// Cross-file context sources over files held in memory, standing in for the editor's: definitions
// by name (as a language server would answer), neighbours in a set order, files by path. Counts
// every look-up, and can hold look-ups back (a slow or absent language server).

import type { ContextDocument, ContextSources, DefinitionSite } from '../../src/crossFile/crossFileContext';
import type { IdentifierUse } from '../../src/crossFile/identifiers';
import type { ContextFile } from '../../src/crossFile/snippet';

export interface MemoryFile {
  readonly path: string;
  readonly text: string;
  readonly languageId?: string;
  readonly excluded?: boolean;
  /** Outside every workspace folder (its path is then not given to the service). */
  readonly outside?: boolean;
}

export class MemorySources implements ContextSources {
  /** name → [file path, line] of its declaration. */
  readonly declared = new Map<string, [string, number]>();
  /** The names looked up, in order. */
  readonly lookedUp: string[] = [];
  /** Files whose lines were read, by path. */
  readonly read = new Set<string>();
  /** When set, a look-up waits for this before answering. */
  hold: Promise<void> | undefined;
  /** The open files, most recent first (paths). */
  neighbourPaths: string[] = [];
  private readonly files = new Map<string, ContextFile>();

  constructor(files: readonly MemoryFile[]) {
    for (const f of files) {
      const lines = f.text.split('\n');
      this.files.set(f.path, {
        key: `file:///ws/${f.path}`,
        languageId: f.languageId ?? 'typescript',
        path: f.outside ? undefined : f.path,
        excluded: f.excluded ?? false,
        lines: () => {
          this.read.add(f.path);
          return lines;
        },
      });
    }
  }

  file(path: string): ContextFile {
    const file = this.files.get(path);
    if (!file) throw new Error(`no file ${path}`);
    return file;
  }

  async definitions(_doc: ContextDocument, use: IdentifierUse): Promise<readonly DefinitionSite[]> {
    this.lookedUp.push(use.name);
    if (this.hold) await this.hold;
    const site = this.declared.get(use.name);
    return site ? [{ file: this.file(site[0]), line: site[1] }] : [];
  }

  neighbours(): readonly ContextFile[] {
    return this.neighbourPaths.map((p) => this.file(p));
  }

  async fileAt(_doc: ContextDocument, path: string): Promise<ContextFile | undefined> {
    return this.files.get(path);
  }
}
