// TypeScript's language service in a worker thread, for the trace replay (packageSources.ts): its
// work must not block the replay's event loop, as VS Code's tsserver runs apart from the extension
// host. The parent sends the package once, then one message per look-up.

import { parentPort, Worker, workerData } from 'node:worker_threads';
import { Package, PackageLanguageService, type BenchLanguage, type DefinitionFinder } from './packageSources';

interface Init { readonly root: string; readonly language: BenchLanguage; readonly files: readonly string[] }
interface Ask { readonly id: number; readonly path: string; readonly version: string; readonly text: string; readonly offset: number }
interface Answer { readonly id: number; readonly found: { path: string; line: number }[] }

if (parentPort && (workerData as { languageServiceWorker?: Init } | undefined)?.languageServiceWorker) {
  const init = (workerData as { languageServiceWorker: Init }).languageServiceWorker;
  const ls = new PackageLanguageService(new Package(init.root, init.language, init.files));
  ls.service.getProgram(); // warm
  const port = parentPort;
  port.postMessage({ id: -1, found: [] } satisfies Answer);
  port.on('message', (ask: Ask) => {
    ls.setText(ask.path, ask.version, ask.text);
    port.postMessage({ id: ask.id, found: ls.definitionsAt(ask.path, ask.offset) } satisfies Answer);
  });
}

/** The language service of `pkg` in a worker thread. */
export class LanguageServiceWorker implements DefinitionFinder {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (found: { path: string; line: number }[]) => void>();
  private next = 0;
  /** Resolves once the worker's program is built. */
  readonly ready: Promise<void>;

  constructor(pkg: Package) {
    const init: Init = { root: pkg.root, language: pkg.language, files: pkg.files };
    this.worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`,
      { eval: true, workerData: { languageServiceWorker: init } });
    let started!: () => void;
    this.ready = new Promise((resolve) => { started = resolve; });
    this.worker.on('message', (answer: Answer) => {
      if (answer.id === -1) return started();
      this.waiting.get(answer.id)?.(answer.found);
      this.waiting.delete(answer.id);
    });
  }

  find(path: string, version: string, text: string, offset: number): Promise<{ path: string; line: number }[]> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ id, path, version, text, offset } satisfies Ask);
    });
  }

  async dispose(): Promise<void> {
    for (const resolve of this.waiting.values()) resolve([]);
    await this.worker.terminate();
  }
}
