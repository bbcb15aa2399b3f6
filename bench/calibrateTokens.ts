// Calibrates src/completion/tokenEstimate.ts against the real Llama 2 / Code Llama tokenizer.
//
//   node --import tsx bench/calibrateTokens.ts [--slice N] [--dump <file.jsonl>]
//   node --import tsx bench/calibrateTokens.ts --tables   (prints the vocabulary tables of the estimator)
//
// Collects real source files from this machine (deterministic selection, a few hundred KB per
// language), cuts them into windows (single lines, 20-line and 200-line windows) and compares
// estimateTokens / estimateLineTokens with the real token count (no BOS, no dummy-prefix space:
// the text as it appears inside a prompt). Adds adversarial samples. Prints tables and writes
// bench/results/tokens.json. `--slice N` measures on the N-th next batch of files of the same
// ordering instead (the costs were fitted on slices 0, 1 and 3; slice 2 is held out); `--dump` also
// writes every sample with its real count, the input of the (offline) linear-programming fit.

import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { estimateLineTokens, estimateTokens } from '../src/completion/tokenEstimate';
import { seededRandom } from '../test/support/seededRandom';

interface Tokenizer {
  vocabById: string[];
  encode(prompt: string, addBos?: boolean, addPrecedingSpace?: boolean): number[] | undefined;
}

const ROOT = resolve(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results', 'tokens.json');
const WINDOW_SIZES = [1, 20, 200] as const;
const BYTES_PER_LANGUAGE = 400_000;
const MIN_FILE = 1_000;
const MAX_FILE = 60_000;
/** Lines longer than this mark a file as generated or minified: skipped (minified bundles are adversarial samples). */
const MAX_LINE = 1_000;
const MAX_VISITS = 200_000;

interface Language {
  name: string;
  roots: string[];
  accept(path: string): boolean;
}

const nodeModules = join(ROOT, 'node_modules');
const python = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((d) => /^python3(\.\d+)?$/.test(d)).sort().map((d) => join('/usr/lib', d)) : [];

const LANGUAGES: Language[] = [
  { name: 'typescript', roots: [nodeModules], accept: (p) => p.endsWith('.ts') && !p.endsWith('.d.ts') || p.endsWith('.mts') },
  { name: 'ts-decl', roots: [nodeModules], accept: (p) => p.endsWith('.d.ts') },
  { name: 'javascript', roots: [nodeModules], accept: (p) => /\.(c|m)?js$/.test(p) && !p.endsWith('.min.js') },
  { name: 'python', roots: python, accept: (p) => p.endsWith('.py') },
  { name: 'c-headers', roots: ['/usr/include'], accept: (p) => p.endsWith('.h') },
  { name: 'shell', roots: ['/usr/bin', '/usr/sbin', '/usr/share', '/usr/lib', '/etc'], accept: isShell },
  { name: 'json', roots: [nodeModules, '/usr/share', '/usr/lib/google-cloud-sdk'], accept: (p) => p.endsWith('.json') },
  { name: 'markdown', roots: [nodeModules, '/usr/share/doc', '/usr/lib/node_modules'], accept: (p) => p.endsWith('.md') },
  { name: 'yaml', roots: ['/usr/lib/google-cloud-sdk', '/etc', nodeModules], accept: (p) => /\.ya?ml$/.test(p) },
  { name: 'html', roots: ['/usr/share/doc', nodeModules, '/usr/lib/node_modules'], accept: (p) => /\.html?$/.test(p) },
];

function isShell(path: string): boolean {
  if (path.endsWith('.sh') || path.endsWith('.bash')) return true;
  if (!path.startsWith('/usr/bin/') && !path.startsWith('/usr/sbin/')) return false;
  try {
    const fd = openSync(path, 'r');
    const head = Buffer.alloc(32);
    const n = readSync(fd, head, 0, 32, 0);
    closeSync(fd);
    return /^#!\s*\S*\b(ba|da|z)?sh\b/.test(head.subarray(0, n).toString('latin1'));
  } catch {
    return false;
  }
}

/** FNV-1a: a stable pseudo-random order of paths, so the selection does not favour one package. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function walk(root: string, accept: (p: string) => boolean, out: Set<string>): void {
  const stack = [root];
  let visits = 0;
  while (stack.length > 0 && visits < MAX_VISITS) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      visits++;
      const path = join(dir, name);
      let st;
      try {
        st = lstatSync(path);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) {
        if (name !== '.git' && name !== '.cache') stack.push(path);
      } else if (st.isFile() && st.size >= MIN_FILE && st.size <= MAX_FILE && accept(path)) {
        out.add(path);
      }
    }
  }
}

interface SourceFile {
  path: string;
  text: string;
}

/** Text of a file, or undefined when it is binary, not UTF-8 or generated (giant lines). */
function readText(path: string, allowLongLines = false): string | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return undefined;
  }
  if (buf.includes(0)) return undefined;
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD')) return undefined;
  if (!allowLongLines) {
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if ((end < 0 ? text.length : end) - start > MAX_LINE) return undefined;
      if (end < 0) break;
      start = end + 1;
    }
  }
  return text;
}

function collect(lang: Language, slice: number): SourceFile[] {
  const paths = new Set<string>();
  for (const root of lang.roots) walk(root, lang.accept, paths);
  const ordered = [...paths].sort((a, b) => hash(a) - hash(b) || (a < b ? -1 : 1));
  const files: SourceFile[] = [];
  let bytes = 0;
  const skip = slice * BYTES_PER_LANGUAGE;
  for (const path of ordered) {
    if (bytes >= skip + BYTES_PER_LANGUAGE) break;
    const text = readText(path);
    if (text === undefined) continue;
    if (bytes >= skip) files.push({ path, text });
    bytes += text.length;
  }
  return files;
}

interface Sample {
  lang: string;
  size: number;
  text: string;
  real: number;
  /** estimateTokens(text) */
  est: number;
  /** Sum of estimateLineTokens over the lines (what the window selection adds up). */
  estLines: number;
}

let tokenizer: Tokenizer;

/** Real token count of `text` inside a prompt: no BOS, no dummy-prefix space. */
function realTokens(text: string): number {
  const ids = tokenizer.encode(text, false, false);
  if (!ids) throw new Error('tokenizer returned nothing');
  return ids.length;
}

/** Windows of `size` lines (each with its line break), non-overlapping; single lines for size 1. */
function windows(text: string, size: number): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: string[] = [];
  for (let i = 0; i + size <= lines.length; i += size) out.push(lines.slice(i, i + size).join('\n') + '\n');
  return out;
}

function measure(lang: string, size: number, text: string): Sample | undefined {
  let real: number;
  try {
    real = realTokens(text);
  } catch {
    return undefined; // the tokenizer choked: skip
  }
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  let estLines = 0;
  let start = 0;
  for (;;) {
    const end = body.indexOf('\n', start);
    estLines += estimateLineTokens(end < 0 ? body.slice(start) : body.slice(start, end));
    if (end < 0) break;
    start = end + 1;
  }
  if (!text.endsWith('\n')) estLines -= 1; // no final line break
  return { lang, size, text, real, est: estimateTokens(text), estLines };
}

// ---------- adversarial samples ----------

function adversarial(): { name: string; text: string }[] {
  const r = seededRandom(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (n: number) => Math.floor(r() * n);
  const repeatLines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';
  const out: { name: string; text: string }[] = [];
  const add = (name: string, text: string) => out.push({ name, text });

  add('digits: one long run', Array.from({ length: 2000 }, () => String(int(10))).join(''));
  add('digits: numbers table', repeatLines(100, () => Array.from({ length: 8 }, () => String(int(1e9))).join(', ')));
  add('digits: floats/hex', repeatLines(100, () => `${(r() * 1e6).toFixed(6)} 0x${int(2 ** 31).toString(16)} ${int(1e5)}e-${int(30)}`));
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  add('base64', bytes(6000).toString('base64').replace(/.{76}/g, '$&\n'));
  add('base64: one line', bytes(3000).toString('base64'));
  add('hex: sha digests', repeatLines(100, () => bytes(32).toString('hex')));
  add('uuids', repeatLines(100, () => `"${bytes(4).toString('hex')}-${bytes(2).toString('hex')}-${bytes(2).toString('hex')}-${bytes(2).toString('hex')}-${bytes(6).toString('hex')}",`));
  const lowers = 'abcdefghijklmnopqrstuvwxyz';
  add('random lowercase words', repeatLines(100, () => Array.from({ length: 8 }, () => Array.from({ length: 2 + int(12) }, () => pick([...lowers])).join('')).join(' ')));
  const uppers = lowers.toUpperCase();
  add('random uppercase words', repeatLines(100, () => Array.from({ length: 8 }, () => Array.from({ length: 2 + int(10) }, () => pick([...uppers])).join('')).join(int(2) ? ' ' : '_')));
  add('random capitalized words', repeatLines(100, () => Array.from({ length: 8 }, () => pick([...uppers]) + Array.from({ length: 1 + int(8) }, () => pick([...lowers])).join('')).join(pick(['', ' ', '_', '.']))));
  add('hex: uppercase', repeatLines(100, () => `0x${bytes(8).toString('hex').toUpperCase()}, ${bytes(16).toString('hex').toUpperCase()}`));
  add('base32', repeatLines(60, () => Array.from({ length: 64 }, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'])).join('')));
  const alnum = lowers + uppers + '0123456789_';
  add('random identifiers', repeatLines(100, () => `const ${Array.from({ length: 12 }, () => pick([...alnum])).join('').replace(/^\d/, 'x')} = ${Array.from({ length: 3 }, () => pick([...alnum])).join('').replace(/^\d/, 'y')};`));
  const emoji = ['😀', '🚀', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', '❤️', '✅', '🎉', '🔥', '🧪', '∑', '→', '⚠️', '🏳️‍🌈', '©'];
  add('emoji', repeatLines(50, () => Array.from({ length: 20 }, () => pick(emoji)).join(int(2) ? '' : ' ')));
  add('emoji in code', repeatLines(50, (i) => `  log("${pick(emoji)} step ${i} ${pick(emoji)}${pick(emoji)}"); // ${pick(emoji)}`));
  const cjkCommon = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坐集编宝谈府拉黑且随格尽剑讲布杀微怕母调局根曾准团段终乐切级克精哪官示冷域读';
  add('cjk: common', repeatLines(40, () => Array.from({ length: 30 }, () => pick([...cjkCommon])).join('')));
  add('cjk: rare (ext A, B)', repeatLines(40, () => Array.from({ length: 20 }, () => String.fromCodePoint(int(2) ? 0x3400 + int(0x19b5) : 0x20000 + int(0xa6d6))).join('')));
  add('cjk: comments in code', repeatLines(50, (i) => `  const total${i} = price * count; // 计算${Array.from({ length: 6 }, () => pick([...cjkCommon])).join('')}的总价`));
  add('hangul + kana', repeatLines(40, () => Array.from({ length: 25 }, () => String.fromCharCode(int(2) ? 0xac00 + int(11172) : 0x3041 + int(86))).join('')));
  add('cyrillic/greek/arabic/devanagari prose', repeatLines(40, () => Array.from({ length: 12 }, () => {
    const base = pick([0x0430, 0x03b1, 0x0627, 0x0915]);
    return Array.from({ length: 2 + int(8) }, () => String.fromCharCode(base + int(25))).join('');
  }).join(' ')));
  add('latin accents', repeatLines(40, () => Array.from({ length: 12 }, () => Array.from({ length: 2 + int(8) }, () => pick([...'aeiouéèêëàâäôöùûüçñßøåæœÿíóú'])).join('')).join(' ')));
  add('lone surrogates', repeatLines(30, () => Array.from({ length: 20 }, () => String.fromCharCode(0xd800 + int(0x800)) + pick(['a', ' ', '', '1'])).join('')));
  add('control chars + CRLF', repeatLines(50, (i) => `line ${i}\x07\x1b[31mred\x1b[0m\tend\r`));
  add('indent: tabs', repeatLines(200, (i) => '\t'.repeat(i % 40) + (i % 3 ? 'x++;' : '}')));
  add('indent: spaces', repeatLines(200, (i) => ' '.repeat((i % 50) * 2) + (i % 3 ? 'return x;' : '}')));
  add('indent: empty indented lines', repeatLines(200, (i) => ' '.repeat(i % 64)));
  add('space runs', repeatLines(50, () => Array.from({ length: 6 }, () => 'a' + ' '.repeat(int(40))).join('') + 'b'));
  add('tabs runs', repeatLines(50, () => Array.from({ length: 6 }, () => 'x' + '\t'.repeat(int(12))).join('') + 'y'));
  add('punctuation soup', repeatLines(50, () => Array.from({ length: 60 }, () => pick([...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'])).join('')));
  add('ascii art / rulers', repeatLines(40, (i) => pick(['=', '-', '*', '#', '~', '_', '/', '+']).repeat(10 + (i * 7) % 90)));
  add('url soup', repeatLines(60, () => `https://${bytes(3).toString('hex')}.example.com/${bytes(6).toString('base64url')}/x?id=${int(1e8)}&t=${bytes(5).toString('hex')}#${bytes(3).toString('base64url')}`));

  // Real minified bundles, first 24 KB of each.
  for (const rel of ['lodash/lodash.min.js', 'js-yaml/dist/js-yaml.min.js', 'esquery/dist/esquery.min.js', 'markdown-it/dist/markdown-it.min.js', 'glob/dist/commonjs/index.min.js']) {
    const text = readText(join(nodeModules, rel), true);
    if (text !== undefined) add(`minified: ${rel}`, text.slice(0, 24_000));
  }
  // Minified by hand: a real JS file with all line breaks and indentation removed.
  const sourceJs = ['typescript/lib/typescript.js', 'ollama/dist/browser.cjs']
    .map((rel) => readText(join(nodeModules, rel), true))
    .find((text) => text !== undefined && text.length >= 10_000);
  if (sourceJs) add('minified: whitespace-stripped JS', sourceJs.slice(0, 40_000).replace(/\n\s*/g, '').replace(/ *([=+\-*/,;:{}()<>]) */g, '$1'));
  return out;
}

// ---------- vocabulary tables of the estimator ----------

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Keep in sync with PUNCT in src/completion/tokenEstimate.ts. */
const PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^`{|}~';
/** Piece-id thresholds of the pair levels: ids grow as merges get rarer. */
const LEVEL_IDS = [1000, 4000, 16000];
const KNOWN_WORDS = 512;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/';

/**
 * The tables of tokenEstimate.ts, derived from the vocabulary: the level (0-4) of each letter pair
 * (case-folded) and punctuation pair = how early a piece containing the pair appears (4: never, so
 * the pair is always split), and the non-ASCII BMP characters that are single pieces (packed as
 * gap/length varints, base 32 digits, low digits first; digits >= 32 continue the number).
 */
function vocabTables(vocab: string[]) {
  const best = new Map<string, number>();
  vocab.forEach((piece, id) => {
    if (id < 259) return; // <unk>, <s>, </s>, byte pieces
    const t = piece.replace(/\u2581/g, ' ');
    for (let i = 0; i + 1 < t.length; i++) {
      const k = t.slice(i, i + 2);
      if (!best.has(k)) best.set(k, id);
    }
  });
  const level = (pair: string) => {
    const id = best.get(pair);
    if (id === undefined) return LEVEL_IDS.length + 1;
    let l = 0;
    while (l < LEVEL_IDS.length && id >= LEVEL_IDS[l]) l++;
    return l;
  };
  const letterLevels = [...LETTERS].map((a) => [...LETTERS].map((b) => level(a + b)).join(''));
  const punctLevels = [...PUNCT].map((a) => [...PUNCT].map((b) => level(a + b)).join(''));
  const singles = vocab
    .filter((piece, id) => id >= 259 && piece.length === 1 && piece.charCodeAt(0) >= 0x80 && piece !== '\u2581')
    .map((piece) => piece.charCodeAt(0))
    .filter((c) => c < 0xd800 || c > 0xdfff)
    .sort((a, b) => a - b);
  const varint = (n: number) => {
    let out = '';
    while (n >= 32) {
      out += ALPHABET[32 + (n & 31)];
      n >>= 5;
    }
    return out + ALPHABET[n];
  };
  let packed = '';
  let prevEnd = 0x7f;
  for (let i = 0; i < singles.length;) {
    let j = i;
    while (j + 1 < singles.length && singles[j + 1] === singles[j] + 1) j++;
    packed += varint(singles[i] - prevEnd - 1) + varint(j - i);
    prevEnd = singles[j];
    i = j + 1;
  }
  return { letterLevels, punctLevels, packed, singles: singles.length };
}

/**
 * The most frequent identifier parts (a capital and lowercase letters, or lowercase letters not
 * after a letter: how tokenEstimate.ts cuts words) in the fitting files (slices 0 and 1) that are
 * single pieces both alone and after a space.
 */
function knownWords(vocab: string[], count: number): string[] {
  const pieces = new Set(vocab);
  const freq = new Map<string, number>();
  for (const lang of LANGUAGES) {
    for (const slice of [0, 1]) {
      for (const file of collect(lang, slice)) {
        for (const m of file.text.matchAll(/[A-Z][a-z]*|(?<![A-Za-z])[a-z]+/g)) freq.set(m[0], (freq.get(m[0]) ?? 0) + 1);
      }
    }
  }
  return [...freq]
    .filter(([w]) => w.length >= 2 && pieces.has(w) && pieces.has('\u2581' + w))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([w]) => w);
}

function printTables(): void {
  const t = vocabTables(tokenizer.vocabById);
  console.log(`// ${LETTERS.length}x${LETTERS.length} letter pair levels, case-folded (row: first letter, column: second letter)`);
  console.log(`const LETTER_LEVELS =\n${t.letterLevels.map((r) => `  '${r}'`).join(' +\n')};`);
  console.log(`// punctuation pair levels, rows and columns in the order of PUNCT`);
  console.log(`const PUNCT_LEVELS =\n${t.punctLevels.map((r) => `  '${r}'`).join(' +\n')};`);
  console.log(`// ${t.singles} non-ASCII BMP characters that are single pieces`);
  const chunks = t.packed.match(/.{1,96}/g) ?? [];
  console.log(`const SINGLE_PIECES =\n${chunks.map((c) => `  '${c}'`).join(' +\n')};`);
  const words = knownWords(tokenizer.vocabById, KNOWN_WORDS);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line.length + w.length + 1 > 96) {
      lines.push(line);
      line = '';
    }
    line += (line ? ' ' : '') + w;
  }
  lines.push(line);
  console.log(`// the ${words.length} most frequent identifier parts that are single pieces`);
  console.log(`const KNOWN_WORDS =\n${lines.map((l, i) => `  '${l}${i < lines.length - 1 ? ' ' : ''}'`).join(' +\n')};`);
  if (process.argv.includes('--json')) console.error(JSON.stringify(words));
}

// ---------- statistics ----------

interface Row {
  lang: string;
  size: number;
  windows: number;
  chars: number;
  real: number;
  est: number;
  realPerChar: number;
  estPerChar: number;
  ratioMean: number;
  ratioMin: number;
  ratioP1: number;
  ratioP99: number;
  ratioMax: number;
  under: number;
  underFraction: number;
  /** Windows where the sum of estimateLineTokens is below the real count. */
  underLines: number;
}

function summarize(lang: string, size: number, samples: Sample[]): Row {
  const ratios = samples.map((s) => s.est / s.real).sort((a, b) => a - b);
  const sum = (f: (s: Sample) => number) => samples.reduce((a, s) => a + f(s), 0);
  const chars = sum((s) => s.text.length);
  const real = sum((s) => s.real);
  const est = sum((s) => s.est);
  const under = samples.filter((s) => s.est < s.real).length;
  return {
    lang,
    size,
    windows: samples.length,
    chars,
    real,
    est,
    realPerChar: real / chars,
    estPerChar: est / chars,
    ratioMean: ratios.reduce((a, b) => a + b, 0) / ratios.length,
    ratioMin: ratios[0],
    ratioP1: ratios[Math.floor(ratios.length * 0.01)],
    ratioP99: ratios[Math.min(ratios.length - 1, Math.floor(ratios.length * 0.99))],
    ratioMax: ratios[ratios.length - 1],
    under,
    underFraction: under / samples.length,
    underLines: samples.filter((s) => s.estLines < s.real).length,
  };
}

function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const head = ['language', 'win', 'n', 'chars', 'real', 'est', 'real/ch', 'est/ch', 'ratio', 'min', 'p1', 'p99', 'max', 'under', 'under%', 'underΣl'];
  const body = rows.map((r) => [r.lang, String(r.size), String(r.windows), String(r.chars), String(r.real), String(r.est),
    r.realPerChar.toFixed(3), r.estPerChar.toFixed(3), r.ratioMean.toFixed(3), r.ratioMin.toFixed(3), r.ratioP1.toFixed(3), r.ratioP99.toFixed(3), r.ratioMax.toFixed(3),
    String(r.under), (100 * r.underFraction).toFixed(2), String(r.underLines)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const dumpAt = process.argv.indexOf('--dump');
  const dumpPath = dumpAt > 0 ? process.argv[dumpAt + 1] : undefined;
  const sliceAt = process.argv.indexOf('--slice');
  const slice = sliceAt > 0 ? Number(process.argv[sliceAt + 1]) : 0;
  tokenizer = (await import('llama-tokenizer-js')).default;
  if (process.argv.includes('--tables')) {
    printTables();
    return;
  }
  const t0 = Date.now();

  const corpus: Sample[] = [];
  const sources: { lang: string; files: number; bytes: number }[] = [];
  for (const lang of LANGUAGES) {
    const files = collect(lang, slice);
    sources.push({ lang: lang.name, files: files.length, bytes: files.reduce((a, f) => a + f.text.length, 0) });
    for (const file of files) {
      for (const size of WINDOW_SIZES) {
        for (const text of windows(file.text, size)) {
          const s = measure(lang.name, size, text);
          if (s) corpus.push(s);
        }
      }
    }
  }
  const adv: (Sample & { name: string })[] = [];
  for (const { name, text } of adversarial()) {
    const whole = measure('adversarial', 0, text);
    if (whole) adv.push({ ...whole, name });
    for (const line of windows(text, 1)) {
      const s = measure('adversarial-lines', 1, line);
      if (s) corpus.push(s);
    }
  }

  const rows: Row[] = [];
  for (const size of WINDOW_SIZES) {
    for (const lang of LANGUAGES) {
      const ss = corpus.filter((s) => s.lang === lang.name && s.size === size);
      if (ss.length > 0) rows.push(summarize(lang.name, size, ss));
    }
    const code = corpus.filter((s) => s.size === size && s.lang !== 'adversarial-lines');
    rows.push(summarize('ALL', size, code));
  }
  const advLines = corpus.filter((s) => s.lang === 'adversarial-lines');
  rows.push(summarize('adversarial-lines', 1, advLines));

  console.log('sources:', sources.map((s) => `${s.lang} ${s.files} files ${Math.round(s.bytes / 1000)} KB`).join('; '));
  for (const size of WINDOW_SIZES) printTable(`${size === 1 ? 'single lines (estimateLineTokens vs line + LF)' : `${size}-line windows`}`, rows.filter((r) => r.size === size));

  console.log('\nadversarial samples (whole text)');
  const nameWidth = Math.max(...adv.map((a) => a.name.length));
  console.log(`${'sample'.padEnd(nameWidth)}  ${'chars'.padStart(6)}  ${'real'.padStart(6)}  ${'est'.padStart(6)}  ${'ratio'.padStart(6)}  ${'Σlines'.padStart(6)}`);
  for (const a of adv) {
    const flag = a.est < a.real || a.estLines < a.real ? '  UNDER' : '';
    console.log(`${a.name.padEnd(nameWidth)}  ${String(a.text.length).padStart(6)}  ${String(a.real).padStart(6)}  ${String(a.est).padStart(6)}  ${(a.est / a.real).toFixed(3).padStart(6)}  ${String(a.estLines).padStart(6)}${flag}`);
  }
  const advUnder = adv.filter((a) => a.est < a.real || a.estLines < a.real).length;
  const worstLines = corpus.filter((s) => s.size === 1 && s.est < s.real).sort((a, b) => a.est / a.real - b.est / b.real).slice(0, 15);
  console.log(`\nadversarial underestimates: ${advUnder} of ${adv.length}`);
  const worstWindows = corpus.filter((s) => s.size > 1).sort((a, b) => a.est / a.real - b.est / b.real).slice(0, 3);
  console.log('tightest windows:');
  for (const s of worstWindows) console.log(`  ${s.lang.padEnd(12)} ${s.size}-line real ${s.real} est ${s.est} Σlines ${s.estLines}  ${JSON.stringify(s.text.slice(0, 160))}`);
  console.log('worst single-line underestimates:');
  for (const s of worstLines) console.log(`  ${s.lang.padEnd(18)} real ${s.real} est ${s.est}  ${JSON.stringify(s.text.slice(0, 100))}`);

  // Speed of the estimator itself, over all 200-line windows.
  const big = corpus.filter((s) => s.size === 200);
  const totalChars = big.reduce((a, s) => a + s.text.length, 0);
  const t1 = performance.now();
  let sink = 0;
  for (let rep = 0; rep < 5; rep++) for (const s of big) sink += estimateTokens(s.text);
  const estMs = (performance.now() - t1) / 5;
  console.log(`\nestimateTokens speed: ${(totalChars / 1e6 / (estMs / 1000)).toFixed(0)} MB/s (${sink > 0 ? 'ok' : ''}); total bench time ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const resultsPath = slice > 0 ? RESULTS.replace(/\.json$/, `.slice${slice}.json`) : RESULTS;
  mkdirSync(dirname(resultsPath), { recursive: true });
  writeFileSync(resultsPath, JSON.stringify({
    slice,
    tokenizer: 'llama-tokenizer-js (Llama 1/2 SentencePiece, as Code Llama); counts without BOS and dummy prefix',
    sources,
    rows,
    adversarial: adv.map((a) => ({ name: a.name, chars: a.text.length, real: a.real, est: a.est, estLines: a.estLines, ratio: a.est / a.real })),
    adversarialUnderestimates: advUnder,
    worstSingleLines: worstLines.map((s) => ({ lang: s.lang, real: s.real, est: s.est, text: s.text.slice(0, 200) })),
    estimatorMBps: totalChars / 1e6 / (estMs / 1000),
  }, null, 2));
  console.log(`wrote ${resultsPath}`);
  if (dumpPath) {
    writeFileSync(dumpPath, corpus.concat(adv).map((s) => JSON.stringify({ lang: s.lang, size: s.size, real: s.real, text: s.text })).join('\n') + '\n');
    console.log(`wrote ${dumpPath}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
