import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_EXCLUDE, effectiveExclude, excludeMatcher, holdingFolder, isExcluded, PATTERN_LIMITS, readExclude,
  untitledMatchPath,
} from '../../src/settings/excludePolicy';

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
      'keys/index.ts', 'pem.go', 'mysecrets/a.md', 'secret/list.md', 'dsa_id.txt', 'README.md', 'p12.c',
      'src/credentials.ts', 'aws/credentials', 'npmrc.md', 'keystore.go', 'docs/tfvars.md', 'kube/config']) {
      assert.equal(excluded(path), false, path);
    }
  });

  test('more key files, credential files and secret folders (one case each)', () => {
    const cases: [string, string][] = [
      ['id_dsa*', 'home/.ssh/id_dsa'], ['id_dsa*', 'id_dsa.txt'], ['id_ecdsa*', 'id_ecdsa.pub'],
      ['id_ed25519*', '.ssh/id_ed25519'], ['id_ed25519*', 'id_ed25519_sk'], ['*.ppk', 'keys/server.ppk'],
      ['*.pfx', 'certs/site.pfx'], ['*.jks', 'android/release.jks'], ['*.keystore', 'app/debug.keystore'],
      ['.npmrc', '.npmrc'], ['.npmrc', 'packages/a/.npmrc'], ['.netrc', '.netrc'], ['.pypirc', 'home/.pypirc'],
      ['.pgpass', '.pgpass'], ['.git-credentials', '.git-credentials'], ['.htpasswd', 'public/.htpasswd'],
      ['**/.aws/credentials', '.aws/credentials'], ['**/.aws/credentials', '/home/me/.aws/credentials'],
      ['**/.docker/config.json', 'home/.docker/config.json'], ['**/.kube/config', '.kube/config'],
      ['credentials.json', 'gcp/credentials.json'], ['*.tfvars', 'infra/prod.tfvars'],
      ['*.tfvars.json', 'infra/prod.tfvars.json'], ['*.tfstate', 'terraform.tfstate'],
      ['*.tfstate.backup', 'infra/terraform.tfstate.backup'], ['**/secrets/**', 'secrets/list.md'],
      ['**/secrets/**', 'deploy/secrets/db.yaml'], ['**/secrets/**', 'secrets'],
    ];
    for (const [pattern, path] of cases) {
      assert.ok(DEFAULT_EXCLUDE.includes(pattern), `${pattern} is a default`);
      assert.equal(isExcluded(path, [pattern]), true, `${pattern} matches ${path}`);
      assert.equal(excluded(path), true, path);
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
    assert.deepEqual(effectiveExclude(['x'.repeat(201)]), DEFAULT_EXCLUDE, 'over PATTERN_LIMITS.length');
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

  test('two folders\' lists used in turn keep their matchers (a multi-root workspace)', () => {
    const a = [...DEFAULT_EXCLUDE, '*.a-folder'];
    const b = [...DEFAULT_EXCLUDE, '*.b-folder'];
    const first = excludeMatcher(a);
    excludeMatcher(b);
    assert.equal(excludeMatcher([...a]), first);
    assert.equal(isExcluded('x.a-folder', a), true);
    assert.equal(isExcluded('x.a-folder', b), false);
  });
});

describe('patterns that would freeze the matcher', () => {
  // Sixteen "*a" then "*b": picomatch makes it a regular expression that backtracks through every
  // way of placing 17 wildcards in the name, 11 s against 40 a's on the extension host's thread.
  const hostile = `${'*a'.repeat(16)}*b`;

  test('a pattern with many wildcards is refused, said once with its reason, and the name matches fast', () => {
    assert.deepEqual(effectiveExclude([hostile]), DEFAULT_EXCLUDE);
    const { patterns, refused } = readExclude([hostile, '*.sql'], [hostile]);
    assert.deepEqual(refused, [{ pattern: hostile, reason: 'more than 3 * wildcards' }]);
    assert.deepEqual(patterns, [...DEFAULT_EXCLUDE, '*.sql']);
    assert.equal(isExcluded('a'.repeat(40), patterns), false);
    assert.equal(isExcluded(`${'a'.repeat(40)}.sql`, patterns), true);
  });

  test('each bound: length, * runs (** is one), ? wildcards, {…} and extglob groups', () => {
    const reasons = (list: string[]) => readExclude(list).refused.map((r) => r.reason);
    assert.deepEqual(reasons(['x'.repeat(PATTERN_LIMITS.length + 1), '*a*b*c*d', '?'.repeat(11), '{a,b}{c,d}{e,f}{g,h}',
      '@(a|b)+(c|d)!(e)?(f)']), ['longer than 200 characters', 'more than 3 * wildcards', 'more than 10 ? wildcards',
      'more than 3 {…} or (…) groups', 'more than 3 {…} or (…) groups']);
    assert.deepEqual(reasons(['x'.repeat(PATTERN_LIMITS.length), '**/a*/b*', '?'.repeat(10), '{a,b}{c,d}{e,f}',
      '**/*.{pem,key}', '@(a|b)*.txt', '**/secrets/**']), []);
  });

  test('the defaults are never refused', () => {
    assert.deepEqual(readExclude(DEFAULT_EXCLUDE).refused, []);
  });
});

describe('each path is matched once per pattern list', () => {
  /** Calls of RegExp.prototype.exec on `path` or its base name while `run` runs (picomatch's matching). */
  const execCalls = (path: string, run: () => void): number => {
    const exec = RegExp.prototype.exec;
    const base = path.slice(path.lastIndexOf('/') + 1);
    let calls = 0;
    RegExp.prototype.exec = function (this: RegExp, input: string) {
      if (input === path || input === base) calls++;
      return exec.call(this, input);
    };
    try {
      run();
    } finally {
      RegExp.prototype.exec = exec;
    }
    return calls;
  };

  test('the same path again is answered from memory; another path or list is matched', () => {
    const patterns = [...DEFAULT_EXCLUDE, '*.memo'];
    const first = execCalls('src/memo-one.ts', () => assert.equal(isExcluded('src/memo-one.ts', patterns), false));
    assert.ok(first >= patterns.length, `every pattern is tried the first time (${first})`);
    assert.equal(execCalls('src/memo-one.ts', () => {
      for (let key = 0; key < 50; key++) assert.equal(isExcluded('src/memo-one.ts', patterns), false);
    }), 0, 'no matching at the next keystrokes');
    assert.equal(execCalls('src/memo-one.ts', () => assert.equal(isExcluded('src/memo-one.ts', [...patterns]), false)), 0,
      'an equal list (settings re-read) keeps the memory');
    assert.equal(execCalls('src/memo-two.ts', () => isExcluded('src/memo-two.ts', patterns)), first);
    assert.equal(execCalls('src/memo-one.ts', () => isExcluded('src/memo-one.ts', [...patterns, '*.other'])), first + 2,
      'a new list matches again');
  });
});

describe('untitled buffers with a path', () => {
  test('are matched by that path, relative to the workspace folder holding it', () => {
    assert.equal(untitledMatchPath('/home/me/proj/.env', ['/home/me/proj']), '.env');
    assert.equal(untitledMatchPath('/home/me/proj/config/local.json', ['/home/me/other', '/home/me/proj/']), 'config/local.json');
    assert.equal(untitledMatchPath('/home/me/proj/sub/a.pem', ['/home/me/proj', '/home/me/proj/sub']), 'a.pem', 'the innermost folder');
    assert.equal(untitledMatchPath('/c:/Work/Proj/.env', ['/C:/work/proj']), '.env', 'Windows drive and case');
    assert.equal(untitledMatchPath('/tmp/notes/.npmrc', ['/home/me/proj']), '/tmp/notes/.npmrc', 'outside: absolute');
    assert.equal(untitledMatchPath('/home/me/project2/.env', ['/home/me/proj']), '/home/me/project2/.env');
    assert.equal(isExcluded(untitledMatchPath('/home/me/proj/.env', ['/home/me/proj'])!, DEFAULT_EXCLUDE), true);
    assert.equal(isExcluded(untitledMatchPath('/tmp/x/id_ed25519', [])!, DEFAULT_EXCLUDE), true);
  });

  test('a new buffer (Untitled-1) has no path to match', () => {
    assert.equal(untitledMatchPath('Untitled-1', ['/home/me/proj']), undefined);
    assert.equal(untitledMatchPath('Untitled-1', []), undefined);
  });

  test('the folder holding it (whose own exclude patterns apply): the innermost, case-insensitively', () => {
    const folders = ['/home/me/a', '/home/me/b/', '/home/me/b/inner'];
    assert.equal(holdingFolder('/home/me/a/.env', folders), 0);
    assert.equal(holdingFolder('/home/me/b/x/.env', folders), 1);
    assert.equal(holdingFolder('/home/me/b/inner/.env', folders), 2);
    assert.equal(holdingFolder('/HOME/me/A/.env', folders), 0);
    assert.equal(holdingFolder('/home/me/ab/.env', folders), undefined);
    assert.equal(holdingFolder('/tmp/.env', folders), undefined);
  });
});
