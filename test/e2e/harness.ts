// Runs a real VS Code (code-server) with the packaged VSIX installed, a fake Ollama, and headless
// Chromium driven by Playwright. Every process is started on a free loopback port with its own
// folders and stopped by PID at the end, also when a test fails.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FakeOllama, type FakeModel } from '../support/fakeOllama';
import { until } from '../support/until';

export const ROOT = resolve(__dirname, '../..');
/** The code-server release under test (VS Code 1.x inside is 4.x's x), as setup.sh installed it. */
export const CODE_SERVER_RELEASE = process.env.INFILL_E2E_CODE_SERVER
  ?? readFileSync(join(__dirname, 'code-server-version'), 'utf8').trim();
const INSTALL = join(ROOT, '.cache/e2e', `code-server-${CODE_SERVER_RELEASE}`);
const NODE_BIN = join(INSTALL, 'node-bin'); // the Node this release requires
const CODE_SERVER = join(INSTALL, 'node_modules/.bin/code-server');
export const ARTIFACTS = join(ROOT, 'test-results/e2e');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
    server.on('error', rej);
  });
}

/** Build the VSIX unless a fresh one exists (newer than every source file it is built from). */
export function packagedVsix(): string {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  const vsix = join(ROOT, `infill-${version}.vsix`);
  const newest = Number(execFileSync('bash', ['-c',
    'find src media package.json -type f -printf "%T@\\n" | sort -n | tail -1'], { cwd: ROOT, encoding: 'utf8' }));
  if (!existsSync(vsix) || statSync(vsix).mtimeMs / 1000 < newest) {
    execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'ignore' });
  }
  return vsix;
}

const codeServerEnv = () => ({ ...process.env, PATH: `${NODE_BIN}:${process.env.PATH}` });

export interface Session {
  fake: FakeOllama;
  page: Page;
  workspace: string;
  userDir: string;
  stop(): Promise<void>;
}

export interface SessionOptions {
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Files to create in the workspace before start. */
  files?: Record<string, string>;
  /**
   * Make the workspace a git repository with these files committed (before `files` are written, so
   * a file in both has an unstaged change), and turn VS Code's git support on for this session.
   */
  git?: Record<string, string>;
  /** The models the fake Ollama starts with (default: its DEFAULT_MODELS). */
  models?: FakeModel[];
  /** Start with the fake Ollama stopped (its port is fixed; `session.fake.start()` brings it up). */
  ollamaDown?: boolean;
  /**
   * Workspace Trust on (VS Code asks whether to trust the folder; it starts in Restricted Mode).
   * Off by default, where VS Code treats every workspace as trusted.
   */
  workspaceTrust?: boolean;
  /**
   * The address the fake Ollama listens on (default 127.0.0.1). A non-loopback address of this
   * machine makes it a host "not this machine", which Infill asks about before sending code.
   */
  ollamaAddress?: string;
  /**
   * A `.code-workspace` file (its path in the workspace folder, written with `files`) opened as a
   * multi-root workspace instead of the folder.
   */
  workspaceFile?: string;
}

/**
 * After a failed test (`t` is node:test's context): a screenshot and the fake server's request log
 * in ARTIFACTS, named `<prefix>-<test name>`. Nothing when the test passed or there is no session.
 */
export async function saveFailureArtifacts(t: unknown, session: Session | undefined, prefix: string): Promise<void> {
  const test = t as { name: string; passed?: boolean };
  if (!session || test.passed !== false) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  const base = join(ARTIFACTS, `${prefix}-${test.name.replace(/\W+/g, '-')}`);
  await session.page.screenshot({ path: `${base}.png` }).catch(() => undefined);
  writeFileSync(`${base}.requests.json`, JSON.stringify(session.fake.requests, null, 2));
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const vsix = packagedVsix();
  // Outside the repository, so VS Code's git support finds no parent repository to offer.
  const base = mkdtempSync(join(tmpdir(), 'infill-e2e-'));
  const userDir = join(base, 'user-data');
  const extDir = join(base, 'extensions');
  const workspace = join(base, 'workspace');
  for (const dir of [join(userDir, 'User'), extDir, workspace]) mkdirSync(dir, { recursive: true });
  const write = (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(workspace, name, '..'), { recursive: true });
      writeFileSync(join(workspace, name), text);
    }
  };
  if (options.git) {
    write(options.git);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Infill e2e', '-c', 'user.email=e2e@invalid',
      '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: workspace, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'fixture');
  }
  write(options.files ?? {});

  const fake = new FakeOllama({ latency: { timeToFirstTokenMs: 20, perTokenMs: 2 }, models: options.models,
    host: options.ollamaAddress });
  await fake.start();
  if (options.ollamaDown) await fake.stop();
  const settings = {
    'infill.ollama.host': fake.url,
    'security.workspace.trust.enabled': options.workspaceTrust === true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'git.enabled': options.git !== undefined,
    'git.openRepositoryInParentFolders': 'never',
    // Keep typed text exact and the suggest widget out of the way of ghost text.
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.autoIndent': 'none',
    'editor.quickSuggestions': { other: false, comments: false, strings: false },
    'editor.suggestOnTriggerCharacters': false,
    'editor.wordBasedSuggestions': 'off',
    'editor.inlineSuggest.enabled': true,
    'files.autoSave': 'off',
    'files.eol': '\n',
    ...options.settings,
  };
  writeFileSync(join(userDir, 'User/settings.json'), JSON.stringify(settings, null, 2));

  const common = ['--user-data-dir', userDir, '--extensions-dir', extDir];
  execFileSync(CODE_SERVER, [...common, '--install-extension', vsix], { env: codeServerEnv(), stdio: 'ignore' });

  const port = await freePort();
  const server: ChildProcess = spawn(CODE_SERVER, [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', workspace], { env: codeServerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let serverLog = '';
  server.stdout?.on('data', (d) => (serverLog += d));
  server.stderr?.on('data', (d) => (serverLog += d));

  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    // code-server forks an extension host and watchers: end its whole process group by PID.
    if (server.pid) {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      await until(() => server.exitCode !== null || server.signalCode !== null, 10_000, 'code-server exit').catch(() => {
        try { process.kill(-server.pid!, 'SIGKILL'); } catch { /* gone */ }
      });
    }
    await fake.stop();
    if (!process.env.E2E_KEEP) rmSync(base, { recursive: true, force: true });
  };

  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, () => serverLog);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const open = options.workspaceFile ? `workspace=${encodeURIComponent(join(workspace, options.workspaceFile))}`
      : `folder=${encodeURIComponent(workspace)}`;
    await page.goto(`http://127.0.0.1:${port}/?${open}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The extension activates on startup finished; its status bar item says it is there.
    await page.waitForSelector('[id="infill-dev.infill.infill.status"]', { timeout: 60_000 });
    return { fake, page, workspace, userDir, stop };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- code-server log ---\n${serverLog.slice(-4000)}`);
  }
}

async function waitForHttp(url: string, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`code-server did not start: ${log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
