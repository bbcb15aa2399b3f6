// Which files are never sent to the model (`infill.exclude`): secrets and keys by default.
//
// A pattern is matched, case-insensitively and with dotfiles included, against the file's path
// relative to its workspace folder and against its base name, so `*.pem` excludes `certs/a.pem` and
// `config/*.json` only that folder's JSON. The defaults always apply: settings (user or workspace)
// can only add patterns, so a cloned repository cannot make Infill send its `.env` file.
//
// A pattern comes from settings a repository may write (also in Restricted Mode), and picomatch
// compiles it to a backtracking regular expression matched on the extension host's thread: a
// pattern with many wildcards (`*a*a*a…*b`) takes seconds on a 40-character name. So the patterns
// settings add are bounded (length, wildcards, groups) and a refused one is reported to the glue,
// which logs it; and each path is matched once per pattern list, not at every keystroke.

import picomatch from 'picomatch/posix';

export const DEFAULT_EXCLUDE: readonly string[] = [
  '.env*', '*.pem', '*.key', 'id_rsa*', '*.p12', 'secrets.*',
  // SSH and PuTTY private keys, key stores
  'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '*.ppk', '*.pfx', '*.jks', '*.keystore',
  // files holding tokens or passwords of package registries, git, databases and web servers
  '.npmrc', '.netrc', '.pypirc', '.pgpass', '.git-credentials', '.htpasswd',
  // cloud and container credentials
  '**/.aws/credentials', '**/.docker/config.json', '**/.kube/config', 'credentials.json',
  // Terraform variables and state (the state holds every secret in plain text)
  '*.tfvars', '*.tfvars.json', '*.tfstate', '*.tfstate.backup',
  '**/secrets/**',
];

/**
 * Bounds of a pattern taken from settings. Measured with picomatch 4: three wildcards in one name
 * cost at most ~70 ms against a 255-character name (the longest most file systems allow), four
 * already seconds; `{a,aa}` groups grow the same way.
 */
export const PATTERN_LIMITS = {
  length: 200,
  /** Runs of `*` (`**` is one). */
  stars: 3,
  /** `?` wildcards. */
  questionMarks: 10,
  /** Brace groups `{…}` and extglobs `@(…)`, `*(…)`, `+(…)`, `?(…)`, `!(…)`. */
  groups: 3,
} as const;

/** A pattern from settings that is not used, and why (for the log). */
export interface RefusedPattern {
  readonly pattern: string;
  readonly reason: string;
}

/** Why `pattern` is refused, or undefined when it is within PATTERN_LIMITS. */
export function patternProblem(pattern: string): string | undefined {
  const L = PATTERN_LIMITS;
  if (pattern.length > L.length) return `longer than ${L.length} characters`;
  const stars = pattern.match(/\*+/g)?.length ?? 0;
  if (stars > L.stars) return `more than ${L.stars} * wildcards`;
  const questionMarks = pattern.match(/\?(?!\()/g)?.length ?? 0;
  if (questionMarks > L.questionMarks) return `more than ${L.questionMarks} ? wildcards`;
  const groups = pattern.match(/\{|[@*+?!]\(/g)?.length ?? 0;
  if (groups > L.groups) return `more than ${L.groups} {…} or (…) groups`;
  return undefined;
}

/** The effective list, and the patterns of the lists that were refused. */
export function readExclude(...lists: unknown[]): { patterns: string[]; refused: RefusedPattern[] } {
  const patterns = [...DEFAULT_EXCLUDE];
  const refused: RefusedPattern[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item !== 'string') continue;
      const pattern = item.trim();
      if (!pattern || patterns.includes(pattern) || refused.some((r) => r.pattern === pattern)) continue;
      const reason = patternProblem(pattern);
      if (reason) refused.push({ pattern, reason });
      else patterns.push(pattern);
    }
  }
  return { patterns, refused };
}

/** The defaults plus every well-formed pattern of each list (a list may be anything from settings). */
export function effectiveExclude(...lists: unknown[]): string[] {
  return readExclude(...lists).patterns;
}

export type PathMatcher = (path: string) => boolean;

/** Paths remembered per pattern list: the documents being edited, not every file ever opened. */
const REMEMBERED_PATHS = 64;
/** Pattern lists whose matcher is kept: one per workspace folder being edited (their lists differ). */
const REMEMBERED_LISTS = 8;

const byKey = new Map<string, PathMatcher>();
const byList = new WeakMap<readonly string[], PathMatcher>();

/**
 * A matcher for `patterns`; compiled once per distinct list (settings change rarely; a multi-root
 * workspace has a list per folder), and remembering its answer for the last few paths (it is asked
 * at every keystroke).
 */
export function excludeMatcher(patterns: readonly string[]): PathMatcher {
  const same = byList.get(patterns);
  if (same) return same;
  const key = patterns.join('\u0000');
  let matcher = byKey.get(key);
  if (!matcher) {
    matcher = compileMatcher(patterns);
    if (byKey.size >= REMEMBERED_LISTS) byKey.delete(byKey.keys().next().value as string);
    byKey.set(key, matcher);
  }
  byList.set(patterns, matcher);
  return matcher;
}

function compileMatcher(patterns: readonly string[]): PathMatcher {
  const tests: PathMatcher[] = [];
  for (const pattern of patterns) {
    try {
      tests.push(picomatch(pattern, { dot: true, nocase: true }));
    } catch {
      // A malformed glob matches nothing rather than disabling the others.
    }
  }
  const answers = new Map<string, boolean>();
  return (path) => {
    const known = answers.get(path);
    if (known !== undefined) return known;
    const relative = normalisePath(path);
    const base = relative.slice(relative.lastIndexOf('/') + 1);
    const excluded = relative !== '' && tests.some((test) => test(relative) || test(base));
    if (answers.size >= REMEMBERED_PATHS) answers.clear();
    answers.set(path, excluded);
    return excluded;
  };
}

/** Whether the file at `path` (relative to its workspace folder; absolute outside one) is excluded. */
export function isExcluded(path: string, patterns: readonly string[]): boolean {
  return excludeMatcher(patterns)(path);
}

/**
 * The path an untitled buffer is matched by. `code .env` for a file that does not exist yet opens
 * `untitled:/…/proj/.env`: a buffer with the path it will be saved to, which is matched like that
 * file (relative to the workspace folder holding it, else by its absolute path). A new buffer
 * (`untitled:Untitled-1`) has only a name no pattern is meant for: undefined, nothing to match.
 * `folders`: the paths of the workspace folders' URIs. Compared case-insensitively: a wrong guess
 * only lets folder patterns match, which excludes more, never less.
 */
export function untitledMatchPath(uriPath: string, folders: readonly string[]): string | undefined {
  if (!uriPath.startsWith('/')) return undefined;
  const folder = holdingFolder(uriPath, folders);
  return folder === undefined ? uriPath : uriPath.slice(folderPrefix(folders[folder]).length);
}

/**
 * Which of `folders` (paths of workspace folders' URIs) holds the file at `uriPath`: the deepest
 * one, compared case-insensitively; undefined when none does.
 */
export function holdingFolder(uriPath: string, folders: readonly string[]): number | undefined {
  const lower = uriPath.toLowerCase();
  let best: number | undefined;
  folders.forEach((folder, index) => {
    const prefix = folderPrefix(folder);
    if (lower.startsWith(prefix.toLowerCase()) && (best === undefined || prefix.length > folderPrefix(folders[best]).length)) {
      best = index;
    }
  });
  return best;
}

const folderPrefix = (folder: string) => `${folder.replace(/\/+$/, '')}/`;

/** Forward slashes, no leading "./" or "/", no drive letter: the form the patterns are written in. */
function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^[a-z]:\//i, '/').replace(/^(\.?\/)+/, '');
}
