// Bundles the action's two entry points into dist/ (committed; CI checks it equals a fresh build).
import { build } from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await mkdir('dist');
// @actions/core imports @actions/http-client (and with it undici, a third of the bundle) only for
// getIDToken, which deploy-guard never calls. Resolve it to a module that says so if it ever is.
const withoutHttpClient = {
  name: 'without-actions-http-client',
  setup(build) {
    build.onResolve({ filter: /^@actions\/http-client(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      contents: `const unused = () => { throw new Error(${JSON.stringify(`${args.path} is left out of the deploy-guard bundle (it serves OIDC tokens, which deploy-guard does not use)`)}); };
export class HttpClient { constructor() { unused(); } }
export class BearerCredentialHandler { constructor() { unused(); } }`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: { index: 'src/index.ts', post: 'src/post.ts' },
  outdir: 'dist',
  bundle: true,
  // Each mode loads only what it uses: YAML and zod for the checks input, the rest in shared chunks.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [withoutHttpClient],
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
