// The workspace modules a file imports, where they may be on disk, and their top-level
// declarations.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { candidatePaths, localImports, topLevelDeclarations } from '../../src/crossFile/localImports';
import { CountingLines } from '../support/countingLines';

const imports = (languageId: string, text: string, maxLines = 100) =>
  localImports(languageId, new CountingLines(text.split('\n')), maxLines);

describe('localImports: TypeScript and JavaScript', () => {
  it('default, named, namespace and type-only imports; `b as c` names b; a default import is `default`', () => {
    const text = [
      "import React from 'react';",
      "import { add, sub as minus } from './math';",
      "import * as util from '../util';",
      "import type { Options } from './options.js';",
      "import Store, { type Entry, load } from \"./store\";",
      "import def from './def';",
      "import type Def from './typeDef';",
      "import './side-effect';",
      "import { } from './empty';",
    ].join('\n');
    assert.deepEqual(imports('typescript', text), [
      { specifier: './math', names: ['add', 'sub'] },
      { specifier: '../util', names: [] },
      { specifier: './options.js', names: ['Options'] },
      { specifier: './store', names: ['default', 'Entry', 'load'] },
      { specifier: './def', names: ['default'] },
      { specifier: './typeDef', names: ['default'] },
      { specifier: './side-effect', names: [] },
      { specifier: './empty', names: [] },
    ]);
  });

  it('an import list over several lines', () => {
    const text = "import {\n  a,\n  type B,\n  c as d, // why\n} from './x';\nimport {\n  e\n}\n  from './y';\nconst z = 1;";
    assert.deepEqual(imports('typescriptreact', text), [{ specifier: './x', names: ['a', 'B', 'c'] }]);
  });

  it('re-exports: `export *` takes the whole module, `export { a }` names a; exports without `from` are none', () => {
    const text = [
      "export * from './all';",
      "export * as ns from './ns';",
      "export { a, b as c } from './ab';",
      "export type { T } from './types';",
      "export {\n  d,\n  default as E,\n} from './de';",
      'export { local };',
      'export const x = {',
      "  from: './not-an-import',",
      '};',
    ].join('\n');
    assert.deepEqual(imports('typescript', text), [
      { specifier: './all', names: [] },
      { specifier: './ns', names: [] },
      { specifier: './ab', names: ['a', 'b'] },
      { specifier: './types', names: ['T'] },
      { specifier: './de', names: ['d', 'default'] },
    ]);
  });

  it("require('./x'): whole, or the destructured names; `import x = require()` too", () => {
    const text = [
      "const fs = require('fs');",
      "const lib = require('./lib');",
      "const { a, b: renamed } = require(\"../helpers\");",
      "import cfg = require('./config');",
      "// require('./commented')",
      "const later = () => import('./dynamic');",
    ].join('\n');
    assert.deepEqual(imports('javascript', text), [
      { specifier: './lib', names: [] },
      { specifier: '../helpers', names: ['a', 'b'] },
      { specifier: './config', names: [] },
    ]);
  });

  it('bare packages and absolute paths are not local', () => {
    const text = "import x from 'react';\nimport y from '@scope/pkg';\nimport z from 'pkg/sub';\nimport w from '/abs/path';";
    assert.deepEqual(imports('typescript', text), []);
  });

  it('each specifier once, in the order first written; the names of both; whole when either is whole', () => {
    const text = "import { a } from './x';\nimport { b, a } from './x';\nimport { c } from './y';\nimport * as y from './y';";
    assert.deepEqual(imports('javascriptreact', text), [{ specifier: './x', names: ['a', 'b'] }, { specifier: './y', names: [] }]);
  });

  it('`.`, `..` and directory specifiers', () => {
    assert.deepEqual(imports('typescript', "import a from '.';\nimport { b } from '..';\nimport { c } from './dir/';"),
      [{ specifier: '.', names: ['default'] }, { specifier: '..', names: ['b'] }, { specifier: './dir/', names: ['c'] }]);
  });

  it('reads only the first maxLines lines', () => {
    const lines = new CountingLines(["import { a } from './a';", "import { b } from './b';", "import { c } from './c';"]);
    const { value, reads } = lines.count(() => localImports('typescript', lines, 2));
    assert.deepEqual(value.map((i) => i.specifier), ['./a', './b']);
    assert.equal(reads, 2);
    assert.equal(lines.count(() => localImports('typescript', lines, 99)).reads, 3);
  });

  it('other languages have none', () => {
    assert.deepEqual(imports('go', 'import "./x"'), []);
    assert.deepEqual(imports('rust', "use crate::x;\nimport { a } from './x';"), []);
  });
});

describe('localImports: Python', () => {
  it('`from … import`: names, `as` dropped, `.` and `..pkg.mod`, stars, parentheses and backslashes; relative ones first', () => {
    const text = [
      'import os',
      'from typing import List',
      'from .models import User, Group as G  # comment',
      'from . import views',
      'from ..pkg.mod import z',
      'from .star import *',
      'from .multi import (',
      '    a,',
      '    b as bee,',
      ')',
      'from .cont import c, \\',
      '    d',
      'from .models import Extra',
    ].join('\n');
    assert.deepEqual(imports('python', text), [
      { specifier: '.models', names: ['User', 'Group', 'Extra'] },
      { specifier: '.', names: ['views'] },
      { specifier: '..pkg.mod', names: ['z'] },
      { specifier: '.star', names: [] },
      { specifier: '.multi', names: ['a', 'b'] },
      { specifier: '.cont', names: ['c', 'd'] },
      { specifier: 'typing', names: ['List'] },
      { specifier: 'os', names: [] },
    ]);
  });

  it('absolute imports of modules: after the relative ones, the last written first (PEP 8 puts the project\'s own last)', () => {
    const text = [
      'from __future__ import annotations',
      'import os, sys as system',
      'import xml.etree.ElementTree as ET',
      'from .log import logger',
      'from email import errors, utils',
      'from email._policybase import Policy',
      '    import _winapi  # in an `if`',
      'import email.charset',
      'import 3x',
    ].join('\n');
    assert.deepEqual(imports('python', text), [
      { specifier: '.log', names: ['logger'] },
      { specifier: 'email.charset', names: [] },
      { specifier: '_winapi', names: [] },
      { specifier: 'email._policybase', names: ['Policy'] },
      { specifier: 'email', names: ['errors', 'utils'] },
      { specifier: 'xml.etree.ElementTree', names: [] },
      { specifier: 'sys', names: [] },
      { specifier: 'os', names: [] },
    ]);
  });

  it('an open parenthesis reads no further than maxLines', () => {
    const lines = new CountingLines(['from .m import (', '    a,', '    b,', ')']);
    const { value, reads } = lines.count(() => localImports('python', lines, 2));
    assert.deepEqual(value, [{ specifier: '.m', names: ['a'] }]);
    assert.equal(reads, 2);
  });
});

describe('candidatePaths', () => {
  it('TypeScript: ts, tsx, d.ts, the index files, then the JavaScript ones', () => {
    assert.deepEqual(candidatePaths('typescript', 'src/app/main.ts', './util'), [
      'src/app/util.ts', 'src/app/util.tsx', 'src/app/util.d.ts',
      'src/app/util/index.ts', 'src/app/util/index.tsx', 'src/app/util/index.d.ts',
      'src/app/util.js', 'src/app/util.jsx', 'src/app/util.mjs', 'src/app/util.cjs',
      'src/app/util/index.js', 'src/app/util/index.jsx', 'src/app/util/index.mjs', 'src/app/util/index.cjs',
    ]);
  });

  it('JavaScript: the JavaScript extensions first', () => {
    assert.deepEqual(candidatePaths('javascript', 'main.js', './util').slice(0, 8), [
      'util.js', 'util.jsx', 'util.mjs', 'util.cjs', 'util/index.js', 'util/index.jsx', 'util/index.mjs', 'util/index.cjs',
    ]);
  });

  it('`./x.js` means the TypeScript source first; other output extensions likewise', () => {
    assert.deepEqual(candidatePaths('typescript', 'src/a.ts', './x.js'), ['src/x.ts', 'src/x.tsx', 'src/x.d.ts', 'src/x.js']);
    assert.deepEqual(candidatePaths('typescriptreact', 'src/a.tsx', './x.jsx'), ['src/x.tsx', 'src/x.d.ts', 'src/x.jsx']);
    assert.deepEqual(candidatePaths('typescript', 'a.ts', './x.mjs'), ['x.mts', 'x.d.mts', 'x.mjs']);
    assert.deepEqual(candidatePaths('javascript', 'a.js', './x.js'), ['x.js', 'x.ts', 'x.tsx', 'x.d.ts']);
  });

  it('a specifier with a source or asset extension is that file; a dotted name (`user.service`) is not an extension', () => {
    assert.deepEqual(candidatePaths('typescript', 'a.ts', './x.ts'), ['x.ts']);
    assert.deepEqual(candidatePaths('typescript', 'a.ts', './data.json'), ['data.json']);
    assert.deepEqual(candidatePaths('typescript', 'src/a.ts', './user.service').slice(0, 2),
      ['src/user.service.ts', 'src/user.service.tsx']);
  });

  it('`..` and `.` resolve; a directory specifier is its index files', () => {
    assert.deepEqual(candidatePaths('typescript', 'src/app/main.ts', '../lib/x').slice(0, 1), ['src/lib/x.ts']);
    assert.deepEqual(candidatePaths('typescript', 'src/app/main.ts', './a/../b/./c').slice(0, 1), ['src/app/b/c.ts']);
    assert.deepEqual(candidatePaths('typescript', 'src/main.ts', '.').slice(0, 3), ['src/index.ts', 'src/index.tsx', 'src/index.d.ts']);
    assert.deepEqual(candidatePaths('typescript', 'src/main.ts', '..').slice(0, 1), ['index.ts']);
    assert.deepEqual(candidatePaths('typescript', 'src/main.ts', './lib/').slice(0, 1), ['src/lib/index.ts']);
    assert.equal(candidatePaths('typescript', 'src/main.ts', '.').length, 7);
  });

  it('never above the workspace folder; bare packages have none', () => {
    assert.deepEqual(candidatePaths('typescript', 'main.ts', '../x'), []);
    assert.deepEqual(candidatePaths('typescript', 'src/main.ts', '../../x'), []);
    assert.deepEqual(candidatePaths('typescript', 'src/main.ts', 'react'), []);
    assert.deepEqual(candidatePaths('typescript', 'src/main.ts', '@scope/x'), []);
  });

  it('Python: module then package, relative to the importing file\'s package; each further dot one package up', () => {
    assert.deepEqual(candidatePaths('python', 'pkg/sub/mod.py', '.models'), ['pkg/sub/models.py', 'pkg/sub/models/__init__.py']);
    assert.deepEqual(candidatePaths('python', 'pkg/sub/mod.py', '..pkg2.mod'), ['pkg/pkg2/mod.py', 'pkg/pkg2/mod/__init__.py']);
    assert.deepEqual(candidatePaths('python', 'pkg/sub/mod.py', '.'), ['pkg/sub/__init__.py']);
    assert.deepEqual(candidatePaths('python', 'pkg/sub/mod.py', '..'), ['pkg/__init__.py']);
    assert.deepEqual(candidatePaths('python', 'pkg/sub/mod.py', '...'), ['__init__.py']);
    assert.deepEqual(candidatePaths('python', 'mod.py', '.x'), ['x.py', 'x/__init__.py']);
  });

  it('Python, absolute: from the parent of the file\'s own package when it names a folder the file is in', () => {
    assert.deepEqual(candidatePaths('python', 'email/mime/base.py', 'email.message'), ['email/message.py', 'email/message/__init__.py']);
    assert.deepEqual(candidatePaths('python', 'email/feedparser.py', 'email'), ['email.py', 'email/__init__.py']);
    assert.deepEqual(candidatePaths('python', 'src/pkg/sub/a.py', 'pkg.b'), ['src/pkg/b.py', 'src/pkg/b/__init__.py']);
    // Nested folders of the same name: the nearest.
    assert.deepEqual(candidatePaths('python', 'pkg/pkg/a.py', 'pkg.b'), ['pkg/pkg/b.py', 'pkg/pkg/b/__init__.py']);
  });

  it('Python, absolute: otherwise from the file\'s folder, its parent and the root, nearest first', () => {
    assert.deepEqual(candidatePaths('python', 'proj/app1/views.py', 'app2.models'), [
      'proj/app1/app2/models.py', 'proj/app1/app2/models/__init__.py', 'proj/app2/models.py', 'proj/app2/models/__init__.py',
      'app2/models.py', 'app2/models/__init__.py',
    ]);
    assert.deepEqual(candidatePaths('python', 'a/b/c/d/e.py', 'os').length, 6);
    assert.deepEqual(candidatePaths('python', 'tests/test_x.py', 'os.path'), ['tests/os/path.py', 'tests/os/path/__init__.py', 'os/path.py', 'os/path/__init__.py']);
    assert.deepEqual(candidatePaths('python', 'main.py', 'utils'), ['utils.py', 'utils/__init__.py']);
    assert.deepEqual(candidatePaths('python', 'main.py', 'a..b'), []);
  });

  it('Python: never above the root; other languages have none', () => {
    assert.deepEqual(candidatePaths('python', 'pkg/mod.py', '...x'), []);
    assert.deepEqual(candidatePaths('python', 'mod.py', '..'), []);
    assert.deepEqual(candidatePaths('go', 'main.go', './x'), []);
  });
});

describe('topLevelDeclarations', () => {
  const ts = [
    "import { z } from './z';",                   // 0
    '',                                            // 1
    'export default function main() {}',           // 2
    'export async function load(): Promise<void> {', // 3
    '  const inner = 1;',                          // 4
    '}',                                           // 5
    'declare const VERSION: string;',              // 6
    'export abstract class Base {}',               // 7
    '@Component({})',                              // 8
    'export class Widget {}',                      // 9
    'interface Shape { sides: number }',           // 10
    'export type Id = string;',                    // 11
    'export const enum Color { Red }',             // 12
    'enum Plain { A }',                            // 13
    'let counter = 0, other = 1;',                 // 14
    'var legacy;',                                 // 15
    'export const { a, b } = pair();',             // 16
    'function* gen() {}',                          // 17
    'export declare namespace NS {}',              // 18
    'main();',                                     // 19
    '  function indented() {}',                    // 20
    '// function commented() {}',                  // 21
  ];

  it('every column-0 declaration, with or without modifiers; decorators are not the start', () => {
    assert.deepEqual(topLevelDeclarations(ts, []), [2, 3, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
  });

  it('with names: only the declarations of those names (case-sensitive)', () => {
    assert.deepEqual(topLevelDeclarations(ts, ['load', 'Widget', 'b', 'gen', 'counter']), [3, 9, 14, 16, 17]);
    assert.deepEqual(topLevelDeclarations(ts, ['inner', 'indented', 'commented', 'widget', 'other']), []);
  });

  it('`default` is the default export, also `export default name;` and an exported expression', () => {
    assert.deepEqual(topLevelDeclarations(ts, ['default']), [2]);
    const aliased = ['function helper() {}', 'class Impl {}', 'export default Impl;'];
    assert.deepEqual(topLevelDeclarations(aliased, ['default']), [1]);
    assert.deepEqual(topLevelDeclarations(aliased, []), [0, 1]);
    assert.deepEqual(topLevelDeclarations(['const x = 1;', 'export default {', '  x,', '};'], ['default']), [1]);
    assert.deepEqual(topLevelDeclarations(['export default function () {}'], ['default']), [0]);
  });

  it('Python: def, async def, class and module-level assignments', () => {
    const py = [
      'import os',              // 0
      'MAX = 10',               // 1
      'timeout: float = 2.5',   // 2
      '',                       // 3
      '@dataclass',             // 4
      'class Point:',           // 5
      '    x: int = 0',         // 6
      '',                       // 7
      'def area(r):',           // 8
      '    inner = 1',          // 9
      'async def fetch(url):',  // 10
      'if MAX == 10:',          // 11
      'else: y = 1',            // 12
      'print(MAX)',             // 13
      '__all__ = ["area"]',     // 14
    ];
    assert.deepEqual(topLevelDeclarations(py, []), [1, 2, 5, 8, 10, 14]);
    assert.deepEqual(topLevelDeclarations(py, ['fetch', 'Point', 'timeout', 'inner', 'x']), [2, 5, 10]);
  });

  it('imports are no declarations: `require`, `import()`, `import …`, `from … import`, `export … from`', () => {
    const js = [
      "'use strict'",                                         // 0
      "const debug = require('../internal/debug')",           // 1
      "const { MAX_LENGTH } = require('../internal/constants')", // 2
      "let lazy = require('./lazy').sub",                     // 3
      "const mod = await import('./mod.js');",                // 4
      "import { z } from './z';",                             // 5
      "export { a, b as c } from './ab';",                    // 6
      "export * from './all';",                               // 7
      'from os import path',                                  // 8
      'const required = requirements(1);',                    // 9
      "const fromConfig = load('./x');",                      // 10
      'const isReady = (a) => a;',                            // 11
      'class SemVer {',                                       // 12
    ];
    assert.deepEqual(topLevelDeclarations(js, []), [9, 10, 11, 12]);
    assert.deepEqual(topLevelDeclarations(js, ['debug', 'MAX_LENGTH', 'SemVer']), [12]);
  });

  it('a `default:` label or a call is no declaration; a huge line costs only its head', () => {
    assert.deepEqual(topLevelDeclarations(['default:', 'type(x)', 'functional()', `const big = "${'x'.repeat(1_000_000)}";`], []), [3]);
  });
});
