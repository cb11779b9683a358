// Bundles the action's two entry points into dist/ (committed; CI checks it equals a fresh build).
import { build } from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await mkdir('dist');
await build({
  entryPoints: { index: 'src/index.ts', post: 'src/post.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS code inside the ESM bundle calls require(); give it one.
  banner: { js: "import { createRequire as __dgCreateRequire } from 'node:module';\nconst require = __dgCreateRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
});
// The bundles are ESM whatever package.json sits above them when the action is used.
await writeFile('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
