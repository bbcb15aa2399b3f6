import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EXCLUDE, effectiveExclude, excludeMatcher, isExcluded } from '../../src/settings/excludePolicy';

const excluded = (path: string, patterns: readonly string[] = DEFAULT_EXCLUDE) => isExcluded(path, patterns);

describe('infill.exclude defaults', () => {
  test('secrets and keys are excluded, at the root and in folders', () => {
    for (const path of ['.env', '.env.local', '.env.production', 'app/.env', 'deploy/.env.staging',
      'server.pem', 'certs/server.pem', 'tls/private.key', 'id_rsa', 'id_rsa.pub', 'home/.ssh/id_rsa_work',
      'store.p12', 'secrets.json', 'config/secrets.yaml', 'secrets.env']) {
      assert.equal(excluded(path), true, path);
    }
  });

  test('ordinary code is not excluded, also when a name merely contains a pattern word', () => {
    for (const path of ['main.py', 'src/env.ts', 'environment.py', 'src/.environment/x.ts', 'my.key.ts',
      'keys/index.ts', 'pem.go', 'secrets', 'secrets/list.md', 'id_dsa.txt', 'README.md', 'p12.c']) {
      assert.equal(excluded(path), false, path);
    }
  });

  test('case-insensitive: KEY.PEM on a case-insensitive disk is the same file', () => {
    assert.equal(excluded('KEY.PEM'), true);
    assert.equal(excluded('.ENV'), true);
    assert.equal(excluded('Secrets.JSON'), true);
  });

  test('Windows, "./" and absolute paths (a file outside the workspace) are matched by name', () => {
    assert.equal(excluded('config\\.env'), true);
    assert.equal(excluded('C:\\Users\\me\\project\\.env.local'), true);
    assert.equal(excluded('./certs/a.pem'), true);
    assert.equal(excluded('/home/me/.ssh/id_rsa'), true);
    assert.equal(excluded('/home/me/project/main.py'), false);
  });

  test('an empty path (no file) is never excluded', () => {
    assert.equal(excluded(''), false);
  });
});

describe('patterns added by settings', () => {
  const patterns = effectiveExclude(['config/*.json', '**/private/**', '*.sql']);

  test('are matched against the relative path or the base name', () => {
    assert.equal(excluded('config/local.json', patterns), true);
    assert.equal(excluded('other/local.json', patterns), false);
    assert.equal(excluded('a/b/private/notes.ts', patterns), true);
    assert.equal(excluded('db/dump.sql', patterns), true);
    assert.equal(excluded('src/app.ts', patterns), false);
    assert.equal(excluded('.env', patterns), true, 'the defaults still apply');
  });

  test('cannot remove the defaults; non-strings, blanks and duplicates are dropped', () => {
    assert.deepEqual(effectiveExclude(), DEFAULT_EXCLUDE);
    assert.deepEqual(effectiveExclude([]), DEFAULT_EXCLUDE);
    assert.deepEqual(effectiveExclude(null, 'x', { a: 1 }), DEFAULT_EXCLUDE);
    assert.deepEqual(effectiveExclude(['*.log', 3, ' ', '*.pem', ' *.log '], ['*.bak']),
      [...DEFAULT_EXCLUDE, '*.log', '*.bak']);
    assert.deepEqual(effectiveExclude(['x'.repeat(501)]), DEFAULT_EXCLUDE, 'absurdly long pattern');
  });

  test('a malformed pattern matches nothing and does not disable the others', () => {
    const patterns = [...DEFAULT_EXCLUDE, '[', '***/(', '*.bak'];
    assert.equal(isExcluded('a.bak', patterns), true);
    assert.equal(isExcluded('.env', patterns), true);
    assert.equal(isExcluded('main.py', patterns), false);
  });

  test('the matcher is compiled once per distinct list', () => {
    const list = [...DEFAULT_EXCLUDE, '*.one'];
    assert.equal(excludeMatcher(list), excludeMatcher([...list]));
    assert.notEqual(excludeMatcher(list), excludeMatcher([...DEFAULT_EXCLUDE, '*.two']));
  });
});
