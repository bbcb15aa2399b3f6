// Two builds: one CommonJS bundle for the extension host (`vscode` is provided by it at run time),
// and each webview's script as a browser IIFE written to media/, the one folder the webviews may
// load from (localResourceRoots); media/*.js are build output, not sources.
// --production minifies without sourcemaps (packaging); the default build keeps sourcemaps for F5.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
  metafile: true,
};

const contexts = await Promise.all([
  esbuild.context({
    ...common,
    entryPoints: ['src/extension.ts'],
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: 'dist/extension.js',
    external: ['vscode'],
  }),
  esbuild.context({
    ...common,
    // The output names are what the panels load: media/explain.js and media/settings.js.
    entryPoints: { explain: 'src/webview/scripts/explainView.ts', settings: 'src/webview/scripts/settingsView.ts' },
    format: 'iife',
    platform: 'browser',
    // Every browser VS Code's webviews run in (desktop Chromium, or the user's browser on the web).
    target: 'es2022',
    outdir: 'media',
    // Inline, so a development build leaves no .map file in media/ for packaging to pick up.
    sourcemap: production ? false : 'inline',
  }),
]);

if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  for (const context of contexts) {
    const result = await context.rebuild();
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (!file.endsWith('.map')) console.log(`${file}: ${(output.bytes / 1024).toFixed(1)} KiB${production ? ' (minified)' : ''}`);
    }
    await context.dispose();
  }
}
