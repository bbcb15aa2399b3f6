// The real CompletionEngine, built as src/extension.ts builds it, against a fake Ollama over real
// HTTP, with settings a test can change: the set-up every engine test starts from.

import { CompletionEngine, type EngineOptions } from '../../src/completion/completionEngine';
import { settingsFrom, type Settings } from '../../src/settings/settings';
import { silentLogger } from '../../src/util/log';
import { FakeOllama, type Latency, type RecordedRequest } from './fakeOllama';

export interface EngineRig {
  readonly fake: FakeOllama;
  readonly engine: CompletionEngine;
  /** What the engine reads as its settings; `useSettings` changes them as the settings store does. */
  settings: Settings;
  useSettings(values: Partial<Settings>): void;
  /** The /api/generate requests the fake received. */
  generates(): RecordedRequest[];
  /** Dispose of the engine, then stop the fake. */
  dispose(): Promise<void>;
}

export type EngineRigOptions = Partial<Omit<EngineOptions, 'settings'>> & { readonly latency?: Latency };

/** A fake Ollama quick to answer (5 ms to the first token, 1 ms per token) and no debounce. */
export async function engineRig(options: EngineRigOptions = {}): Promise<EngineRig> {
  const { latency = { timeToFirstTokenMs: 5, perTokenMs: 1 }, log = silentLogger, ...engineOptions } = options;
  const fake = new FakeOllama({ latency });
  await fake.start();
  return new Rig(fake, { ...engineOptions, log });
}

class Rig implements EngineRig {
  settings: Settings;
  readonly engine: CompletionEngine;

  constructor(readonly fake: FakeOllama, options: Omit<EngineOptions, 'settings'>) {
    this.settings = settingsFrom({ host: fake.url, debounceMs: 0 });
    this.engine = new CompletionEngine({ ...options, settings: () => this.settings });
  }

  useSettings(values: Partial<Settings>): void {
    this.settings = { ...this.settings, ...values };
    this.engine.settingsChanged();
  }

  generates(): RecordedRequest[] {
    return this.fake.requestsTo('/api/generate');
  }

  async dispose(): Promise<void> {
    this.engine.dispose();
    await this.fake.stop();
  }
}
