// The one place that reads `infill.*` from VS Code: one typed Settings object, rebuilt on change.

import * as vscode from 'vscode';
import { DEFAULT_HOST, KEYS, readLayeredSettings, type Settings } from '../settings';
import { normaliseHost } from '../hostPolicy';
import { readExclude } from '../excludePolicy';
import type { Logger } from '../../util/log';

export class SettingsStore implements vscode.Disposable {
  private current: Settings;
  private readonly emitter = new vscode.EventEmitter<Settings>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];
  /** `infill.exclude` patterns refused and logged already: each is said once. */
  private readonly refusedLogged = new Set<string>();
  /** The exclude patterns of each workspace folder (by URI), read on first use, forgotten on change. */
  private readonly folderExcludes = new Map<string, readonly string[]>();

  constructor(private readonly log?: Logger) {
    this.current = this.read();
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('infill')) return;
        this.folderExcludes.clear();
        this.current = this.read();
        this.emitter.fire(this.current);
      }),
      // A folder removed and added again may come back with other settings.
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.folderExcludes.clear()),
    ];
  }

  get settings(): Settings {
    return this.current;
  }

  /**
   * The `infill.exclude` patterns for a file in `folder` (a workspace folder's URI): the defaults,
   * the user's, the workspace's and that folder's own (its `.vscode/settings.json` in a multi-root
   * workspace). Outside any folder, `settings.exclude`. Asked at every keystroke: cached per folder.
   */
  excludeFor(folder: vscode.Uri | undefined): readonly string[] {
    if (!folder) return this.current.exclude;
    const key = folder.toString();
    let patterns = this.folderExcludes.get(key);
    if (!patterns) {
      patterns = this.readExclude(folder);
      this.folderExcludes.set(key, patterns);
    }
    return patterns;
  }

  /** Write a setting at user level: settings.json stays the single source of truth. */
  update(key: (typeof KEYS)[keyof typeof KEYS], value: unknown): Thenable<void> {
    return vscode.workspace.getConfiguration('infill').update(key, value, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.emitter.dispose();
  }

  private read(): Settings {
    const config = vscode.workspace.getConfiguration('infill');
    // Who may set what (user-only, additive, off-only) is readLayeredSettings's: it sees every level.
    const settings = readLayeredSettings((key) => config.inspect(key));
    let host: string;
    try {
      host = normaliseHost(settings.host);
    } catch {
      host = DEFAULT_HOST;
    }
    return { ...settings, host, exclude: this.readExclude(undefined) };
  }

  /** `get` would return only the most specific level's list: every level adds to the defaults instead. */
  private readExclude(folder: vscode.Uri | undefined): readonly string[] {
    const levels = vscode.workspace.getConfiguration('infill', folder).inspect<unknown>(KEYS.exclude);
    const exclude = readExclude(levels?.globalValue, levels?.workspaceValue, levels?.workspaceFolderValue);
    for (const { pattern, reason } of exclude.refused) {
      if (this.refusedLogged.has(pattern)) continue;
      this.refusedLogged.add(pattern);
      this.log?.warn(`infill.exclude: the pattern "${pattern.slice(0, 80)}${pattern.length > 80 ? '…' : ''}" ` +
        `is not used (${reason}): matching it could freeze the editor`);
    }
    return exclude.patterns;
  }
}
