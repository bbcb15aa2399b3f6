import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PANEL_MODELS, parseFromSettingsView, SETTING_LIMITS, validateSetting, type FromSettingsView, type SettingKey, type ToSettingsView,
} from '../../src/webview/settingsProtocol';
import { panelState } from '../../src/settings/panelState';
import { DEFAULTS, KEYS, LIMITS } from '../../src/settings/settings';

describe('PANEL_MODELS', () => {
  test('the 7B/13B code models and the three instruct models, never a 34B completion model', () => {
    assert.deepEqual([...PANEL_MODELS], ['codellama:7b-code', 'codellama:13b-code', 'codellama:7b-instruct',
      'codellama:13b-instruct', 'codellama:34b-instruct']);
    assert.ok(Object.isFrozen(PANEL_MODELS));
    // Every pullable option of the panel is in the list; the disabled 34B completion option is not.
    const state = panelState(DEFAULTS, [], [], { reachable: true, host: DEFAULTS.host });
    const pullable = [...state.completion, ...state.explain].filter((o) => !o.disabledReason).map((o) => o.model);
    assert.deepEqual(pullable, [...PANEL_MODELS]);
  });
});

describe('parseFromSettingsView: valid messages', () => {
  const valid: FromSettingsView[] = [
    { type: 'ready' },
    { type: 'measure' },
    { type: 'cancelMeasure' },
    { type: 'refresh' },
    ...PANEL_MODELS.flatMap((model): FromSettingsView[] => [{ type: 'pull', model }, { type: 'cancelPull', model }]),
    { type: 'testConnection', host: 'http://127.0.0.1:11434' },
    { type: 'testConnection', host: 'https://gpu.example.com' },
    { type: 'testConnection', host: 'localhost:11434' },
    { type: 'testConnection', host: 'http://[::1]:11434' },
    { type: 'setSetting', key: 'completionsEnabled', value: false },
    { type: 'setSetting', key: 'disabledLanguages', value: ['markdown', 'plaintext'] },
    { type: 'setSetting', key: 'disabledLanguages', value: [] },
    { type: 'setSetting', key: 'host', value: 'http://127.0.0.1:11434' },
    { type: 'setSetting', key: 'keepAlive', value: '1h' },
    { type: 'setSetting', key: 'modelSize', value: '13b' },
    { type: 'setSetting', key: 'customModel', value: '' },
    { type: 'setSetting', key: 'promptFormat', value: 'psm' },
    { type: 'setSetting', key: 'contextTokens', value: 8192 },
    { type: 'setSetting', key: 'maxTokens', value: 128 },
    { type: 'setSetting', key: 'maxLines', value: 1 },
    { type: 'setSetting', key: 'temperature', value: 0.2 },
    { type: 'setSetting', key: 'alternativesTemperature', value: 1 },
    { type: 'setSetting', key: 'debounceMs', value: 0 },
    { type: 'setSetting', key: 'explainModelSize', value: '34b' },
    // The parser checks the value's type family only; validateSetting judges the value.
    { type: 'setSetting', key: 'contextTokens', value: 5 },
    { type: 'setSetting', key: 'modelSize', value: '34b' },
  ];
  for (const message of valid) {
    test(JSON.stringify(message).slice(0, 90), () => {
      const parsed = parseFromSettingsView(message);
      assert.deepEqual(parsed, message);
      assert.notEqual(parsed, message, 'a fresh object, not the input');
      assert.deepEqual(parseFromSettingsView(JSON.parse(JSON.stringify(message))), message);
    });
  }

  test('every key of KEYS may be set, but infill.exclude (settings.json only)', () => {
    for (const key of Object.keys(KEYS)) {
      if (key === 'exclude') continue;
      assert.ok(parseFromSettingsView({ type: 'setSetting', key, value: 1 }), key);
    }
    assert.equal(parseFromSettingsView({ type: 'setSetting', key: 'exclude', value: [] }), undefined);
  });

  test('an array value is copied, and a null-prototype message is accepted', () => {
    const value = ['markdown'];
    const parsed = parseFromSettingsView({ type: 'setSetting', key: 'disabledLanguages', value });
    assert.ok(parsed?.type === 'setSetting');
    assert.notEqual(parsed.value, value);
    assert.deepEqual(parseFromSettingsView(Object.assign(Object.create(null), { type: 'refresh' })), { type: 'refresh' });
  });
});

describe('parseFromSettingsView: invalid messages', () => {
  const sparse: string[] = [];
  sparse[1] = 'markdown';
  const invalid: [string, unknown][] = [
    ['undefined', undefined], ['null', null], ['a string', 'ready'], ['a number', 1], ['an array', ['ready']],
    ['an array with type', Object.assign(['x'], { type: 'ready' })],
    ['a function', () => ({ type: 'ready' })],
    ['empty object', {}], ['unknown type', { type: 'save' }], ['type not a string', { type: 1 }],
    ['inherited type name', { type: 'toString' }], ['__proto__ as type', { type: '__proto__' }],
    ['hasOwnProperty as type', { type: 'hasOwnProperty' }],
    ['extra key', { type: 'ready', extra: 1 }], ['extra undefined key', { type: 'measure', x: undefined }],
    ['pull without model', { type: 'pull' }], ['pull a number', { type: 'pull', model: 7 }],
    ['pull 34B code', { type: 'pull', model: 'codellama:34b-code' }],
    ['pull 34B', { type: 'pull', model: 'codellama:34b' }],
    ['pull another model', { type: 'pull', model: 'llama3:latest' }],
    ['pull a flag', { type: 'pull', model: '--insecure' }],
    ['pull a path', { type: 'pull', model: '../../etc/passwd' }],
    ['pull with a newline', { type: 'pull', model: 'codellama:7b-code\n' }],
    ['pull another case', { type: 'pull', model: 'CODELLAMA:7B-CODE' }],
    ['pull with an extra key', { type: 'pull', model: 'codellama:7b-code', insecure: true }],
    ['cancelPull unknown model', { type: 'cancelPull', model: 'x' }],
    ['testConnection without host', { type: 'testConnection' }],
    ['testConnection javascript:', { type: 'testConnection', host: 'javascript:alert(1)' }],
    ['testConnection file:', { type: 'testConnection', host: 'file:///etc/passwd' }],
    ['testConnection ftp:', { type: 'testConnection', host: 'ftp://example.com' }],
    ['testConnection credentials', { type: 'testConnection', host: 'http://user:pw@example.com:11434' }],
    ['testConnection empty', { type: 'testConnection', host: '' }],
    ['testConnection object', { type: 'testConnection', host: { toString: () => 'http://localhost' } }],
    ['setSetting unknown key', { type: 'setSetting', key: 'telemetry', value: true }],
    ['setSetting the VS Code key', { type: 'setSetting', key: 'completion.enabled', value: true }],
    ['setSetting __proto__ key', { type: 'setSetting', key: '__proto__', value: 1 }],
    ['setSetting toString key', { type: 'setSetting', key: 'toString', value: 1 }],
    ['setSetting without value', { type: 'setSetting', key: 'maxLines' }],
    ['setSetting without key', { type: 'setSetting', value: 1 }],
    ['setSetting null', { type: 'setSetting', key: 'customModel', value: null }],
    ['setSetting NaN', { type: 'setSetting', key: 'maxLines', value: NaN }],
    ['setSetting Infinity', { type: 'setSetting', key: 'contextTokens', value: Infinity }],
    ['setSetting bigint', { type: 'setSetting', key: 'maxLines', value: 3n }],
    ['setSetting boxed number', { type: 'setSetting', key: 'maxLines', value: new Number(3) }],
    ['setSetting object', { type: 'setSetting', key: 'host', value: { href: 'http://x' } }],
    ['setSetting array of numbers', { type: 'setSetting', key: 'disabledLanguages', value: [1] }],
    ['setSetting sparse array', { type: 'setSetting', key: 'disabledLanguages', value: sparse }],
    ['setSetting array with extra key', { type: 'setSetting', key: 'disabledLanguages', value: Object.assign(['a'], { x: 1 }) }],
    ['setSetting huge array', { type: 'setSetting', key: 'disabledLanguages', value: Array(SETTING_LIMITS.languages + 1).fill('a') }],
    ['setSetting huge string', { type: 'setSetting', key: 'customModel', value: 'a'.repeat(SETTING_LIMITS.text + 1) }],
    ['setSetting with an extra key', { type: 'setSetting', key: 'maxLines', value: 3, target: 'workspace' }],
  ];
  for (const [name, message] of invalid) {
    test(name, () => assert.equal(parseFromSettingsView(message), undefined));
  }

  test('prototype-pollution shapes from JSON are refused and pollute nothing', () => {
    for (const json of [
      '{"type":"refresh","__proto__":{"polluted":true}}',
      '{"__proto__":{"type":"refresh"}}',
      '{"type":"pull","model":"codellama:7b-code","__proto__":{"model":"x"}}',
      '{"type":"setSetting","key":"maxLines","value":3,"constructor":{"prototype":{"polluted":true}}}',
      '{"type":"setSetting","key":"disabledLanguages","value":{"__proto__":[]}}',
    ]) {
      assert.equal(parseFromSettingsView(JSON.parse(json)), undefined, json);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('inherited fields, getters, symbols and class instances are refused', () => {
    const inherited = Object.create({ model: 'codellama:7b-code' });
    inherited.type = 'pull';
    assert.equal(parseFromSettingsView(inherited), undefined);
    let reads = 0;
    assert.equal(parseFromSettingsView({ type: 'setSetting', key: 'maxLines', get value() { reads++; return 3; } }), undefined);
    assert.equal(reads, 0, 'the getter is never run');
    assert.equal(parseFromSettingsView({ type: 'ready', [Symbol('x')]: 1 }), undefined);
    class Ready { type = 'ready'; }
    assert.equal(parseFromSettingsView(new Ready()), undefined);
    const arrayWithGetter = ['a'];
    Object.defineProperty(arrayWithGetter, 0, { get: () => 'b', enumerable: true });
    assert.equal(parseFromSettingsView({ type: 'setSetting', key: 'disabledLanguages', value: arrayWithGetter }), undefined);
    class Languages extends Array<string> {}
    assert.equal(parseFromSettingsView({ type: 'setSetting', key: 'disabledLanguages', value: Languages.from(['a']) }), undefined);
  });
});

describe('validateSetting', () => {
  const accepts = (key: SettingKey, value: unknown, expected: unknown = value) =>
    assert.deepEqual(validateSetting(key, value), { ok: true, value: expected }, `${key} = ${JSON.stringify(value)}`);
  const refuses = (key: SettingKey, value: unknown, reason?: RegExp) => {
    const result = validateSetting(key, value);
    assert.equal(result.ok, false, `${key} = ${String(value)} should be refused`);
    if (!result.ok) {
      assert.ok(result.reason.length > 0);
      if (reason) assert.match(result.reason, reason);
    }
  };

  test('numbers: within LIMITS, whole where the setting is an integer', () => {
    for (const [key, limits, integer] of [
      ['contextTokens', LIMITS.contextTokens, true], ['maxTokens', LIMITS.maxTokens, true],
      ['maxLines', LIMITS.maxLines, true], ['debounceMs', LIMITS.debounceMs, true],
      ['temperature', LIMITS.temperature, false], ['alternativesTemperature', LIMITS.temperature, false],
    ] as const) {
      accepts(key, limits.min);
      accepts(key, limits.max);
      refuses(key, limits.min - 1, new RegExp(`between ${limits.min} and ${limits.max}`));
      refuses(key, limits.max + 1);
      if (integer) refuses(key, limits.min + 0.5, /whole/); else accepts(key, 0.35);
      for (const bad of [NaN, Infinity, -Infinity, '4096', null, undefined, true, [1]]) refuses(key, bad);
    }
  });

  test('enums: the completion size is 7b or 13b only, never 34b', () => {
    accepts('modelSize', '7b');
    accepts('modelSize', '13b');
    for (const bad of ['34b', '70b', '7B', ' 7b', '', 7, null]) refuses('modelSize', bad);
    for (const size of ['7b', '13b', '34b']) accepts('explainModelSize', size);
    for (const bad of ['70b', '34B', 34]) refuses('explainModelSize', bad);
    accepts('promptFormat', 'spm');
    accepts('promptFormat', 'psm');
    for (const bad of ['SPM', 'pms', '', 1]) refuses('promptFormat', bad);
    accepts('completionsEnabled', true);
    accepts('completionsEnabled', false);
    for (const bad of ['true', 1, 0, null]) refuses('completionsEnabled', bad);
  });

  test('keepAlive: Ollama durations, trimmed', () => {
    for (const value of ['30m', '1h', '1h30m', '90s', '0', '-1', '300']) accepts('keepAlive', value);
    accepts('keepAlive', ' 5m ', '5m');
    for (const bad of ['', 'forever', '30 m', '1d', 30, '-', '1'.repeat(SETTING_LIMITS.keepAlive + 1)]) refuses('keepAlive', bad);
  });

  test('disabledLanguages: language ids, trimmed and de-duplicated', () => {
    accepts('disabledLanguages', []);
    accepts('disabledLanguages', ['markdown', 'objective-c', 'git-commit', 'jsonc', 'vue-html', 'c']);
    accepts('disabledLanguages', [' markdown ', 'markdown', 'plaintext'], ['markdown', 'plaintext']);
    for (const bad of ['markdown', [''], ['mark down'], ['<script>'], ['a/b'], [1], ['x'.repeat(SETTING_LIMITS.languageId + 1)], null]) {
      refuses('disabledLanguages', bad);
    }
  });

  test('host: http(s) only; the trimmed text is written (the settings store normalises it on read)', () => {
    accepts('host', 'http://127.0.0.1:11434');
    accepts('host', ' http://localhost:11434/ ', 'http://localhost:11434/');
    accepts('host', 'localhost');
    accepts('host', '192.168.1.20:8000');
    accepts('host', 'https://gpu.example.com');
    // Kept as typed: normalising it here ("https://gpu.example.com") would read back as port 11434.
    accepts('host', 'https://gpu.example.com:443');
    accepts('host', 'http://[::1]:11434');
    for (const bad of [
      'javascript:alert(1)', 'JavaScript://alert(1)', 'file:///', 'file:///etc/passwd', 'ftp://example.com', 'data:text/html,x',
      'vscode://x', 'command:workbench.action.quit', '', '   ', 'http://', 'http://exa mple.com', 'http://a\tb',
      'http:\\\\evil.example', 'http://user:pw@example.com', 'user@example.com', 'http://example.com:99999',
      `http://${'a'.repeat(SETTING_LIMITS.host)}.com`, 42, null, ['http://localhost'],
    ]) {
      refuses('host', bad);
    }
  });

  test('customModel: empty, or an Ollama model name that is not 34B nor of another registry', () => {
    accepts('customModel', '');
    accepts('customModel', '  ', '');
    for (const name of ['codellama:7b-code', 'codellama:13b-code-q8_0', 'deepseek-coder:6.7b-base', 'user/model:tag']) {
      accepts('customModel', name);
    }
    accepts('customModel', ' codellama:7b-code ', 'codellama:7b-code');
    refuses('customModel', 'codellama:34b-code', /fill-in-the-middle/);
    refuses('customModel', 'codellama:34B', /fill-in-the-middle/);
    refuses('customModel', 'phind-codellama:34b-v2', /fill-in-the-middle/);
    // Issue 13: a model of another registry would be pulled from there.
    refuses('customModel', 'hf.co/user/Repo-GGUF:Q4_K_M', /^hf.co\/user\/Repo-GGUF:Q4_K_M names the registry hf.co: /);
    for (const bad of ['--insecure', '../x', 'a b', 'a:b:c', 'https://evil/x', 'é', 'm'.repeat(201), 7, null]) {
      refuses('customModel', bad);
    }
  });

  test('an unknown key is refused', () => {
    refuses('telemetry' as SettingKey, true, /Unknown/);
    refuses('__proto__' as SettingKey, {}, /Unknown/);
  });
});

test('ToSettingsView covers every message the panel receives (type-level)', () => {
  const state = panelState(DEFAULTS, [], [], { reachable: true, host: DEFAULTS.host });
  const messages: ToSettingsView[] = [
    { type: 'state', state },
    { type: 'pullProgress', model: 'codellama:7b-code', percent: 50, completedBytes: 5, totalBytes: 10, status: 'pulling', done: false },
    { type: 'pullProgress', model: 'codellama:7b-code', percent: 50, completedBytes: 5, totalBytes: 10, status: 'error', done: true, error: 'EOF' },
    { type: 'measureProgress', model: 'codellama:7b-code', done: 1, total: 6 },
    { type: 'measureDone', measurements: [], cancelled: true },
    { type: 'connectionResult', ok: true, version: '0.12.6' },
    { type: 'connectionResult', ok: false, message: 'Cannot reach Ollama' },
  ];
  assert.equal(new Set(messages.map((m) => m.type)).size, 5);
});
