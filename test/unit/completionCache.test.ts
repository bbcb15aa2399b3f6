import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { remainderAfter } from '../../src/completion/typingThrough';
import {
  CompletionCache, contextKey, TYPING_THROUGH_SCAN, type CacheEntry,
} from '../../src/completion/completionCache';

const OPTS = 'codellama:7b-code|spm|0.1|256|8|4096';

function entry(promptPrefix: string, texts: string[], suffix = '\n}\n', optionsKey = OPTS): CacheEntry {
  return { optionsKey, promptPrefix, suffix, texts };
}

describe('CompletionCache: exact lookups', () => {
  test('an exact hit returns the entry', () => {
    const cache = new CompletionCache();
    const e = entry('function add(a, b) {\n  return ', ['a + b;']);
    cache.set(e);
    assert.equal(cache.get({ optionsKey: OPTS, promptPrefix: e.promptPrefix, suffix: e.suffix }), e);
    assert.equal(cache.size, 1);
  });

  test('prefix, suffix and options are all part of the key', () => {
    const cache = new CompletionCache();
    cache.set(entry('x = ', ['1']));
    assert.equal(cache.get({ optionsKey: OPTS, promptPrefix: 'x =', suffix: '\n}\n' }), undefined);
    assert.equal(cache.get({ optionsKey: OPTS, promptPrefix: 'x = ', suffix: '\n}' }), undefined);
    assert.equal(cache.get({ optionsKey: OPTS + 'x', promptPrefix: 'x = ', suffix: '\n}\n' }), undefined);
  });

  test('whitespace is significant: indentation and tabs are not normalised', () => {
    const cache = new CompletionCache();
    cache.set(entry('if x:\n    ', ['pass'], '\n'));
    assert.equal(cache.get({ optionsKey: OPTS, promptPrefix: 'if x:\n\t', suffix: '\n' }), undefined);
    assert.equal(cache.get({ optionsKey: OPTS, promptPrefix: 'if x:\n  ', suffix: '\n' }), undefined);
    assert.equal(cache.get({ optionsKey: OPTS, promptPrefix: 'if x:\n    ', suffix: '\n ' }), undefined);
    assert.equal(cache.get({ optionsKey: OPTS, promptPrefix: 'if x:\n    ', suffix: '\r\n' }), undefined);
    assert.ok(cache.get({ optionsKey: OPTS, promptPrefix: 'if x:\n    ', suffix: '\n' }));
  });

  test('the key separates its parts unambiguously', () => {
    assert.notEqual(contextKey({ optionsKey: 'a', suffix: 'b', promptPrefix: 'c' }),
      contextKey({ optionsKey: 'a', suffix: '', promptPrefix: 'bc' }));
  });

  test('set replaces the entry for the same context; clear empties', () => {
    const cache = new CompletionCache();
    cache.set(entry('p', ['one']));
    cache.set(entry('p', ['two']));
    assert.equal(cache.size, 1);
    assert.deepEqual(cache.get(entry('p', []))?.texts, ['two']);
    cache.clear();
    assert.equal(cache.size, 0);
  });
});

describe('CompletionCache: typing through', () => {
  test('remainderAfter', () => {
    assert.equal(remainderAfter('console.log(x);', 'cons'), 'ole.log(x);');
    assert.equal(remainderAfter('abc', ''), 'abc');
    assert.equal(remainderAfter('abc', 'abc'), '');
    assert.equal(remainderAfter('abc', 'abd'), undefined);
    assert.equal(remainderAfter('abc', 'abcd'), undefined);
  });

  test('typed characters that match the answer: the rest is served', () => {
    const cache = new CompletionCache();
    const e = entry('const x = ', ['compute(1, 2);']);
    cache.set(e);
    const hit = cache.findTypingThrough(OPTS, '\n}\n', 'const x = comp');
    assert.ok(hit);
    assert.equal(hit.entry, e);
    assert.equal(hit.typed, 'comp');
    assert.deepEqual(hit.remainders, ['ute(1, 2);']);
  });

  test('the unchanged prefix is a hit with the whole answer', () => {
    const cache = new CompletionCache();
    cache.set(entry('x = ', ['42']));
    assert.deepEqual(cache.findTypingThrough(OPTS, '\n}\n', 'x = ')?.remainders, ['42']);
  });

  test('typing the whole answer leaves an empty remainder; typing past it is a miss', () => {
    const cache = new CompletionCache();
    cache.set(entry('x = ', ['42']));
    assert.deepEqual(cache.findTypingThrough(OPTS, '\n}\n', 'x = 42')?.remainders, ['']);
    assert.equal(cache.findTypingThrough(OPTS, '\n}\n', 'x = 421'), undefined);
  });

  test('typing something else is a miss', () => {
    const cache = new CompletionCache();
    cache.set(entry('const x = ', ['compute(1, 2);']));
    assert.equal(cache.findTypingThrough(OPTS, '\n}\n', 'const x = compX'), undefined);
    assert.equal(cache.findTypingThrough(OPTS, '\n}\n', 'const y = '), undefined);
    // Whitespace is significant here too.
    assert.equal(cache.findTypingThrough(OPTS, '\n}\n', 'const x =  compute'), undefined);
  });

  test('a different suffix or options key is a miss', () => {
    const cache = new CompletionCache();
    cache.set(entry('const x = ', ['compute(1, 2);']));
    assert.equal(cache.findTypingThrough(OPTS, '\n}', 'const x = com'), undefined);
    assert.equal(cache.findTypingThrough(OPTS, ';\n}\n', 'const x = com'), undefined);
    assert.equal(cache.findTypingThrough('codellama:13b-code|spm|0.1|256|8|4096', '\n}\n', 'const x = com'), undefined);
  });

  test('backspace (a shorter typed part) is still served', () => {
    const cache = new CompletionCache();
    cache.set(entry('const x = ', ['compute(1, 2);']));
    assert.equal(cache.findTypingThrough(OPTS, '\n}\n', 'const x = compu')?.typed, 'compu');
    const back = cache.findTypingThrough(OPTS, '\n}\n', 'const x = co');
    assert.equal(back?.typed, 'co');
    assert.deepEqual(back?.remainders, ['mpute(1, 2);']);
    // Backspacing past the prompt prefix is a different context.
    assert.equal(cache.findTypingThrough(OPTS, '\n}\n', 'const x ='), undefined);
  });

  test('token healing: the healed characters are the first typed characters', () => {
    const cache = new CompletionCache();
    // Prompt prefix "foo." (healed "enu"); the answer starts with the healed characters.
    cache.set(entry('foo.', ['enumerate(xs)']));
    assert.deepEqual(cache.findTypingThrough(OPTS, '\n}\n', 'foo.enu')?.remainders, ['merate(xs)']);
  });

  test('alternatives are filtered by what was typed', () => {
    const cache = new CompletionCache();
    cache.set(entry('x = ', ['foo()', 'bar()', 'fob', 'f']));
    assert.deepEqual(cache.findTypingThrough(OPTS, '\n}\n', 'x = fo')?.remainders, ['o()', 'b']);
    assert.deepEqual(cache.findTypingThrough(OPTS, '\n}\n', 'x = b')?.remainders, ['ar()']);
    assert.deepEqual(cache.findTypingThrough(OPTS, '\n}\n', 'x = f')?.remainders, ['oo()', 'ob', '']);
    assert.equal(cache.findTypingThrough(OPTS, '\n}\n', 'x = z'), undefined);
  });

  test('typing through a newline of a multi-line answer', () => {
    const cache = new CompletionCache();
    cache.set(entry('if (x) {', ['\n  a();\n  b();']));
    assert.deepEqual(cache.findTypingThrough(OPTS, '\n}\n', 'if (x) {\n  a')?.remainders, ['();\n  b();']);
  });

  test('the most recent matching entry wins', () => {
    const cache = new CompletionCache();
    cache.set(entry('x', [' = 1']));
    cache.set(entry('x ', ['= 2']));
    const hit = cache.findTypingThrough(OPTS, '\n}\n', 'x = ');
    assert.equal(hit?.entry.promptPrefix, 'x ');
    assert.deepEqual(hit?.remainders, ['2']);
  });

  test('an entry whose answer does not match does not hide an older one that does', () => {
    const cache = new CompletionCache();
    cache.set(entry('x', [' = 1']));
    cache.set(entry('x ', ['+= 2']));
    const hit = cache.findTypingThrough(OPTS, '\n}\n', 'x = ');
    assert.equal(hit?.entry.promptPrefix, 'x');
    assert.deepEqual(hit?.remainders, ['1']);
  });
});

describe('CompletionCache: bounds', () => {
  // Size of an entry: 2 bytes per UTF-16 unit of key and texts, plus 64.
  // optionsKey "o", suffix "", promptPrefix "pNN": key "o\0\0pNN" = 6 units; text of 62 units → 200 bytes.
  const sized = (i: number) => entry(`p${String(i).padStart(2, '0')}`, ['t'.repeat(62)], '', 'o');

  test('the byte bound evicts the least recently used entries', () => {
    const cache = new CompletionCache(1000); // exactly five 200-byte entries
    for (let i = 0; i < 5; i++) cache.set(sized(i));
    assert.equal(cache.size, 5);
    for (let i = 0; i < 5; i++) assert.ok(cache.get(sized(i)), `entry ${i} fits`);
    cache.set(sized(5));
    assert.equal(cache.size, 5);
    assert.equal(cache.get(sized(0)), undefined, 'the oldest is evicted');
    assert.ok(cache.get(sized(5)));
    // Using an entry protects it: touch 1, then add two more: 2 and 3 go.
    assert.ok(cache.get(sized(1)));
    cache.set(sized(6));
    cache.set(sized(7));
    assert.ok(cache.get(sized(1)));
    assert.equal(cache.get(sized(2)), undefined);
    assert.equal(cache.get(sized(3)), undefined);
    assert.equal(cache.size, 5);
  });

  test('bigger entries evict more', () => {
    const cache = new CompletionCache(1000);
    for (let i = 0; i < 5; i++) cache.set(sized(i));
    // 2 * (6 + 262) + 64 = 600 bytes: three 200-byte entries must go.
    cache.set(entry('p99', ['t'.repeat(262)], '', 'o'));
    assert.equal(cache.size, 3);
    assert.equal(cache.get(sized(2)), undefined);
    assert.ok(cache.get(sized(3)));
    assert.ok(cache.get(sized(4)));
  });

  test('an entry larger than the whole bound is not kept', () => {
    const cache = new CompletionCache(1000);
    cache.set(sized(0));
    cache.set(entry('huge', ['x'.repeat(10_000)], '', 'o'));
    assert.equal(cache.get(entry('huge', [], '', 'o')), undefined);
    assert.ok(cache.size <= 1);
  });

  test(`typing-through scans only the ${TYPING_THROUGH_SCAN} most recent entries`, () => {
    const fill = (cache: CompletionCache, n: number) => {
      for (let i = 0; i < n; i++) cache.set(entry(`unrelated ${i} = `, ['0']));
    };
    const within = new CompletionCache();
    within.set(entry('const x = ', ['compute();']));
    fill(within, TYPING_THROUGH_SCAN - 1); // the entry is the 24th most recent
    assert.deepEqual(within.findTypingThrough(OPTS, '\n}\n', 'const x = co')?.remainders, ['mpute();']);

    const beyond = new CompletionCache();
    beyond.set(entry('const x = ', ['compute();']));
    fill(beyond, TYPING_THROUGH_SCAN); // the entry is the 25th most recent
    assert.equal(beyond.findTypingThrough(OPTS, '\n}\n', 'const x = co'), undefined);
    // It is still there for an exact lookup.
    assert.ok(beyond.get({ optionsKey: OPTS, promptPrefix: 'const x = ', suffix: '\n}\n' }));
  });

  test('a typing-through hit marks the entry as recently used', () => {
    const cache = new CompletionCache();
    cache.set(entry('const x = ', ['compute();']));
    for (let i = 0; i < TYPING_THROUGH_SCAN - 1; i++) cache.set(entry(`a${i} = `, ['0']));
    assert.ok(cache.findTypingThrough(OPTS, '\n}\n', 'const x = c'));
    // Now the most recent: more entries do not push it out of the scan at once.
    for (let i = 0; i < TYPING_THROUGH_SCAN - 1; i++) cache.set(entry(`b${i} = `, ['0']));
    assert.ok(cache.findTypingThrough(OPTS, '\n}\n', 'const x = co'));
  });
});
