// estimateTokens must stay an upper bound of the real Code Llama (Llama 2 SentencePiece) token
// count without becoming wasteful. Checked against llama-tokenizer-js (an ESM package: loaded with
// a dynamic import, which works from this CommonJS test under tsx).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { OUTPUT, tokenTablesSource } from '../../bench/tokenTables';
import { estimateLineTokens, estimateTokens } from '../../src/text/tokenEstimate';

interface Tokenizer {
  encode(prompt: string, addBos?: boolean, addPrecedingSpace?: boolean): number[] | undefined;
}

let tokenizer: Tokenizer;

/** Tokens of `text` inside a prompt: no BOS, no dummy-prefix space. */
function realTokens(text: string): number {
  return text.length === 0 ? 0 : tokenizer.encode(text, false, false)!.length;
}

/**
 * Ordinary code may cost at most this many times its real token count. bench/calibrateTokens.ts
 * measures on 20-line windows of real files a mean of 1.23 and a 99th percentile of 1.42; the code
 * fixtures below come out at 1.16-1.31. An estimator that gets ~7% more wasteful fails here.
 */
const MAX_RATIO = 1.4;

const CODE: Record<string, string> = {
  typescript: `import * as vscode from 'vscode';
import { Ollama } from 'ollama';

export interface CompletionOptions {
  readonly model: string;
  readonly numPredict: number;
  readonly temperature?: number;
}

export class InlineProvider implements vscode.InlineCompletionItemProvider {
  private readonly cache = new Map<string, string>();

  constructor(private readonly client: Ollama, private options: CompletionOptions) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[]> {
    const prefix = document.getText(new vscode.Range(new vscode.Position(0, 0), position));
    const cached = this.cache.get(prefix);
    if (cached !== undefined) return [new vscode.InlineCompletionItem(cached)];
    if (token.isCancellationRequested) return [];
    const response = await this.client.generate({ model: this.options.model, prompt: prefix, raw: true });
    this.cache.set(prefix, response.response);
    return [new vscode.InlineCompletionItem(response.response)];
  }
}
`,
  python: `import os
import sys
from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Config:
    """Settings read from the environment."""

    host: str = "127.0.0.1"
    port: int = 11434
    models: list[str] = field(default_factory=list)
    timeout: Optional[float] = None

    @classmethod
    def from_env(cls) -> "Config":
        port = int(os.environ.get("OLLAMA_PORT", "11434"))
        models = [m.strip() for m in os.environ.get("MODELS", "").split(",") if m.strip()]
        return cls(port=port, models=models)


def main(argv: list[str]) -> int:
    config = Config.from_env()
    if len(argv) > 1 and argv[1] == "--verbose":
        print(f"connecting to {config.host}:{config.port} with {len(config.models)} models")
    for i, name in enumerate(sorted(config.models)):
        print(f"{i:>3d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`,
  c: `#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFER_SIZE 4096
#define MAX(a, b) ((a) > (b) ? (a) : (b))

typedef struct ring_buffer {
\tunsigned char *data;
\tsize_t head;
\tsize_t tail;
\tsize_t capacity;
} ring_buffer_t;

static int ring_buffer_init(ring_buffer_t *rb, size_t capacity)
{
\trb->data = malloc(capacity);
\tif (rb->data == NULL) {
\t\tfprintf(stderr, "out of memory (%zu bytes)\\n", capacity);
\t\treturn -1;
\t}
\trb->head = rb->tail = 0;
\trb->capacity = capacity;
\treturn 0;
}

static size_t ring_buffer_used(const ring_buffer_t *rb)
{
\treturn (rb->head + rb->capacity - rb->tail) % rb->capacity;
}
`,
  go: `package server

import (
\t"encoding/json"
\t"net/http"
\t"time"
)

type Handler struct {
\tstore   Store
\ttimeout time.Duration
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
\tctx, cancel := context.WithTimeout(r.Context(), h.timeout)
\tdefer cancel()
\titems, err := h.store.List(ctx, r.URL.Query().Get("prefix"))
\tif err != nil {
\t\thttp.Error(w, err.Error(), http.StatusInternalServerError)
\t\treturn
\t}
\tw.Header().Set("Content-Type", "application/json")
\t_ = json.NewEncoder(w).Encode(items)
}
`,
  rust: `use std::collections::HashMap;
use std::io::{self, BufRead};

#[derive(Debug, Default)]
pub struct WordCount {
    counts: HashMap<String, usize>,
}

impl WordCount {
    pub fn add_line(&mut self, line: &str) {
        for word in line.split_whitespace() {
            *self.counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
    }

    pub fn top(&self, n: usize) -> Vec<(&String, &usize)> {
        let mut entries: Vec<_> = self.counts.iter().collect();
        entries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        entries.into_iter().take(n).collect()
    }
}

fn main() -> io::Result<()> {
    let mut wc = WordCount::default();
    for line in io::stdin().lock().lines() {
        wc.add_line(&line?);
    }
    println!("{:?}", wc.top(10));
    Ok(())
}
`,
  shell: `#!/usr/bin/env bash
set -euo pipefail

MODEL="\${1:-codellama:7b-code}"
OLLAMA_HOST="\${OLLAMA_HOST:-http://127.0.0.1:11434}"

log() { printf '[%s] %s\\n' "$(date +%H:%M:%S)" "$*" >&2; }

if ! command -v ollama >/dev/null 2>&1; then
  log "ollama is not installed"
  exit 1
fi

for attempt in 1 2 3; do
  if curl -fsS "$OLLAMA_HOST/api/tags" >/dev/null; then
    log "server is up (attempt $attempt)"
    break
  fi
  sleep 2
done

ollama pull "$MODEL" && log "pulled $MODEL"
`,
  json: `{
  "name": "infill",
  "displayName": "Infill",
  "version": "0.1.0",
  "engines": { "vscode": "^1.90.0" },
  "activationEvents": ["onStartupFinished"],
  "contributes": {
    "configuration": {
      "title": "Infill",
      "properties": {
        "infill.model": { "type": "string", "default": "codellama:7b-code" },
        "infill.numCtx": { "type": "number", "default": 4096, "minimum": 512 },
        "infill.numPredict": { "type": "number", "default": 128 },
        "infill.debounceMs": { "type": "number", "default": 150 }
      }
    }
  }
}
`,
  markdown: `# Infill

Ghost-text code completions from a local Code Llama model served by [Ollama](https://ollama.com).

## Requirements

- Ollama 0.1.30 or newer, running on the same machine
- The \`codellama:7b-code\` or \`codellama:13b-code\` model

## How it works

The extension sends the text before and after the cursor as a fill-in-the-middle prompt. The
prompt never exceeds the context window: tokens are counted with a calibrated estimate, so that
nothing is silently truncated by the server.
`,
};

const ADVERSARIAL: Record<string, string> = {
  empty: '',
  'one space': ' ',
  'one newline': '\n',
  digits: '31415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253',
  'numbers table': '1, 22, 333, 4444, 55555\n0x7fffffff 1e-9 3.14159 -42\n',
  emoji: '😀🚀👍🏽👨‍👩‍👧‍👦🇫🇷❤️✅🎉🔥 done 🧪',
  'emoji in a string': 'const status = "✅ passed 🎉";\n',
  'CJK common': '这是一个简单的测试。我们计算字符的数量，然后比较结果。',
  'CJK rare': '𠀀𠀁𠀂㐀㐁㐂䶵鿿',
  'CJK comment': '  // 计算总价 (price * count)\n  const total = price * count;\n',
  'mixed scripts': 'Привет, мир! Γειά σου κόσμε. مرحبا بالعالم. नमस्ते दुनिया. café naïve façade',
  'lone surrogates': 'a\ud800b\udc00c\ud83d',
  'space indentation': Array.from({ length: 40 }, (_, i) => ' '.repeat(i * 2) + 'x;').join('\n') + '\n',
  'tab indentation': Array.from({ length: 40 }, (_, i) => '\t'.repeat(i) + 'x;').join('\n') + '\n',
  'whitespace only': '   \t  \n\t\t\n' + ' '.repeat(100) + '\n\n\n',
  'long space runs': 'a' + ' '.repeat(17) + 'b' + ' '.repeat(33) + 'c' + ' '.repeat(50) + '}\n',
  'minified js': 'var e=function(t,n){return t+n},r=[1,2,3].map(function(x){return e(x,2)});if(!r.length)throw new TypeError("empty");module.exports={e:e,r:r};',
  base64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'hex digest': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'random letters': 'qzxv jkwp xqzt vbnm pqjz wxkq zzzt hgfd mnbv qwrt plkj zxcv',
  'CRLF and controls': 'line one\r\nline two\r\n\x1b[31mred\x1b[0m\x07\r\n',
  'ascii rulers': '='.repeat(80) + '\n' + '-'.repeat(80) + '\n' + '#'.repeat(80) + '\n',
};

describe('estimateTokens', () => {
  before(async () => {
    tokenizer = (await import('llama-tokenizer-js')).default;
  });

  for (const [name, text] of Object.entries(CODE)) {
    it(`is an upper bound, at most ${MAX_RATIO}x, for ${name}`, () => {
      const real = realTokens(text);
      const est = estimateTokens(text);
      assert.ok(est >= real, `${name}: estimate ${est} < real ${real}`);
      assert.ok(est <= MAX_RATIO * real, `${name}: estimate ${est} > ${MAX_RATIO} x real ${real}`);
    });
  }

  for (const [name, text] of Object.entries(ADVERSARIAL)) {
    it(`is an upper bound for ${name}`, () => {
      const real = realTokens(text);
      const est = estimateTokens(text);
      assert.ok(est >= real, `${name}: estimate ${est} < real ${real}`);
    });
  }

  it('is 0 for the empty string', () => {
    assert.equal(estimateTokens(''), 0);
  });

  it('equals the sum of estimateLineTokens over the lines', () => {
    for (const text of [...Object.values(CODE), ...Object.values(ADVERSARIAL)]) {
      const lines = text.split('\n');
      const last = lines.pop()!; // text after the final line break ('' when it ends with one)
      const sum = lines.reduce((acc, line) => acc + estimateLineTokens(line), 0) + estimateTokens(last);
      assert.equal(estimateTokens(text), sum);
    }
  });

  it('covers every cut of a line (as the window edges cut the cursor line)', () => {
    for (const text of Object.values(CODE)) {
      const line = text.split('\n').reduce((a, b) => (b.length > a.length ? b : a));
      for (let i = 0; i <= line.length; i++) {
        assert.ok(estimateTokens(line.slice(0, i)) >= realTokens(line.slice(0, i)), JSON.stringify(line.slice(0, i)));
        assert.ok(estimateTokens(line.slice(i)) >= realTokens(line.slice(i)), JSON.stringify(line.slice(i)));
      }
    }
  });

  it('is never below one token per 16 characters', () => {
    for (const text of [...Object.values(CODE), ...Object.values(ADVERSARIAL)]) {
      assert.ok(estimateTokens(text) >= Math.ceil(text.length / 16));
    }
  });
});

describe('estimateLineTokens', () => {
  before(async () => {
    tokenizer = (await import('llama-tokenizer-js')).default;
  });

  it('counts at least the line break of an empty line', () => {
    assert.ok(estimateLineTokens('') >= 1);
    assert.ok(estimateLineTokens('') >= realTokens('\n'));
  });

  it('is an upper bound of the line plus its break for each line of the code fixtures', () => {
    let lines = 0;
    let under = 0;
    for (const text of Object.values(CODE)) {
      for (const line of text.split('\n')) {
        lines++;
        if (estimateLineTokens(line) < realTokens(line + '\n')) under++;
      }
    }
    // Single lines are calibrated to be under about once in a thousand; these fixtures have none.
    assert.equal(under, 0, `${under} of ${lines} lines under`);
  });
});

describe('tokenTables.generated.ts', () => {
  it('is exactly what npm run tokens:tables writes from the tokenizer vocabulary (not edited by hand)', async () => {
    const tokenizer: { vocabById: string[] } = (await import('llama-tokenizer-js')).default;
    assert.equal(readFileSync(OUTPUT, 'utf8'), tokenTablesSource(tokenizer.vocabById));
  });
});
