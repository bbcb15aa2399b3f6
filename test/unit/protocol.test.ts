import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FromExplainView, isOllamaModelName, isSafeExternalLink, LIMITS, parseFromExplainView, ToExplainView,
} from '../../src/webview/protocol';

describe('parseFromExplainView: valid messages', () => {
  const valid: FromExplainView[] = [
    { type: 'ready' },
    { type: 'stop', requestId: 0 },
    { type: 'stop', requestId: 42 },
    { type: 'stop', requestId: Number.MAX_SAFE_INTEGER },
    { type: 'again' },
    { type: 'retry' },
    { type: 'pull', model: 'codellama:7b-instruct' },
    { type: 'pull', model: 'codellama' },
    { type: 'pull', model: 'library/codellama:13b-instruct-q4_K_M' },
    { type: 'pull', model: 'hf.co/TheBloke/CodeLlama-7B-Instruct-GGUF:Q4_K_M' },
    { type: 'openLink', href: 'https://example.com/a?b=1#c' },
    { type: 'openLink', href: 'http://localhost:8080/' },
    { type: 'openLink', href: 'HTTPS://EXAMPLE.COM' },
    { type: 'copy', text: 'const a = 1;\n' },
    { type: 'copy', text: '' },
    { type: 'copy', text: 'x'.repeat(LIMITS.copyText) },
  ];
  for (const message of valid) {
    test(JSON.stringify(message).slice(0, 80), () => {
      const parsed = parseFromExplainView(message);
      assert.deepEqual(parsed, message);
      assert.notEqual(parsed, message, 'a fresh object, not the input');
      // What postMessage delivers: a structured clone (here: a JSON round trip).
      assert.deepEqual(parseFromExplainView(JSON.parse(JSON.stringify(message))), message);
    });
  }

  test('an object with a null prototype is accepted', () => {
    const message = Object.assign(Object.create(null), { type: 'stop', requestId: 1 });
    assert.deepEqual(parseFromExplainView(message), { type: 'stop', requestId: 1 });
  });
});

describe('parseFromExplainView: invalid messages', () => {
  const invalid: [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ready'],
    ['a JSON string', '{"type":"ready"}'],
    ['a number', 1],
    ['a boolean', true],
    ['an array', ['ready']],
    ['an array with type', Object.assign(['x'], { type: 'ready' })],
    ['a function', () => ({ type: 'ready' })],
    ['empty object', {}],
    ['unknown type', { type: 'run' }],
    ['type not a string', { type: 1 }],
    ['inherited type name', { type: 'toString' }],
    ['__proto__ as type', { type: '__proto__' }],
    ['constructor as type', { type: 'constructor' }],
    ['extra key', { type: 'ready', extra: 1 }],
    ['extra key undefined', { type: 'again', x: undefined }],
    ['stop without requestId', { type: 'stop' }],
    ['stop with string requestId', { type: 'stop', requestId: '1' }],
    ['stop with negative requestId', { type: 'stop', requestId: -1 }],
    ['stop with -0.5', { type: 'stop', requestId: -0.5 }],
    ['stop with fractional requestId', { type: 'stop', requestId: 1.5 }],
    ['stop with huge requestId', { type: 'stop', requestId: Number.MAX_SAFE_INTEGER + 1 }],
    ['stop with 1e300', { type: 'stop', requestId: 1e300 }],
    ['stop with NaN', { type: 'stop', requestId: NaN }],
    ['stop with Infinity', { type: 'stop', requestId: Infinity }],
    ['stop with bigint', { type: 'stop', requestId: 1n }],
    ['stop with boxed number', { type: 'stop', requestId: new Number(1) }],
    ['stop with an extra key', { type: 'stop', requestId: 1, html: '<b>' }],
    ['pull without model', { type: 'pull' }],
    ['pull with a number', { type: 'pull', model: 7 }],
    ['pull with empty model', { type: 'pull', model: '' }],
    ['pull with spaces', { type: 'pull', model: 'codellama 7b' }],
    ['pull with a flag', { type: 'pull', model: '--insecure' }],
    ['pull with a path', { type: 'pull', model: '../../etc/passwd' }],
    ['pull with a URL', { type: 'pull', model: 'https://evil.example/model' }],
    ['pull with a newline', { type: 'pull', model: 'codellama\n' }],
    ['pull with a query', { type: 'pull', model: 'codellama?x=1' }],
    ['pull with a dot namespace', { type: 'pull', model: 'a/b.c/d' }],
    ['pull with too many parts', { type: 'pull', model: 'a/b/c/d' }],
    ['pull with two tags', { type: 'pull', model: 'a:b:c' }],
    ['pull with oversize model', { type: 'pull', model: 'm'.repeat(LIMITS.model + 1) }],
    ['openLink without href', { type: 'openLink' }],
    ['openLink javascript:', { type: 'openLink', href: 'javascript:alert(1)' }],
    ['openLink JavaScript:', { type: 'openLink', href: 'JavaScript:alert(1)' }],
    ['openLink command:', { type: 'openLink', href: 'command:workbench.action.quit' }],
    ['openLink file:', { type: 'openLink', href: 'file:///etc/passwd' }],
    ['openLink vscode:', { type: 'openLink', href: 'vscode://evil.ext/run' }],
    ['openLink data:', { type: 'openLink', href: 'data:text/html,<script>alert(1)</script>' }],
    ['openLink relative', { type: 'openLink', href: '/etc/passwd' }],
    ['openLink credentials', { type: 'openLink', href: 'https://user:pw@example.com/' }],
    ['openLink oversize', { type: 'openLink', href: 'https://example.com/' + 'a'.repeat(LIMITS.href) }],
    ['openLink object', { type: 'openLink', href: { toString: () => 'https://example.com' } }],
    ['copy without text', { type: 'copy' }],
    ['copy with a number', { type: 'copy', text: 1 }],
    ['copy with an array', { type: 'copy', text: ['a'] }],
    ['copy oversize', { type: 'copy', text: 'x'.repeat(LIMITS.copyText + 1) }],
  ];
  for (const [name, message] of invalid) {
    test(name, () => assert.equal(parseFromExplainView(message), undefined));
  }

  test('prototype-pollution shapes from JSON are refused and pollute nothing', () => {
    for (const json of [
      '{"type":"ready","__proto__":{"polluted":true}}',
      '{"__proto__":{"type":"ready"}}',
      '{"type":"copy","text":"x","__proto__":{"text":"y"}}',
      '{"type":"stop","requestId":1,"constructor":{"prototype":{"polluted":true}}}',
    ]) {
      assert.equal(parseFromExplainView(JSON.parse(json)), undefined, json);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('inherited fields do not count', () => {
    const message = Object.create({ requestId: 1 });
    message.type = 'stop';
    assert.equal(parseFromExplainView(message), undefined);
  });

  test('getters and symbol keys are refused', () => {
    let reads = 0;
    const withGetter = { type: 'stop', get requestId() { reads++; return 1; } };
    assert.equal(parseFromExplainView(withGetter), undefined);
    assert.equal(reads, 0, 'the getter is never run');
    assert.equal(parseFromExplainView({ type: 'ready', [Symbol('x')]: 1 }), undefined);
  });

  test('class instances, dates and maps are refused', () => {
    class Ready { type = 'ready'; }
    assert.equal(parseFromExplainView(new Ready()), undefined);
    assert.equal(parseFromExplainView(new Date()), undefined);
    assert.equal(parseFromExplainView(new Map([['type', 'ready']])), undefined);
  });
});

describe('isSafeExternalLink', () => {
  test('absolute http(s) URLs without credentials', () => {
    for (const href of ['https://example.com', 'http://example.com/a b'.replace(' ', '%20'), 'https://[::1]:8080/x',
      'https://xn--nxasmq6b.example/', 'https://example.com/?q=a@b']) {
      assert.equal(isSafeExternalLink(href), true, href);
    }
  });

  test('everything else', () => {
    for (const href of [
      '', 'example.com', '//example.com', '/path', './a', 'javascript:alert(1)', 'JAVASCRIPT:alert(1)',
      ' https://example.com', 'https://example.com ', 'java\nscript:alert(1)', 'https://exa\tmple.com',
      'command:workbench.action.quit', 'vscode://ext/x', 'vscode-webview://x', 'file:///etc/passwd', 'data:text/html,x',
      'ftp://example.com', 'mailto:a@b.c', 'http:example.com', 'http:/example.com', 'http:\\\\example.com',
      'https:\\\\example.com', 'https://\\example.com', 'https://user@example.com', 'https://user:pw@example.com',
      'https://:@example.com', 'https://', 'https:///path', 'https://exa mple.com', 'https://example.com\u2028',
      'https://example.com/' + 'a'.repeat(LIMITS.href),
    ]) {
      assert.equal(isSafeExternalLink(href), false, JSON.stringify(href));
    }
  });
});

describe('isOllamaModelName', () => {
  test('Ollama names', () => {
    for (const name of ['codellama', 'codellama:7b-instruct', 'codellama:13b-instruct-q4_K_M', 'library/codellama:latest',
      'registry.ollama.ai/library/codellama:7b', 'hf.co/user/Repo-GGUF:Q4_K_M', 'my_model.v2:1.0']) {
      assert.equal(isOllamaModelName(name), true, name);
    }
    for (const name of ['', ':7b', '-x', '.x', 'a/', '/a', 'a//b', 'a:', 'a b', 'a..b', 'a/../b', 'é', 'a@sha256-1', 'a+b']) {
      assert.equal(isOllamaModelName(name), false, name);
    }
  });
});

test('ToExplainView covers every message the panel receives (type-level)', () => {
  const messages: ToExplainView[] = [
    { type: 'start', requestId: 1, file: 'src/a.ts', range: 'lines 1-3', model: 'codellama:7b-instruct', truncated: false },
    { type: 'chunk', requestId: 1, html: '<p>a</p>' },
    { type: 'done', requestId: 1, html: '<p>ab</p>' },
    { type: 'stopped', requestId: 1 },
    { type: 'error', requestId: 1, kind: 'unreachable', message: 'Ollama is not running', incomplete: false },
    { type: 'error', requestId: 1, kind: 'modelMissing', message: 'not installed', model: 'codellama:7b-instruct', incomplete: false },
    { type: 'pullProgress', requestId: 1, percent: 50, text: 'pulling', done: false },
  ];
  assert.equal(new Set(messages.map((m) => m.type)).size, 6);
});
