// Token counting for prompt budgets, without a tokenizer.
//
// Why an estimate: a prompt must never exceed num_ctx - num_predict tokens, and the real Llama
// tokenizer (32000-piece vocabulary + merges) is too big for the VSIX size budget. Code Llama uses
// the Llama 2 SentencePiece vocabulary: digits are one token each, characters outside the vocabulary
// fall back to UTF-8 bytes (a token per byte), runs of up to 16 spaces are one piece, common words
// are one token, rare letter pairs split.
//
// How: one pass over the char codes; each character costs (in 1/UNIT token) according to its class
// and what precedes it. Letter and punctuation pairs are graded 0-4 by how early a vocabulary piece
// contains them (4: none, always split); the 512 most frequent identifier parts that are pieces are
// known words. Tabs, control and non-ASCII characters cost their exact worst case (1 if a piece,
// else 1 per UTF-8 byte). Each line is rounded up on its own, so estimateTokens of LF-joined lines
// is exactly the sum of estimateLineTokens. The costs were fitted by linear programming against
// llama-tokenizer-js on real files: minimise the estimate subject to estimate >= real on all 20- and
// 200-line windows and adversarial samples, with a heavy penalty on single lines coming out under.
//
// How well it does (estimate vs the real tokenizer on files held out from the fit, by language and
// window size, adversarial samples, what chars/3 would do): docs/token-calibration.md.
//
// Vocabulary tables: tokenTables.generated.ts (`npm run tokens:tables`); costs and KNOWN_WORDS: the
// linear-programming fit on `bench/calibrateTokens.ts --dump` (docs/token-calibration.md).

import { LETTER_LEVELS, PUNCT_CHARS, PUNCT_LEVELS, SINGLE_PIECES } from './tokenTables.generated';

/** Costs are in 1/UNIT token. */
const UNIT = 256;

// What precedes a character.
const BOL = 0; // start of the text or of a line
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const SPACE1 = 4; // one space
const SPACES = 5; // two or more spaces
const PUNCT = 6;
const UNDERSCORE = 7;
const OTHER = 8; // tab, control, non-ASCII

// Costs by what precedes: BOL, LOWER, UPPER, DIGIT, SPACE1, SPACES, PUNCT, UNDERSCORE, OTHER
// (contexts that cannot occur hold a full token).
/** A whole known word (KNOWN_WORDS), replacing the costs of its letters. */
const KNOWN_WORD = [183, 225, 215, 77, 16, 83, 107, 155, 67];
const LOWER_WORD_START = [256, 256, 256, 123, 58, 153, 133, 187, 64];
const UPPER_WORD_START = [139, 256, 256, 214, 138, 256, 146, 160, 222];
const PUNCT_START = [256, 183, 169, 256, 218, 218, 256, 248, 249]; // after punctuation: PUNCT_PUNCT
const UNDERSCORE_START = [132, 232, 256, 235, 116, 131, 121, 63, 256];
const SPACE_START = [17, 72, 0, 31, 256, 256, 49, 256, 13];
/** Second space of a run: the run becomes a piece of its own, its last space joins the next word. */
const SECOND_SPACE = 256;
/** Further spaces, except the 18th, 34th, ... which start a new 16-space piece (a full token). */
const MORE_SPACE = 0;
/** A space does not merge with a following digit, tab or byte-coded character. */
const SPACE_BEFORE_DIGIT = 211;
const SPACE_BEFORE_OTHER = 256;
const SPACE_AT_END = 0;

// A letter after a letter, by the level (0-4) of the pair; for the same case also by the position
// in the letter run.
/** Row of LOWER_LOWER / UPPER_UPPER by the number of letters already in the run (capped at 15). */
const SAME_CASE_ROW = [0, 0, 1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6];
const LOWER_LOWER = [
  [101, 204, 256, 256, 256], // 2nd letter
  [16, 59, 245, 256, 256], // 3rd
  [16, 126, 181, 203, 256], // 4th
  [46, 175, 204, 256, 256], // 5th-6th
  [55, 117, 256, 256, 256], // 7th-9th
  [90, 93, 256, 256, 256], // 10th-14th
  [48, 234, 256, 256, 256], // 15th on
];
const UPPER_UPPER = [
  [37, 103, 151, 223, 256], // 2nd letter
  [119, 119, 119, 256, 256], // 3rd
  [157, 256, 256, 256, 256], // 4th
  [117, 175, 256, 256, 256], // 5th-6th
  [147, 256, 256, 256, 256], // 7th-9th
  [58, 256, 256, 256, 256], // 10th-14th
  [131, 131, 131, 131, 192], // 15th on
];
/** camelCase hump. */
const LOWER_UPPER = [239, 247, 256, 256, 256];
/** A lowercase letter after a capital, by what precedes the capital and by level. */
const UPPER_LOWER = [
  [97, 97, 256, 256, 256], // after one capital, itself after a space
  [66, 107, 256, 256, 256], // after one capital, itself after a lowercase letter (camelCase)
  [244, 256, 256, 256, 256], // after one capital, itself after anything else
  [83, 256, 256, 256, 256], // after two or more capitals ("HTTPServer")
];
/** Punctuation after punctuation. */
const PUNCT_PUNCT = [44, 125, 173, 173, 256];
/**
 * End of a letter run, by its length (1, 2, 3, 4-5, 6+) and by what follows: space, punctuation,
 * digit, underscore, other (tab, control, non-ASCII), end of line.
 */
const WORD_END_ROW = [0, 0, 1, 2, 3, 3, 4];
const WORD_END = [
  [72, 201, 117, 61, 205, 124], // 1 letter
  [144, 183, 113, 243, 106, 105], // 2
  [172, 196, 256, 179, 256, 155], // 3
  [159, 226, 233, 121, 161, 162], // 4-5
  [166, 256, 188, 119, 203, 256], // 6+
];

// Words are cut as a capital and the lowercase letters after it, or lowercase letters not after a
// letter: "getHTTPServer" -> get, H, T, T, P, Server.
// Pair levels (LETTER_LEVELS, PUNCT_LEVELS): a vocabulary piece with id < 1000, < 4000, < 16000,
// any, none contains the pair.
// The 512 most frequent identifier parts that are single pieces, in the files the costs were fitted
// on (`bench/calibrateTokens.ts --known-words` on the calibration machine). Part of the fit, not of
// the generated tables: the list depends on the files found, and the costs were fitted with it.
const KNOWN_WORDS =
  'the to is of if type in for string and this const name code class return The from be li not or ' +
  'sk that define Id file value test with get self export https true js Error it href set function ' +
  'then import version an as key Token request on html by node Type are new id param com error int ' +
  'span text path number will false help void This fi check Name command data options echo object ' +
  'String api td all If can div use create Options default description npm null Node project token ' +
  'else state Request br resource github user result org you dir cache Result boolean Client Auth ' +
  'no used source def shape any var arg add link required config field case list line run undefined ' +
  'Array which schema has Code exit None documentation instance sub char interface commit at table ' +
  'when method location only Base Path http lib Test To Key Cache size output In may Object do ' +
  'package input example length pre For Response exports returns prefix tr target Expression end ' +
  'include response index State xml Value one using Info array start title count flags event should ' +
  'time Get git must nav projects format require under Set but range first Policy context ul have ' +
  'match policy my url async unsigned log Context List fn client ref files str current Buffer Event ' +
  'endpoint next body copy json service max Data Next last Use base message we Version File read ' +
  'was ts content See access status ptr Sign option so does module properties em see other params ' +
  'attribute types Account docs Default header more values It dev args parse All Function operation ' +
  'collection group release rules find throw arguments Stream Map update enum argument src User ' +
  'logger main out Exception map account border color directory mode same headers channel private ' +
  'install up www Loop after tree global your spec done typeof Config local make Results property ' +
  'equal items opts limit process Method fetch Access You With information valid struct script tag ' +
  'template parameter resources Region also console element callback parameters into pattern ' +
  'support before style auth left action info root Browser attributes call errors remove foo try ' +
  'await than build Cloud region configuration let while Stack details fields section versions Max ' +
  'When entry server loop without bytes contents label system Resource level language Configuration ' +
  'internal Text single width desktop keys auto program Number Return Sec contains font top delete ' +
  'bool specific write item Open each grep unknown Create disable comment decode By ctx elif static ' +
  'Rule Server Manager push load long Index Types its print library split block md parent Not ' +
  'Status init non Async components available allow some called buffer network stream Custom Up ' +
  'Script except term session encode Password Property Start align re there Of added application ' +
  'free Invalid supported On child Properties bin meta pool query icon en func scope shift uint ' +
  'util expected latest namespace sign No ignore like raise reference structure rule Document ' +
  'cluster need opt sed Block core err Message defined identity st open Add Service app Case Entity ' +
  'Identity custom identifier replace';

const CLASS_LOWER = 0;
const CLASS_UPPER = 1;
const CLASS_DIGIT = 2;
const CLASS_SPACE = 3;
const CLASS_PUNCT = 4;
const CLASS_UNDERSCORE = 5;
const CLASS_BYTE = 6; // tab, CR, other control characters, DEL: one byte piece each
const CLASS_NEWLINE = 7;
/** Column of WORD_END by the class of the character after a word. */
const WORD_END_COLUMN = [0, 0, 2, 0, 1, 3, 4, 5];

const asciiClass = new Uint8Array(128).fill(CLASS_BYTE);
const punctIndex = new Uint8Array(128);
for (let c = 97; c <= 122; c++) asciiClass[c] = CLASS_LOWER;
for (let c = 65; c <= 90; c++) asciiClass[c] = CLASS_UPPER;
for (let c = 48; c <= 57; c++) asciiClass[c] = CLASS_DIGIT;
asciiClass[32] = CLASS_SPACE;
asciiClass[95] = CLASS_UNDERSCORE;
asciiClass[10] = CLASS_NEWLINE;
for (let i = 0; i < PUNCT_CHARS.length; i++) {
  asciiClass[PUNCT_CHARS.charCodeAt(i)] = CLASS_PUNCT;
  punctIndex[PUNCT_CHARS.charCodeAt(i)] = i;
}
/** FNV-1a over char codes, updated one char at a time. */
const HASH_START = 0x811c9dc5 | 0;
const HASH_PRIME = 0x01000193;
const knownWords = new Set<number>();
for (const word of KNOWN_WORDS.split(' ')) {
  let h = HASH_START;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), HASH_PRIME);
  knownWords.add(h);
}
/** What to add when a word ends: a known word costs KNOWN_WORD instead of its letters. */
function knownWordAdjustment(hash: number, ctx: number, letterCost: number): number {
  return knownWords.has(hash) ? KNOWN_WORD[ctx] - letterCost : 0;
}
const letterLevel = new Uint8Array(26 * 26);
for (let i = 0; i < letterLevel.length; i++) letterLevel[i] = LETTER_LEVELS.charCodeAt(i) - 48;
const punctLevel = new Uint8Array(PUNCT_CHARS.length * PUNCT_CHARS.length);
for (let i = 0; i < punctLevel.length; i++) punctLevel[i] = PUNCT_LEVELS.charCodeAt(i) - 48;

/** Bit set over the BMP: the character is a vocabulary piece by itself. */
const singlePiece = new Uint8Array(0x10000 >> 3);
{
  const digits = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/';
  let next = 0x80;
  let gap = -1;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < SINGLE_PIECES.length; i++) {
    const d = digits.indexOf(SINGLE_PIECES[i]);
    value += (d & 31) * scale;
    scale *= 32;
    if (d >= 32) continue;
    if (gap < 0) {
      gap = value;
    } else {
      for (let c = next + gap; c <= next + gap + value; c++) singlePiece[c >> 3] |= 1 << (c & 7);
      next += gap + value + 1;
      gap = -1;
    }
    value = 0;
    scale = 1;
  }
}

/**
 * Upper bound (calibrated: docs/token-calibration.md) of the Llama / Code Llama token count of
 * `text` as it appears inside a prompt: no BOS, no dummy-prefix space. Each line break counts one
 * token.
 */
export function estimateTokens(text: string): number {
  let total = 0; // whole tokens of the finished lines
  let cost = 0; // current line, in 1/UNIT token
  let ctx = BOL;
  let prev = 0; // previous char code (only looked at when ASCII)
  let letters = 0; // letters so far in the current letter run
  let capitals = 0; // capitals ending the current letter run
  let capitalRow = 2; // row of UPPER_LOWER for a lowercase letter after a single capital
  let spaces = 0; // length of the current space run
  let wordHash = 0; // the current word (see KNOWN_WORDS): hash, context before it, cost of its letters
  let wordCtx = BOL;
  let wordCost = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const cls = asciiClass[c];
      if ((ctx === LOWER || ctx === UPPER) && cls !== CLASS_LOWER) {
        cost += knownWordAdjustment(wordHash, wordCtx, wordCost);
        if (cls !== CLASS_UPPER) cost += WORD_END[WORD_END_ROW[letters < 6 ? letters : 6]][WORD_END_COLUMN[cls]];
      }
      let letter: number;
      switch (cls) {
        case CLASS_LOWER:
          if (ctx === LOWER) {
            letter = LOWER_LOWER[SAME_CASE_ROW[letters < 15 ? letters : 15]][letterLevel[(prev - 97) * 26 + c - 97]];
            letters++;
          } else if (ctx === UPPER) {
            letter = UPPER_LOWER[capitals >= 2 ? 3 : capitalRow][letterLevel[(prev - 65) * 26 + c - 97]];
            letters++;
          } else {
            letter = LOWER_WORD_START[ctx];
            letters = 1;
          }
          if (ctx === LOWER || ctx === UPPER) {
            wordHash = Math.imul(wordHash ^ c, HASH_PRIME);
            wordCost += letter;
          } else {
            wordHash = Math.imul(HASH_START ^ c, HASH_PRIME);
            wordCtx = ctx;
            wordCost = letter;
          }
          cost += letter;
          capitals = 0;
          ctx = LOWER;
          break;
        case CLASS_UPPER:
          if (ctx === UPPER) {
            letter = UPPER_UPPER[SAME_CASE_ROW[letters < 15 ? letters : 15]][letterLevel[(prev - 65) * 26 + c - 65]];
            letters++;
            capitals++;
          } else if (ctx === LOWER) {
            letter = LOWER_UPPER[letterLevel[(prev - 97) * 26 + c - 65]];
            letters++;
            capitals = 1;
          } else {
            letter = UPPER_WORD_START[ctx];
            letters = 1;
            capitals = 1;
          }
          capitalRow = ctx === SPACE1 || ctx === SPACES ? 0 : ctx === LOWER ? 1 : 2;
          wordHash = Math.imul(HASH_START ^ c, HASH_PRIME); // a capital starts a word
          wordCtx = ctx;
          wordCost = letter;
          cost += letter;
          ctx = UPPER;
          break;
        case CLASS_DIGIT:
          cost += ctx === SPACE1 || ctx === SPACES ? UNIT + SPACE_BEFORE_DIGIT : UNIT;
          ctx = DIGIT;
          break;
        case CLASS_SPACE:
          if (ctx === SPACE1 || ctx === SPACES) {
            spaces++;
            cost += spaces === 2 ? SECOND_SPACE : spaces >= 18 && (spaces - 2) % 16 === 0 ? UNIT : MORE_SPACE;
            ctx = SPACES;
          } else {
            cost += SPACE_START[ctx];
            spaces = 1;
            ctx = SPACE1;
          }
          break;
        case CLASS_PUNCT:
          cost += ctx === PUNCT
            ? PUNCT_PUNCT[punctLevel[punctIndex[prev] * PUNCT_CHARS.length + punctIndex[c]]]
            : PUNCT_START[ctx];
          ctx = PUNCT;
          break;
        case CLASS_UNDERSCORE:
          cost += UNDERSCORE_START[ctx];
          ctx = UNDERSCORE;
          break;
        case CLASS_NEWLINE:
          if (ctx === SPACE1 || ctx === SPACES) cost += SPACE_AT_END;
          total += Math.ceil(cost / UNIT) + 1;
          cost = 0;
          ctx = BOL;
          break;
        default: // tab, CR, control character: a byte piece
          cost += ctx === SPACE1 || ctx === SPACES ? UNIT + SPACE_BEFORE_OTHER : UNIT;
          ctx = OTHER;
      }
      prev = c;
      continue;
    }
    // Non-ASCII: one token if the character is a piece, else one per UTF-8 byte.
    if (ctx === LOWER || ctx === UPPER) {
      cost += knownWordAdjustment(wordHash, wordCtx, wordCost) + WORD_END[WORD_END_ROW[letters < 6 ? letters : 6]][4];
    } else if (ctx === SPACE1 || ctx === SPACES) cost += SPACE_BEFORE_OTHER;
    if (c < 0xd800 || c > 0xdfff) {
      cost += (singlePiece[c >> 3] >> (c & 7)) & 1 ? UNIT : c < 0x800 ? 2 * UNIT : 3 * UNIT;
    } else if (c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      cost += 4 * UNIT; // astral character (emoji, rare CJK): 4 byte pieces
      i++;
    } else {
      cost += 3 * UNIT; // lone surrogate: sent as U+FFFD
    }
    ctx = OTHER;
    prev = c;
  }
  if (ctx === LOWER || ctx === UPPER) {
    cost += knownWordAdjustment(wordHash, wordCtx, wordCost) + WORD_END[WORD_END_ROW[letters < 6 ? letters : 6]][5];
  } else if (ctx === SPACE1 || ctx === SPACES) cost += SPACE_AT_END;
  return total + Math.ceil(cost / UNIT);
}

/** Tokens of one line of a prompt plus its line break (a byte piece: one token). */
export function estimateLineTokens(line: string): number {
  return estimateTokens(line) + 1;
}
