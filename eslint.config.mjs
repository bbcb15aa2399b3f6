// Lint: typescript-eslint's recommended rules, plus the line that keeps the pure core free of
// `vscode` at runtime (type-only imports are fine): only `vscode/` folders and extension.ts may.
// media/*.js are the webview scripts built from src/webview/scripts/, which are linted as sources.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'media/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/vscode/**', 'src/extension.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Pure modules must not import vscode at runtime; move the code to a vscode/ folder.', allowTypeImports: true }],
      }],
    },
  },
);
