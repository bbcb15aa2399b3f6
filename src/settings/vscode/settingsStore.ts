// The one place that reads `infill.*` from VS Code: one typed Settings object, rebuilt on change.

import * as vscode from 'vscode';
import { DEFAULT_HOST, KEYS, readSettings, type Settings } from '../settings';
import { normaliseHost } from '../hostPolicy';
import { readExclude } from '../excludePolicy';
import type { Logger } from '../../util/log';

export class SettingsStore implements vscode.Disposable {
  private current: Settings;
  private readonly emitter = new vscode.EventEmitter<Settings>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  /** `infill.exclude` patterns refused and logged already: each is said once. */
  private readonly refusedLogged = new Set<string>();

  constructor(private readonly log?: Logger) {
    this.current = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('infill')) return;
      this.current = this.read();
      this.emitter.fire(this.current);
    });
  }

  get settings(): Settings {
    return this.current;
  }

  /** Write a setting at user level: settings.json stays the single source of truth. */
  update(key: (typeof KEYS)[keyof typeof KEYS], value: unknown): Thenable<void> {
    return vscode.workspace.getConfiguration('infill').update(key, value, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }

  private read(): Settings {
    const config = vscode.workspace.getConfiguration('infill');
    const settings = readSettings((key) => config.get(key));
    // The host has `application` scope, so VS Code ignores workspace values already; read only the
    // user value anyway so a repository can never redirect the user's code to another host.
    const host = config.inspect<string>(KEYS.host)?.globalValue ?? DEFAULT_HOST;
    let normalised: string;
    try {
      normalised = normaliseHost(host);
    } catch {
      normalised = DEFAULT_HOST;
    }
    // `get` would return only the most specific level's list, so a workspace `[]` would hide the
    // user's patterns: every level adds to the defaults instead (a workspace can only add).
    const levels = config.inspect<unknown>(KEYS.exclude);
    const exclude = readExclude(levels?.globalValue, levels?.workspaceValue, levels?.workspaceFolderValue);
    for (const { pattern, reason } of exclude.refused) {
      if (this.refusedLogged.has(pattern)) continue;
      this.refusedLogged.add(pattern);
      this.log?.warn(`infill.exclude: the pattern "${pattern.slice(0, 80)}${pattern.length > 80 ? '…' : ''}" ` +
        `is not used (${reason}): matching it could freeze the editor`);
    }
    return { ...settings, host: normalised, exclude: exclude.patterns };
  }
}
