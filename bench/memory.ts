// Heap after many completions: the engine keeps a bounded cache (8 MB by its own accounting), the
// window edges of 64 documents and nothing else, so the heap must stop growing. Completions are
// driven as fast as they go (no latency, debounce 0), each at a new place of a 1,000-line document
// with a character typed first, so nearly every one is a new request and a new cache entry. The fake
// Ollama runs in another process, and the engine and the naive baseline are each driven in a
// process of their own (this file, forked with --expose-gc so the heap is collected before each
// measurement), so each heap holds only what is measured.

import { fork } from 'node:child_process';
import { join } from 'node:path';
import { CompletionCache } from '../src/completion/completionCache';
import { CompletionEngine, type CompletionRequest } from '../src/completion/completionEngine';
import type { LineSource } from '../src/text/lineSource';
import { settingsFrom } from '../src/settings/settings';
import { silentLogger } from '../src/util/log';
import { naiveComplete } from './naive';
import { sourceLines } from './overhead';
import { never } from '../test/support/never';
import { seededRandom } from '../test/support/seededRandom';

export interface MemoryResult {
  readonly completions: readonly [number, number];
  /** heapUsed in MB after the first and the second count, and the growth between them. */
  readonly engine: { readonly first: number; readonly second: number; readonly growth: number; readonly cacheEntries: number };
  readonly naive: { readonly first: number; readonly second: number; readonly growth: number };
  readonly gcAvailable: boolean;
}

const MB = 1024 * 1024;

function heapMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) { gc(); gc(); }
  return process.memoryUsage().heapUsed / MB;
}

async function startFakeProcess(): Promise<{ url: string; stop: () => void }> {
  const child = fork(join(__dirname, 'fakeServer.ts'), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line).port);
    });
    child.once('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

/** `run(request)` for `counts[1]` completions at seeded places; heap measured after counts[0] and counts[1]. */
async function drive(counts: readonly [number, number], run: (request: CompletionRequest) => Promise<string[]>):
  Promise<{ first: number; second: number }> {
  const lines = sourceLines(1_000);
  const random = seededRandom(42);
  const source: LineSource = { lineCount: lines.length, lineAt: (i) => lines[i] };
  let first = NaN;
  for (let i = 1; i <= counts[1]; i++) {
    const line = Math.floor(random() * lines.length);
    const character = Math.floor(random() * (lines[line].length + 1));
    lines[line] = lines[line].slice(0, character) + ' ' + lines[line].slice(character); // a space: no healing, one request each
    await run({ documentKey: `file:///memory/${i % 100}.ts`, lines: source, cursor: { line, character: character + 1 }, explicit: false });
    if (i === counts[0]) first = heapMB();
  }
  return { first, second: heapMB() };
}

/** Drive one kind of completion in a child process (its own heap), forked with --expose-gc. */
function driveInChild(kind: 'engine' | 'naive', counts: readonly [number, number], url: string):
  Promise<{ first: number; second: number; cacheEntries: number; gc: boolean }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--memory-child', kind, String(counts[0]), String(counts[1]), url],
      { execArgv: ['--expose-gc', '--import', 'tsx'] });
    let result: { first: number; second: number; cacheEntries: number; gc: boolean } | undefined;
    child.on('message', (m) => { result = m as typeof result; });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`memory ${kind} exited with code ${code}`))));
  });
}

/** The engine and the naive baseline, each in its own process, at the same time (both mostly wait on the fake). */
export async function measureMemory(quick: boolean): Promise<MemoryResult> {
  const counts: [number, number] = quick ? [100, 1_000] : [100, 10_000];
  // One fake each: a single fake process would be the bottleneck of both.
  const fakes = await Promise.all([startFakeProcess(), startFakeProcess()]);
  try {
    const [e, n] = await Promise.all([driveInChild('engine', counts, fakes[0].url), driveInChild('naive', counts, fakes[1].url)]);
    return {
      completions: counts,
      engine: { first: e.first, second: e.second, growth: e.second - e.first, cacheEntries: e.cacheEntries },
      naive: { first: n.first, second: n.second, growth: n.second - n.first },
      gcAvailable: e.gc && n.gc,
    };
  } finally {
    for (const fake of fakes) fake.stop();
  }
}

async function child(kind: string, counts: [number, number], url: string): Promise<void> {
  let cacheEntries = 0;
  let result: { first: number; second: number };
  if (kind === 'engine') {
    const settings = settingsFrom({ host: url, debounceMs: 0 });
    const cache = new CompletionCache(); // the engine's, counted at the end
    const engine = new CompletionEngine({ settings: () => settings, log: silentLogger, cache });
    result = await drive(counts, (request) => engine.complete(request, never));
    cacheEntries = cache.size;
    engine.dispose();
  } else {
    result = await drive(counts, (request) => naiveComplete(url, request, never));
  }
  process.send!({ ...result, cacheEntries, gc: typeof (globalThis as { gc?: unknown }).gc === 'function' }, () => process.exit(0));
}

const at = process.argv.indexOf('--memory-child');
if (at !== -1) {
  const [kind, first, second, url] = process.argv.slice(at + 1);
  child(kind, [Number(first), Number(second)], url).catch((err) => {
    process.stderr.write(`memory ${kind}: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
