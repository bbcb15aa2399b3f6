// Definitions cut to what a caller needs: signatures, fields and member signatures, bodies only
// when small; by indentation and brackets, whatever the language.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cutDeclaration, MAX_DECLARATION_LINES, SMALL_BODY_LINES } from '../../src/crossFile/declarationCut';

const cut = (text: string, start = 0) => cutDeclaration(text.split('\n'), start);
/** `count` statement lines at `indent`. */
const statements = (count: number, indent = '  ') => Array.from({ length: count }, (_, i) => `${indent}const v${i} = ${i};`);

describe('cutDeclaration: functions', () => {
  it('keeps a small body whole', () => {
    assert.equal(SMALL_BODY_LINES, 8);
    assert.deepEqual(cut('export function add(a: number, b: number): number {\n  return a + b;\n}\n\nfoo();'),
      ['export function add(a: number, b: number): number {', '  return a + b;', '}']);
    const eight = ['function f() {', ...statements(8), '}'];
    assert.deepEqual(cut([...eight, 'f();'].join('\n')), eight);
  });

  it('collapses a large body into one `...` at the body\'s indentation, with the closing line', () => {
    const text = ['export function add(a: number, b: number): number {', ...statements(7), '  if (a) {', '    return 1;',
      '  }', '  return a + b;', '}', 'export const next = 1;'].join('\n');
    assert.deepEqual(cut(text), ['export function add(a: number, b: number): number {', '  ...', '}']);
  });

  it('takes a signature over several lines, up to where the body opens', () => {
    const text = ['export async function fetchAll(', '  urls: string[],', '  options: { retries: number },',
      '): Promise<string[]> {', ...statements(10), '}', ''].join('\n');
    assert.deepEqual(cut(text), ['export async function fetchAll(', '  urls: string[],', '  options: { retries: number },',
      '): Promise<string[]> {', '  ...', '}']);
  });

  it('counts no bracket inside strings, template strings and comments', () => {
    const text = ['function f(a = "(", b = \')\') { // {', '  const s = `}`; /* } */', '  return "{" + a;', '}', 'g();'].join('\n');
    assert.deepEqual(cut(text), text.split('\n').slice(0, 4));
  });

  it('an arrow function assigned to a const is a function', () => {
    const text = ['export const handler = async (event: Event): Promise<void> => {', ...statements(9), '};'].join('\n');
    assert.deepEqual(cut(text), ['export const handler = async (event: Event): Promise<void> => {', '  ...', '};']);
  });

  it('Go: a method with a receiver, tab-indented', () => {
    const text = ['func (s *Server) Handle(w http.ResponseWriter, r *http.Request) {', '\tif r == nil {', '\t\treturn',
      '\t}', ...statements(6, '\t'), '}', ''].join('\n');
    assert.deepEqual(cut(text), ['func (s *Server) Handle(w http.ResponseWriter, r *http.Request) {', '\t...', '}']);
  });

  it('the brace on its own line (Allman)', () => {
    assert.deepEqual(cut('void f()\n{\n  x();\n}\nint y;'), ['void f()', '{', '  x();', '}']);
  });

  it('Rust: lifetimes are no quotes', () => {
    const text = ["pub fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {", ...statements(9, '    '), '}', 'fn next() {}'].join('\n');
    assert.deepEqual(cut(text), ["pub fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {", '    ...', '}']);
  });
});

describe('cutDeclaration: types and members', () => {
  it('a class keeps fields and method signatures, each method body collapsed, the constructor\'s to its fields, blank lines dropped', () => {
    const text = `export class Store<T> implements Reader {
  private readonly items = new Map<string, T>();
  static create(): Store<string> {
    return new Store();
  }

  constructor(private readonly name: string) {
    super();
    this.x = 1;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }
}
export const after = 1;`;
    assert.deepEqual(cut(text), [
      'export class Store<T> implements Reader {',
      '  private readonly items = new Map<string, T>();',
      '  static create(): Store<string> {',
      '    ...',
      '  }',
      '  constructor(private readonly name: string) {',
      '    this.x = 1;',
      '    ...',
      '  }',
      '  get(key: string): T | undefined {',
      '    ...',
      '  }',
      '}',
    ]);
  });

  it('a large interface keeps every member', () => {
    const members = Array.from({ length: 12 }, (_, i) => `  m${i}(x: number): string;`);
    assert.deepEqual(cut(['export interface Api {', ...members, '}', 'type B = 1;'].join('\n')), ['export interface Api {', ...members, '}']);
  });

  it('a type literal, closed with `};`', () => {
    assert.deepEqual(cut('type A = {\n  a: string;\n  b: number;\n};\nconst z = 1;'), ['type A = {', '  a: string;', '  b: number;', '};']);
  });

  it('a member with a nested object type: the nested lines are one `...`', () => {
    const text = ['export interface Options {', '  name: string;', '  retry: {', '    count: number;', '    delay: number;',
      '  };', '  // The timeout.', '  timeout?: number;', '  a: 1;', '  b: 2;', '}'].join('\n');
    assert.deepEqual(cut(text), ['export interface Options {', '  name: string;', '  retry: {', '    ...', '  };',
      '  timeout?: number;', '  a: 1;', '  b: 2;', '}']);
  });

  it('comments among members are dropped: JSDoc blocks, block and line comments', () => {
    const text = ['class Option {', '  /**', '   * Make one.', '   *', '   * @param {string} flags', '   */', '',
      '  constructor(flags) {', ...statements(9, '    '), '  }', '  /* a block */', '  // a line', '  /** One line. */',
      '  /* a block', '     over lines */', '  hide() {', ...statements(9, '    '), '  }', '}', 'exports.Option = Option;'].join('\n');
    assert.deepEqual(cut(text), ['class Option {', '  constructor(flags) {', '    ...', '  }', '  hide() {', '    ...', '  }', '}']);
  });

  it('a JavaScript constructor keeps its field assignments: the first of each field, one line each, then `...`', () => {
    const text = `class Option {
  constructor(flags, description) {
    this.flags = flags;
    this.description = description || ''; // why
    /** @type {boolean} */
    this.required = flags.includes('<');
    const parts = split(flags);
    this.short = parts.short;
    this.negate = false;
    if (this.long) {
      this.negate = this.long.startsWith('--no-');
      this.#hidden = true;
    }
    this.map = {
      a: 1,
    };
    this.flags.length = 2;
    this.check == 1;
  }

  default(value) {
    this.defaultValue = value;
    return this;
  }
}`;
    assert.deepEqual(cut(text), [
      'class Option {',
      '  constructor(flags, description) {',
      '    this.flags = flags;',
      "    this.description = description || ''; // why",
      "    this.required = flags.includes('<');",
      '    this.short = parts.short;',
      '    this.negate = false;',
      '    this.#hidden = true;',
      '    this.map = {',
      '    ...',
      '  }',
      '  default(value) {',
      '    ...',
      '  }',
      '}',
    ]);
  });

  it('a constructor of fields only has no `...`; parameters over several lines are kept whole', () => {
    const text = ['export class Client {', '  private constructor(', '    private readonly host: string,', '    port: number,',
      '  ) {', '    this.port = port;', '  }', '  close(): void {', '    this.port = 0;', '  }', ...statements(4), '}'].join('\n');
    assert.deepEqual(cut(text), ['export class Client {', '  private constructor(', '    private readonly host: string,',
      '    port: number,', '  ) {', '    this.port = port;', '  }', '  close(): void {', '    ...', '  }', ...statements(4), '}']);
  });

  it(`a constructor's fields count against the ${MAX_DECLARATION_LINES} lines`, () => {
    const fields = Array.from({ length: 40 }, (_, i) => `    this.f${i} = ${i};`);
    const result = cut(['class Big {', '  constructor() {', ...fields, '  }', '}'].join('\n'));
    assert.deepEqual(result, ['class Big {', '  constructor() {', ...fields.slice(0, 26), '  ...', '}']);
  });

  it('Rust: a struct', () => {
    assert.deepEqual(cut("pub struct Point<'a> {\n    pub x: f64,\n    pub label: &'a str,\n}\n\nimpl Point {}"),
      ['pub struct Point<\'a> {', '    pub x: f64,', "    pub label: &'a str,", '}']);
  });

  it('a declaration that starts indented (a method) ends at its own closing line', () => {
    const lines = ['class A {', '  run(x: number): void {', ...statements(10, '    '), '  }', '  stop(): void {}', '}'];
    assert.deepEqual(cutDeclaration(lines, 1), ['  run(x: number): void {', '    ...', '  }']);
    assert.deepEqual(cutDeclaration(lines, 13), ['  stop(): void {}']);
  });
});

describe('cutDeclaration: Python and other indentation languages', () => {
  it('a small def, with its signature over two lines; the docstring is body', () => {
    const text = 'def area(r,\n         pi=3.14):\n    """Area."""\n    return pi * r * r\n\n\nclass X:\n    pass';
    assert.deepEqual(cut(text), ['def area(r,', '         pi=3.14):', '    """Area."""', '    return pi * r * r']);
  });

  it('a large def collapses to `...`, decorators above are not part of it', () => {
    const lines = ['@cache', 'def load(path):', '    """Load it."""', ...statements(9, '    '), '', 'x = 1'];
    assert.deepEqual(cutDeclaration(lines, 1), ['def load(path):', '    ...']);
  });

  it('a class keeps its docstring, fields, decorators and method signatures', () => {
    const text = `class Shape(Base):
    """A shape.

    Long docs.
    """

    sides: int = 0

    def __init__(self, sides):
        # Why.
        self.sides = sides
        self.a: int = 1

    @property
    def name(self):
        return "x"


def other():
    pass`;
    assert.deepEqual(cut(text), ['class Shape(Base):', '    """A shape.', '    Long docs.', '    """', '    sides: int = 0',
      '    def __init__(self, sides):', '        self.sides = sides', '        self.a: int = 1', '    @property', '    def name(self):', '        ...']);
  });

  it('__init__ keeps its `self.x = …` lines, a signature over lines whole; `#` comments among members are dropped', () => {
    const text = ['class Parser:', '    # The state.', '    state = None', '    def __init__(self, policy,', '                 strict=False):',
      '        super().__init__()', '        self.policy = policy', '        self._cur = self.policy.x', '        for x in y:',
      '            self.extra = x', '        self.policy == 1', '    def feed(self, data):', '        pass', '', 'x = 1'].join('\n');
    assert.deepEqual(cut(text), ['class Parser:', '    state = None', '    def __init__(self, policy,', '                 strict=False):',
      '        self.policy = policy', '        self._cur = self.policy.x', '        self.extra = x', '        ...',
      '    def feed(self, data):', '        ...']);
  });

  it('Ruby: the `end` line closes the body', () => {
    assert.deepEqual(cut('def greet(name)\n  puts name\nend\ngreet(1)'), ['def greet(name)', '  puts name', 'end']);
  });
});

describe('cutDeclaration: edges', () => {
  it('a one-line declaration is that line', () => {
    assert.deepEqual(cut('export const X = 5;\nexport const Y = 6;'), ['export const X = 5;']);
    assert.deepEqual(cut('export const X = 5;'), ['export const X = 5;']);
    assert.deepEqual(cut('function f() { return 1; }\nf();'), ['function f() { return 1; }']);
  });

  it('a declaration at the end of the file, even one never closed', () => {
    assert.deepEqual(cut('const a = 1;\nfunction f() {\n  a();\n}', 1), ['function f() {', '  a();', '}']);
    assert.deepEqual(cut('function f() {\n  a();\n  b();\n\n'), ['function f() {', '  a();', '  b();']);
    assert.deepEqual(cut('function f(\n  a,'), ['function f(', '  a,']);
  });

  it('stops at the next declaration when brackets were miscounted (an unclosed quote swallowed a brace)', () => {
    const text = ['function f() {', '  const s = "{";', '  x(`', '}', 'export function g() {', '}'].join('\n');
    assert.deepEqual(cut(text), ['function f() {', '  const s = "{";', '  x(`', '}']);
  });

  it('a start out of range, not an integer or on a blank line gives nothing', () => {
    for (const start of [-1, 1, 99, 0.5, NaN]) assert.deepEqual(cut('const a = 1;', start), [], String(start));
    assert.deepEqual(cut('\nconst a = 1;', 0), []);
    assert.deepEqual(cutDeclaration([], 0), []);
  });

  it(`never more than ${MAX_DECLARATION_LINES} lines: the first ones, \`...\`, the closing line`, () => {
    const members = Array.from({ length: 40 }, (_, i) => `  f${i}: number;`);
    const result = cut(['interface Big {', ...members, '}'].join('\n'));
    assert.equal(result.length, MAX_DECLARATION_LINES);
    assert.deepEqual(result, ['interface Big {', ...members.slice(0, 27), '  ...', '}']);
    // Never closed: the first lines and `...`.
    const open = cut(['interface Big {', ...members].join('\n'));
    assert.deepEqual(open, ['interface Big {', ...members.slice(0, 28), '  ...']);
    // A long parameter list alone.
    const params = Array.from({ length: 40 }, (_, i) => `  p${i}: number,`);
    assert.deepEqual(cut(['function f(', ...params, ') {', '}'].join('\n')).length, MAX_DECLARATION_LINES);
  });

  it('reads brackets only in the first 2000 characters of a line', () => {
    const long = `  const data = [${'1, '.repeat(100_000)}];`;
    // The `]` is past the limit, so the `[` never closes by count; the closing line by indentation still ends it.
    assert.deepEqual(cut(['function f() {', long, '}', 'g();'].join('\n')), ['function f() {', long, '}']);
  });
});
