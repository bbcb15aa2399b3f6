import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explainPath, explainRefusal } from '../../src/explain/explainTarget';
import { DEFAULT_EXCLUDE } from '../../src/settings/excludePolicy';
import { DOCUMENT_SCHEMES, isDocumentScheme } from '../../src/util/documentSchemes';
import { buildExplainPrompt } from '../../src/explain/explainPrompt';

const J = '\u2060';

describe('explainPath: the path the prompt names the document by', () => {
  test('inside a workspace folder: the workspace-relative path', () => {
    assert.equal(explainPath({ scheme: 'file', workspacePath: 'src/add.py', fileName: '/home/alice/proj/src/add.py' }), 'src/add.py');
    assert.equal(explainPath({ scheme: 'file', workspacePath: 'src\\add.py', fileName: 'C:\\proj\\src\\add.py' }), 'src/add.py');
  });

  test('a notebook cell in a folder: its notebook\'s relative path', () => {
    assert.equal(explainPath({ scheme: 'vscode-notebook-cell', workspacePath: 'nb/x.ipynb',
      fileName: '/home/alice/proj/nb/x.ipynb' }), 'nb/x.ipynb');
  });

  test('outside every folder: only the file name', () => {
    assert.equal(explainPath({ scheme: 'vscode-notebook-cell', workspacePath: '/home/alice/proj/x.ipynb',
      fileName: '/home/alice/proj/x.ipynb' }), 'x.ipynb');
    assert.equal(explainPath({ scheme: 'file', workspacePath: 'C:\\Users\\alice\\x.py', fileName: 'C:\\Users\\alice\\x.py' }), 'x.py');
    assert.equal(explainPath({ scheme: 'file', workspacePath: '\\\\server\\share\\x.py', fileName: '\\\\server\\share\\x.py' }), 'x.py');
    assert.equal(explainPath({ scheme: 'untitled', workspacePath: undefined, fileName: 'Untitled-1' }), 'Untitled-1');
  });

  test('the exact path that goes into the prompt', () => {
    const relativePath = explainPath({ scheme: 'vscode-notebook-cell', workspacePath: '/home/alice/proj/x.ipynb',
      fileName: '/home/alice/proj/x.ipynb' });
    const prompt = buildExplainPrompt({ languageId: 'python', relativePath, selection: 'x = 1', startLine: 1, endLine: 1,
      before: '', after: '' }, 10_000);
    const text = JSON.stringify(prompt);
    assert.ok(text.includes('x.ipynb'));
    assert.ok(!text.includes('alice'), 'no folder of the path is sent');
  });
});

describe('explainRefusal', () => {
  test('the schemes completions use are explained; others are refused with a clear message', () => {
    assert.deepEqual(DOCUMENT_SCHEMES, ['file', 'untitled', 'vscode-notebook-cell', 'vscode-remote']);
    for (const scheme of DOCUMENT_SCHEMES) {
      assert.equal(explainRefusal({ scheme, workspacePath: 'a.py', fileName: 'a.py' }, DEFAULT_EXCLUDE), undefined, scheme);
    }
    for (const scheme of ['git', 'output', 'vscode-userdata', 'vscode-settings', 'extension-output', 'debug']) {
      assert.equal(isDocumentScheme(scheme), false);
      assert.equal(explainRefusal({ scheme, workspacePath: '/User/settings.json', fileName: '/User/settings.json' }, []),
        `Infill does not explain this document (${scheme}:): it explains files, untitled buffers and notebook cells, as it completes them.`);
    }
  });

  test('an excluded file is refused by name, and the name shows literally', () => {
    assert.equal(explainRefusal({ scheme: 'file', workspacePath: 'config/.env', fileName: '/p/config/.env' }, DEFAULT_EXCLUDE),
      'Infill does not explain .env: it matches infill.exclude, and such files (secrets, keys) are never sent to the model.');
    assert.equal(explainRefusal({ scheme: 'file', workspacePath: 'k/[x](command:workbench.action.quit).pem',
      fileName: '/p/k/[x](command:workbench.action.quit).pem' }, ['**/*.pem']),
    `Infill does not explain [x]${J}(command:workbench.action.quit).pem: it matches infill.exclude, ` +
      'and such files (secrets, keys) are never sent to the model.');
  });
});
