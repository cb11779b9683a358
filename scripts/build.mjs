// Bundles the action's two entry points into dist/ (committed; CI checks it equals a fresh build).
import { build } from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await mkdir('dist');
// @actions/core imports @actions/http-client (and with it undici, a third of the bundle) only for
// getIDToken, and @actions/exec only for getDetails (platform facts); deploy-guard calls neither.
// Resolve them to modules that say so if they ever are called, so no run loads them.
const LEFT_OUT = {
  '@actions/http-client': ['HttpClient', 'BearerCredentialHandler'],
  '@actions/http-client/lib/auth': ['BearerCredentialHandler'],
  '@actions/exec': ['exec', 'getExecOutput'],
};
const leftOut = {
  name: 'left-out-of-bundle',
  setup(build) {
    build.onResolve({ filter: /^@actions\/(http-client|exec)(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'left-out' }));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => {
      const message = `${args.path} is left out of the deploy-guard bundle (deploy-guard does not use it)`;
      const names = LEFT_OUT[args.path];
      if (!names) throw new Error(`no stand-in for ${args.path}; add it to LEFT_OUT in scripts/build.mjs`);
      const unused = `const unused = () => { throw new Error(${JSON.stringify(message)}); };`;
      return { contents: [unused, ...names.map((name) => `export function ${name}() { unused(); }`)].join('\n'), loader: 'js' };
    });
  },
};

await build({
  entryPoints: { index: 'src/index.ts', post: 'src/post.ts' },
  outdir: 'dist',
  bundle: true,
  // Each mode loads only what it uses: YAML and zod for the checks input, the rest in shared chunks.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [leftOut],
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
