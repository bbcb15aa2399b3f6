// What VS Code knows, as cross-file context sources: its language features' definitions, the files
// open in tabs and edited lately, and files on disk for local imports. Every file is checked
// before its text is read: outside the workspace folders or matching `infill.exclude`, it is
// never read at all (crossFileContext.ts then drops it).

import * as vscode from 'vscode';
import { isExcluded } from '../../settings/excludePolicy';
import { describeError } from '../../util/errors';
import type { Logger } from '../../util/log';
import type { ContextDocument, ContextSources, DefinitionSite } from '../crossFileContext';
import type { ContextFile } from '../snippet';

/** Files larger than this are not read for context (generated or minified code, data). */
export const MAX_FILE_BYTES = 512 * 1024;
/** Recently edited files remembered, most recent first. */
const RECENT_EDITS = 10;

/** Languages of the extensions local imports resolve to (localImports.ts candidatePaths). */
const EXTENSION_LANGUAGE: Readonly<Record<string, string>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescriptreact',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascriptreact', py: 'python',
};

export class EditorSources implements ContextSources, vscode.Disposable {
  /** URIs of documents edited lately, most recent first. */
  private recent: string[] = [];
  private readonly subscription: vscode.Disposable;

  /** `exclude`: the `infill.exclude` patterns of a workspace folder (SettingsStore.excludeFor). */
  constructor(private readonly exclude: (folder: vscode.Uri) => readonly string[], private readonly log: Logger) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0 || e.document.uri.scheme !== 'file') return;
      const key = e.document.uri.toString();
      if (this.recent[0] === key) return;
      this.recent = [key, ...this.recent.filter((k) => k !== key)].slice(0, RECENT_EDITS);
    });
  }

  async definitions(doc: ContextDocument, use: { line: number; character: number }): Promise<readonly DefinitionSite[]> {
    const uri = vscode.Uri.parse(doc.key);
    const position = new vscode.Position(use.line, use.character);
    const [definitions, types] = await Promise.all([
      this.locations('vscode.executeDefinitionProvider', uri, position),
      this.locations('vscode.executeTypeDefinitionProvider', uri, position),
    ]);
    const sites: DefinitionSite[] = [];
    for (const { uri: target, line } of [...definitions, ...types]) {
      const file = await this.fileOf(target);
      if (file) sites.push({ file, line });
    }
    return sites;
  }

  neighbours(): readonly ContextFile[] {
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const keys = [...this.recent];
    // Then the tabs: the active group's first, each group in its tab order.
    const groups = [...vscode.window.tabGroups.all].sort((a, b) => Number(b.isActive) - Number(a.isActive));
    for (const group of groups) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputText) keys.push(tab.input.uri.toString());
      }
    }
    const files: ContextFile[] = [];
    for (const key of new Set(keys)) {
      const document = open.get(key);
      if (document && document.uri.scheme === 'file') files.push(this.documentFile(document));
    }
    return files;
  }

  async fileAt(doc: ContextDocument, path: string): Promise<ContextFile | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(doc.key));
    if (!folder) return undefined;
    const uri = vscode.Uri.joinPath(folder.uri, path);
    const open = openDocument(uri);
    if (open) return this.documentFile(open);
    const extension = /\.([a-z]+)$/.exec(path)?.[1] ?? '';
    const languageId = EXTENSION_LANGUAGE[extension];
    if (!languageId) return undefined;
    let size: number;
    try {
      size = (await vscode.workspace.fs.stat(uri)).size;
    } catch {
      return undefined; // not there: the next candidate path is tried
    }
    const base = this.describe(uri, languageId);
    if (!base.readable || size > MAX_FILE_BYTES) return { ...base.file, lines: () => [] };
    // Read from disk rather than opened as a document: opening would tell every extension about it.
    const bytes = await vscode.workspace.fs.readFile(uri);
    const lines = splitLines(new TextDecoder().decode(bytes));
    return { ...base.file, lines: () => lines };
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async locations(command: string, uri: vscode.Uri, position: vscode.Position): Promise<{ uri: vscode.Uri; line: number }[]> {
    try {
      const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[] | undefined>(command, uri, position);
      // A link's targetRange is the whole declaration (its first line is where it starts); a
      // location's range is the name, on the declaration's line.
      return (found ?? []).map((l) => ('targetUri' in l
        ? { uri: l.targetUri, line: l.targetRange.start.line }
        : { uri: l.uri, line: l.range.start.line }));
    } catch (err) {
      this.log.debug(`cross-file context: ${command} failed: ${describeError(err)}`);
      return [];
    }
  }

  /** A definition's file, if it may be read: an open document, or one VS Code opens for us. */
  private async fileOf(uri: vscode.Uri): Promise<ContextFile | undefined> {
    const open = openDocument(uri);
    if (open) return this.documentFile(open);
    const base = this.describe(uri, '');
    if (!base.readable) return base.file;
    try {
      if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) return undefined;
      return this.documentFile(await vscode.workspace.openTextDocument(uri));
    } catch {
      return undefined;
    }
  }

  private documentFile(document: vscode.TextDocument): ContextFile {
    const base = this.describe(document.uri, document.languageId);
    if (!base.readable) return base.file;
    let lines: readonly string[] | undefined;
    return {
      ...base.file,
      lines: () => {
        // Read once per gathering's use, and not at all for a file too large to be useful.
        if (!lines) {
          const text = document.getText();
          lines = text.length > MAX_FILE_BYTES ? [] : splitLines(text);
        }
        return lines;
      },
    };
  }

  /**
   * Where `uri` is, as a ContextFile whose text is not read yet; `readable` false outside every
   * workspace folder, for another scheme, or when `infill.exclude` matches it (its lines are then
   * never read: the file is described only to be dropped).
   */
  private describe(uri: vscode.Uri, languageId: string): { file: ContextFile; readable: boolean } {
    const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    const inFolder = folder ? vscode.workspace.asRelativePath(uri, false) : undefined;
    const excluded = folder !== undefined && inFolder !== undefined && isExcluded(inFolder, this.exclude(folder.uri));
    const file: ContextFile = {
      key: uri.toString(),
      languageId,
      // The header names the folder too in a multi-root workspace (asRelativePath's default).
      path: inFolder === undefined ? undefined : vscode.workspace.asRelativePath(uri),
      excluded,
      lines: () => [],
    };
    return { file, readable: inFolder !== undefined && !excluded };
  }
}

/** The document VS Code has open at `uri`, if any. */
function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
