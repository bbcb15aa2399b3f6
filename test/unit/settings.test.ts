import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EXCLUDE } from '../../src/settings/excludePolicy';
import {
  DEFAULT_HOST, DEFAULTS, isValidKeepAlive, KEYS, LIMITS, readLayeredSettings, readSettings, settingsFrom, USER_ONLY,
  type SettingLevels, type Settings,
} from '../../src/settings/settings';

/** A getter over values keyed like KEYS; anything else is undefined (unset). */
function getter(values: Partial<Record<keyof Settings, unknown>>): (key: string) => unknown {
  const byKey = new Map<string, unknown>(Object.entries(values).map(([k, v]) => [KEYS[k as keyof Settings], v]));
  return (key) => byKey.get(key);
}

const read = (values: Partial<Record<keyof Settings, unknown>>) => readSettings(getter(values));

describe('readSettings', () => {
  test('nothing set: the defaults', () => {
    assert.deepEqual(readSettings(() => undefined), DEFAULTS);
    assert.deepEqual(DEFAULTS, {
      completionsEnabled: true, disabledLanguages: [], exclude: ['.env*', '*.pem', '*.key', 'id_rsa*', '*.p12', 'secrets.*',
        'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '*.ppk', '*.pfx', '*.jks', '*.keystore',
        '.npmrc', '.netrc', '.pypirc', '.pgpass', '.git-credentials', '.htpasswd',
        '**/.aws/credentials', '**/.docker/config.json', '**/.kube/config', 'credentials.json',
        '*.tfvars', '*.tfvars.json', '*.tfstate', '*.tfstate.backup', '**/secrets/**'],
      host: 'http://127.0.0.1:11434', keepAlive: '30m',
      modelSize: '7b', customModel: '', promptFormat: 'spm', contextTokens: 4096, maxTokens: 256, maxLines: 8,
      temperature: 0.1, alternativesTemperature: 0.8, debounceMs: 60, explainModelSize: '7b', crossFileContext: 'on',
    });
  });

  test('valid values are taken as they are', () => {
    const values: Settings = {
      completionsEnabled: false, disabledLanguages: ['markdown', 'plaintext'],
      exclude: [...DEFAULT_EXCLUDE, 'private/**'], host: 'http://10.0.0.5:8080',
      keepAlive: '1h', modelSize: '13b', customModel: 'codellama:7b-code-q4_K_M', promptFormat: 'psm',
      contextTokens: 16_384, maxTokens: 128, maxLines: 3, temperature: 0.25, alternativesTemperature: 1.1,
      debounceMs: 0, explainModelSize: '34b', crossFileContext: 'off',
    };
    assert.deepEqual(read({ ...values, exclude: ['private/**'] }), values);
  });

  test('exclude: the defaults stay whatever the value is; patterns are added once, trimmed', () => {
    assert.deepEqual(read({ exclude: [] }).exclude, DEFAULT_EXCLUDE);
    assert.deepEqual(read({ exclude: 'nonsense' }).exclude, DEFAULT_EXCLUDE);
    assert.deepEqual(read({ exclude: [' *.log ', '*.pem', 7, '', '*.log'] }).exclude, [...DEFAULT_EXCLUDE, '*.log']);
  });

  test('numbers are clamped to the schema limits', () => {
    const low = read({ contextTokens: 100, maxTokens: 1, maxLines: 0, temperature: -1, alternativesTemperature: -0.5, debounceMs: -5 });
    assert.equal(low.contextTokens, 1024);
    assert.equal(low.maxTokens, 16);
    assert.equal(low.maxLines, 1);
    assert.equal(low.temperature, 0);
    assert.equal(low.alternativesTemperature, 0);
    assert.equal(low.debounceMs, 0);
    const high = read({ contextTokens: 1e9, maxTokens: 99_999, maxLines: 500, temperature: 7, alternativesTemperature: 3, debounceMs: 60_000 });
    assert.equal(high.contextTokens, 100_000);
    assert.equal(high.maxTokens, 2048);
    assert.equal(high.maxLines, 50);
    assert.equal(high.temperature, 2);
    assert.equal(high.alternativesTemperature, 2);
    assert.equal(high.debounceMs, 2000);
  });

  test('integers are rounded, temperatures are not', () => {
    const s = read({ contextTokens: 4096.6, maxTokens: 100.4, maxLines: 2.5, debounceMs: 59.5, temperature: 0.123 });
    assert.equal(s.contextTokens, 4097);
    assert.equal(s.maxTokens, 100);
    assert.equal(s.maxLines, 3);
    assert.equal(s.debounceMs, 60);
    assert.equal(s.temperature, 0.123);
  });

  test('invalid values fall back to the defaults', () => {
    const s = read({
      completionsEnabled: 'false', disabledLanguages: 'markdown', host: 42, keepAlive: 30, modelSize: '34b',
      customModel: ['x'], promptFormat: 'PSM', contextTokens: '4096', maxTokens: NaN, maxLines: Infinity,
      temperature: null, alternativesTemperature: {}, debounceMs: -Infinity,
    });
    assert.deepEqual(s, DEFAULTS);
  });

  test('disabledLanguages keeps only strings', () => {
    assert.deepEqual(read({ disabledLanguages: ['markdown', 3, null, 'json'] }).disabledLanguages, ['markdown', 'json']);
  });

  test('strings are trimmed; an empty host is the default host', () => {
    const s = read({ host: '  http://localhost:11434  ', customModel: '  codellama:13b-code ', keepAlive: ' 1h ' });
    assert.equal(s.host, 'http://localhost:11434');
    assert.equal(s.customModel, 'codellama:13b-code');
    assert.equal(s.keepAlive, '1h');
    assert.equal(read({ host: '   ' }).host, DEFAULT_HOST);
    assert.equal(read({ host: '' }).host, DEFAULT_HOST);
  });

  test('keepAlive: valid durations are kept, anything else is the default', () => {
    for (const ok of ['30m', '1h', '1h30m', '45s', '-1', '0', '300', '1.5h', '500ms', '2h0m0s']) {
      assert.equal(read({ keepAlive: ok }).keepAlive, ok, ok);
      assert.equal(isValidKeepAlive(ok), true, ok);
    }
    for (const bad of ['forever', '1 h', '', '30 m', 'm', '1d', '1h-', '--1', '1e3', 'h1']) {
      assert.equal(read({ keepAlive: bad }).keepAlive, '30m', JSON.stringify(bad));
      assert.equal(isValidKeepAlive(bad), false, bad);
    }
  });

  test('settingsFrom fills in the defaults', () => {
    assert.deepEqual(settingsFrom({ maxLines: 1 }), { ...DEFAULTS, maxLines: 1 });
  });
});

describe('readLayeredSettings: who may set what', () => {
  /** An inspect function over levels keyed like KEYS. */
  const layered = (levels: Partial<Record<keyof Settings, SettingLevels>>) => {
    const byKey = new Map<string, SettingLevels>(Object.entries(levels).map(([k, v]) => [KEYS[k as keyof Settings], v]));
    return readLayeredSettings((key) => byKey.get(key));
  };
  /** What a repository's .vscode/settings.json may try (the examples). */
  const hostile: Partial<Settings> = {
    host: 'http://attacker.example:11434', customModel: 'registry.example/x/codellama:7b-code', modelSize: '13b',
    contextTokens: 100_000, maxTokens: 2048, keepAlive: '-1', explainModelSize: '34b', crossFileContext: 'off',
  };

  test('nothing set: the defaults', () => {
    assert.deepEqual(readLayeredSettings(() => undefined), DEFAULTS);
    assert.deepEqual(readLayeredSettings(() => ({})), DEFAULTS);
  });

  test('model, host, context, answer length and keep-alive: a workspace or folder value is ignored', () => {
    assert.deepEqual(USER_ONLY, ['host', 'customModel', 'modelSize', 'contextTokens', 'maxTokens', 'keepAlive', 'explainModelSize', 'crossFileContext']);
    const levels = Object.fromEntries(Object.entries(hostile).map(([name, value]) =>
      [name, { workspaceValue: value, workspaceFolderValue: value }]));
    assert.deepEqual(layered(levels), DEFAULTS);
  });

  test('... and the user value is used, whatever the workspace says', () => {
    const user: Partial<Settings> = {
      host: 'http://10.0.0.5:11434', customModel: 'codellama:7b-code-q8_0', modelSize: '13b', contextTokens: 8192,
      maxTokens: 128, keepAlive: '1h', explainModelSize: '13b', crossFileContext: 'off',
    };
    const levels = Object.fromEntries(Object.entries(user).map(([name, value]) =>
      [name, { globalValue: value, workspaceValue: hostile[name as keyof Settings], workspaceFolderValue: hostile[name as keyof Settings] }]));
    assert.deepEqual(layered(levels), { ...DEFAULTS, ...user });
  });

  test('exclude and disabledLanguages: every level adds, none removes', () => {
    const s = layered({
      exclude: { globalValue: ['*.log'], workspaceValue: [], workspaceFolderValue: ['private/**', '*.log'] },
      disabledLanguages: { globalValue: ['markdown'], workspaceValue: [], workspaceFolderValue: ['json', 'markdown'] },
    });
    assert.deepEqual(s.exclude, [...DEFAULT_EXCLUDE, '*.log', 'private/**']);
    assert.deepEqual(s.disabledLanguages, ['markdown', 'json']);
  });

  test('completions: a workspace may turn them off, not on when the user turned them off', () => {
    const enabled = (levels: SettingLevels) => layered({ completionsEnabled: levels }).completionsEnabled;
    assert.equal(enabled({ globalValue: false, workspaceValue: true }), false);
    assert.equal(enabled({ globalValue: false, workspaceFolderValue: true }), false);
    assert.equal(enabled({ globalValue: true, workspaceValue: false }), false);
    assert.equal(enabled({ workspaceFolderValue: false }), false);
    assert.equal(enabled({ globalValue: true, workspaceValue: true }), true);
    assert.equal(enabled({}), true);
  });

  test('the other settings: the most specific level wins, as in VS Code', () => {
    const s = layered({
      promptFormat: { globalValue: 'spm', workspaceValue: 'psm' },
      maxLines: { globalValue: 3, workspaceValue: 5, workspaceFolderValue: 1 },
      temperature: { globalValue: 0.3 },
    });
    assert.equal(s.promptFormat, 'psm');
    assert.equal(s.maxLines, 1);
    assert.equal(s.temperature, 0.3);
  });
});

describe('the schema in package.json matches', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const properties = manifest.contributes.configuration.properties as Record<string, any>;

  test('every setting has a schema entry with the same default', () => {
    for (const [name, key] of Object.entries(KEYS)) {
      const schema = properties[`infill.${key}`];
      assert.ok(schema, `infill.${key} is declared`);
      assert.deepEqual(schema.default, DEFAULTS[name as keyof Settings], `default of infill.${key}`);
    }
    assert.equal(Object.keys(properties).length, Object.keys(KEYS).length, 'no undeclared settings');
  });

  test('user-only settings have application scope and are restricted in untrusted workspaces', () => {
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations as string[];
    for (const name of USER_ONLY) {
      assert.equal(properties[`infill.${KEYS[name]}`].scope, 'application', `scope of infill.${KEYS[name]}`);
      assert.ok(restricted.includes(`infill.${KEYS[name]}`), `infill.${KEYS[name]} is restricted`);
    }
    const scoped = Object.keys(properties).filter((key) => properties[key].scope === 'application');
    assert.equal(scoped.length, USER_ONLY.length, 'no other application-scoped setting');
    assert.equal(restricted.length, USER_ONLY.length, 'nothing else restricted (a workspace may add excludes)');
    // Read per file: a folder of a multi-root workspace may add its own patterns.
    assert.equal(properties['infill.exclude'].scope, 'resource');
  });

  test('the limits are the schema minimum and maximum', () => {
    const limited: [keyof Settings, { min: number; max: number }][] = [
      ['contextTokens', LIMITS.contextTokens], ['maxTokens', LIMITS.maxTokens], ['maxLines', LIMITS.maxLines],
      ['temperature', LIMITS.temperature], ['alternativesTemperature', LIMITS.temperature], ['debounceMs', LIMITS.debounceMs],
    ];
    for (const [name, limits] of limited) {
      const schema = properties[`infill.${KEYS[name]}`];
      assert.equal(schema.minimum, limits.min, `minimum of ${name}`);
      assert.equal(schema.maximum, limits.max, `maximum of ${name}`);
    }
    assert.deepEqual(properties['infill.completion.modelSize'].enum, ['7b', '13b']);
    assert.deepEqual(properties['infill.completion.promptFormat'].enum, ['spm', 'psm']);
  });
});
