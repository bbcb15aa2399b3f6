// One CommonJS bundle for the extension host; `vscode` is provided by it at run time.
// --production minifies without sourcemaps (packaging); the default build keeps sourcemaps for F5.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const context = await esbuild.context({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
  metafile: true,
});

if (watch) {
  await context.watch();
} else {
  const result = await context.rebuild();
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`bundle: ${(bytes / 1024).toFixed(1)} KiB${production ? ' (minified)' : ''}`);
  await context.dispose();
}
