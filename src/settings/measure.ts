// Measures how fast a completion model answers on this machine, with the completion engine's own
// request (generateRequest): in particular the same num_ctx and keep_alive, so measuring neither
// reloads the model nor unloads it earlier than completions would.

import { performance } from 'node:perf_hooks';
import { buildFimPrompt } from '../completion/fimPrompt';
import { generateRequest } from '../completion/generateRequest';
import { OllamaError, streamGenerate, type StreamGenerateRequest } from '../ollama/client';
import { percentile } from '../util/percentile';
import type { Measurement } from './panelState';
import type { Settings } from './settings';

/** Tokens one measured answer may generate: a typical multi-line suggestion. */
export const MEASURE_NUM_PREDICT = 64;

/**
 * Realistic fill-in-the-middle cases in several languages. Each prefix ends after whitespace or
 * punctuation, so no token healing applies and the prompt is plain SPM. Consecutive cases share at
 * most a few leading tokens, so each sample pays its own prompt evaluation, as a fresh file would.
 */
export const MEASURE_PROMPTS: readonly { prefix: string; suffix: string }[] = Object.freeze([
  {
    prefix: 'import { readFile } from "node:fs/promises";\n\nexport async function loadConfig(path: string): Promise<Config> {\n  const text = await readFile(path, "utf8");\n  ',
    suffix: '\n}\n\nexport interface Config {\n  name: string;\n  port: number;\n}\n',
  },
  {
    prefix: 'def median(values: list[float]) -> float:\n    """Return the median of a non-empty list."""\n    ordered = sorted(values)\n    ',
    suffix: '\n\n\nif __name__ == "__main__":\n    print(median([3.0, 1.0, 2.0]))\n',
  },
  {
    prefix: 'package store\n\nimport "sync"\n\ntype Cache struct {\n\tmu    sync.Mutex\n\titems map[string]string\n}\n\nfunc (c *Cache) Get(key string) (string, bool) {\n\t',
    suffix: '\n}\n\nfunc (c *Cache) Set(key, value string) {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\tc.items[key] = value\n}\n',
  },
  {
    prefix: 'use std::collections::HashMap;\n\nfn word_counts(text: &str) -> HashMap<String, usize> {\n    let mut counts = HashMap::new();\n    ',
    suffix: '\n    counts\n}\n',
  },
  {
    prefix: 'public final class Strings {\n    private Strings() {}\n\n    public static boolean isPalindrome(String s) {\n        ',
    suffix: '\n    }\n}\n',
  },
  {
    prefix: '#include <stddef.h>\n\n/* Reverse `n` bytes of `buf` in place. */\nvoid reverse(char *buf, size_t n) {\n    ',
    suffix: '\n}\n\nint main(void) {\n    char s[] = "hello";\n    reverse(s, 5);\n    return 0;\n}\n',
  },
]);

/** Not measured: it pays the model load. A case of its own, so it warms no sample's prompt cache. */
const WARM_UP = {
  prefix: '<?php\n\nfunction greet(string $name): string {\n    ',
  suffix: '\n}\n',
};

export interface Sample { ttftMs: number; totalMs: number; evalCount: number; evalDurationNs: number }

/** The request completions send for this case (generateRequest), at temperature 0. */
function measureRequest(model: string, settings: Settings, prefix: string, suffix: string): StreamGenerateRequest {
  const { prompt } = buildFimPrompt(prefix, suffix, settings.promptFormat);
  return generateRequest(model, prompt, settings, { temperature: 0, numPredict: MEASURE_NUM_PREDICT });
}

export function summarise(model: string, samples: Sample[], at: number): Measurement {
  if (samples.length === 0) throw new RangeError('no samples to summarise');
  let tokens = 0;
  let evalNs = 0;
  for (const s of samples) {
    tokens += s.evalCount;
    evalNs += s.evalDurationNs;
  }
  const latencies = samples.map((s) => s.totalMs);
  return {
    model,
    at,
    ttftMsP50: percentile(samples.map((s) => s.ttftMs), 50),
    latencyMsP50: percentile(latencies, 50),
    latencyMsP95: percentile(latencies, 95),
    // Generation speed over all samples: every token weighs the same, whatever sample it is in.
    tokensPerSecond: evalNs > 0 ? tokens / (evalNs / 1e9) : 0,
    samples: samples.length,
  };
}

/** One streamed request, timed from its start to the first non-empty chunk and to the final chunk. */
async function sample(host: string, request: StreamGenerateRequest, signal: AbortSignal): Promise<Sample> {
  const start = performance.now();
  let first: number | undefined;
  for await (const part of streamGenerate(host, request, signal)) {
    if (first === undefined && part.response) first = performance.now();
    if (part.done) {
      const end = performance.now();
      return {
        ttftMs: (first ?? end) - start,
        totalMs: end - start,
        evalCount: part.eval_count ?? 0,
        evalDurationNs: part.eval_duration ?? 0,
      };
    }
  }
  // An abort ends the stream by throwing; a stream that simply stops is the server's fault.
  throw new OllamaError('server', 'Ollama ended the answer without its final statistics');
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new OllamaError('aborted', 'aborted');
}

/**
 * Warm up (load the model: not counted), then one sample per MEASURE_PROMPTS case, one at a time.
 * `onSample(done, total)` follows each counted sample. Rejects with an OllamaError: kind 'aborted'
 * when `signal` aborts (the HTTP request is closed at once), 'unreachable', 'modelMissing'…
 */
export async function measureModel(host: string, model: string, settings: Settings, signal: AbortSignal,
  onSample?: (done: number, total: number) => void): Promise<Measurement> {
  throwIfAborted(signal);
  await sample(host, measureRequest(model, settings, WARM_UP.prefix, WARM_UP.suffix), signal);
  const samples: Sample[] = [];
  for (const { prefix, suffix } of MEASURE_PROMPTS) {
    throwIfAborted(signal);
    samples.push(await sample(host, measureRequest(model, settings, prefix, suffix), signal));
    onSample?.(samples.length, MEASURE_PROMPTS.length);
  }
  throwIfAborted(signal);
  return summarise(model, samples, Date.now());
}
