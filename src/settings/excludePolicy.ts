// Which files are never sent to the model (`infill.exclude`): secrets and keys by default.
//
// A pattern is matched, case-insensitively and with dotfiles included, against the file's path
// relative to its workspace folder and against its base name, so `*.pem` excludes `certs/a.pem` and
// `config/*.json` only that folder's JSON. The defaults always apply: settings (user or workspace)
// can only add patterns, so a cloned repository cannot make Infill send its `.env` file.

import picomatch from 'picomatch/posix';

export const DEFAULT_EXCLUDE: readonly string[] = ['.env*', '*.pem', '*.key', 'id_rsa*', '*.p12', 'secrets.*'];

/** Longest pattern taken: a settings file cannot hand the matcher a megabyte-long glob. */
const MAX_PATTERN_LENGTH = 500;

/** The defaults plus every well-formed pattern of each list (a list may be anything from settings). */
export function effectiveExclude(...lists: unknown[]): string[] {
  const out = [...DEFAULT_EXCLUDE];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item !== 'string') continue;
      const pattern = item.trim();
      if (pattern && pattern.length <= MAX_PATTERN_LENGTH && !out.includes(pattern)) out.push(pattern);
    }
  }
  return out;
}

export type PathMatcher = (path: string) => boolean;

let memo: { key: string; matcher: PathMatcher } | undefined;

/** A matcher for `patterns`; compiled once per distinct list (settings change rarely). */
export function excludeMatcher(patterns: readonly string[]): PathMatcher {
  const key = patterns.join('\u0000');
  if (memo?.key === key) return memo.matcher;
  const tests: PathMatcher[] = [];
  for (const pattern of patterns) {
    try {
      tests.push(picomatch(pattern, { dot: true, nocase: true }));
    } catch {
      // A malformed glob matches nothing rather than disabling the others.
    }
  }
  const matcher: PathMatcher = (path) => {
    const relative = normalisePath(path);
    if (!relative) return false;
    const base = relative.slice(relative.lastIndexOf('/') + 1);
    return tests.some((test) => test(relative) || test(base));
  };
  memo = { key, matcher };
  return matcher;
}

/** Whether the file at `path` (relative to its workspace folder; absolute outside one) is excluded. */
export function isExcluded(path: string, patterns: readonly string[]): boolean {
  return excludeMatcher(patterns)(path);
}

/** Forward slashes, no leading "./" or "/", no drive letter: the form the patterns are written in. */
function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^[a-z]:\//i, '/').replace(/^(\.?\/)+/, '');
}
