// Bundles the action's two entry points into dist/ (committed; CI checks it equals a fresh build).
import { build } from 'esbuild';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire, isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';

await rm('dist', { recursive: true, force: true });
await mkdir('dist');
// @actions/core imports @actions/http-client (and with it undici, a third of the bundle) only for
// getIDToken, and @actions/exec only for getDetails (platform facts); deploy-guard calls neither.
// Resolve them, for @actions/core, to modules that say so if they ever are called, so no run loads
// them there: @actions/exec then loads only with git (src/git.ts), after the inputs are read.
// (http-client's proxy rules, a few lines without imports, are bundled: proxy.ts uses them.)
const LEFT_OUT = {
  '@actions/http-client': ['HttpClient', 'BearerCredentialHandler'],
  '@actions/http-client/lib/auth': ['BearerCredentialHandler'],
  '@actions/exec': ['exec', 'getExecOutput'],
};
const insideActionsCore = /[\\/]node_modules[\\/]@actions[\\/]core[\\/]/;
const leftOut = {
  name: 'left-out-of-bundle',
  setup(build) {
    build.onResolve({ filter: /^@actions\/(http-client|exec)(\/.*)?$/ }, (args) =>
      args.path === '@actions/http-client/lib/proxy' || (args.path === '@actions/exec' && !insideActionsCore.test(args.importer))
        ? undefined
        : { path: args.path, namespace: 'left-out' },
    );
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => {
      const message = `${args.path} is left out of the deploy-guard bundle (deploy-guard does not use it)`;
      const names = LEFT_OUT[args.path];
      if (!names) throw new Error(`no stand-in for ${args.path}; add it to LEFT_OUT in scripts/build.mjs`);
      const unused = `const unused = () => { throw new Error(${JSON.stringify(message)}); };`;
      return { contents: [unused, ...names.map((name) => `export function ${name}() { unused(); }`)].join('\n'), loader: 'js' };
    });
  },
};

// @actions/github builds getOctokit's default `request` when it loads: an agent from its own
// @actions/http-client and a fetch from undici, through a proxy picked once for GITHUB_API_URL.
// client.ts replaces that whole `request` with its own fetch (proxy.ts picks the proxy per request),
// so both are made and never used, and as they are they would load all of undici (280 KB minified)
// and http-client's tunnel, https and tls on every run. For @actions/github those two imports are
// these stand-ins: no agent, no dispatcher, and a fetch that says why if anything ever calls it.
const insideActionsGithub = /[\\/]node_modules[\\/]@actions[\\/]github[\\/]/;
const ACTIONS_GITHUB_STAND_INS = {
  '@actions/http-client': 'export class HttpClient { getAgent() { return undefined; } getAgentDispatcher() { return undefined; } }',
  undici: `export function fetch() { throw new Error(${JSON.stringify(
    "@actions/github's default fetch is left out of the deploy-guard bundle: Octokit gets deploy-guard's own (src/proxy.ts)",
  )}); }`,
};
const actionsGithubDefaults = {
  name: 'actions-github-default-request',
  setup(build) {
    build.onResolve({ filter: /^(@actions\/http-client|undici)$/ }, (args) =>
      insideActionsGithub.test(args.importer) ? { path: args.path, namespace: 'actions-github-stand-in' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'actions-github-stand-in' }, (args) => ({ contents: ACTIONS_GITHUB_STAND_INS[args.path], loader: 'js' }));
  },
};

// Node's built-in modules are loaded with require(), not imported. Imported into an ES module, each
// gets an ES module facade holding every one of its exports, which reads every lazy export too:
// node:http's facade loads undici (Node's fetch, about 17 ms and 14 MiB) for its fetch-based
// exports, node:fs's loads fs/promises and readline. A deploy's main step reached its first API
// request 19 ms sooner without the facades (a CPU profile: getESMFacade 19.6 ms, 17.2 of it
// undici), for built-ins deploy-guard uses a few functions of.
const BUILTIN_NAMES = new Set(builtinModules);
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_]+(\/[a-z_]+)*$/ }, (args) => {
      if (!isBuiltin(args.path) || !BUILTIN_NAMES.has(args.path.replace(/^node:/, ''))) return undefined;
      // The require() in the stand-in below stays a require() of the built-in.
      if (args.namespace === 'builtin-required') return { path: args.path, external: true };
      return { path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'builtin-required' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin-required' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

// CommonJS code inside the ESM bundle calls require(); the chunk that needs one gets it (below).
const BANNER = "import { createRequire as __dgCreateRequire } from 'node:module';\nconst require = __dgCreateRequire(import.meta.url);";

// yaml's package gives Node its CommonJS build, which esbuild cannot tree-shake; its ES module
// build is the same code, so deploy-guard, which only parses, takes that one and bundles parse().
const yamlAsModule = {
  name: 'yaml-as-es-module',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: fileURLToPath(new URL('../node_modules/yaml/browser/dist/index.js', import.meta.url)) }));
  },
};

// undici's index is CommonJS, which esbuild cannot tree-shake: it would bundle all of undici (fetch,
// WebSocket, caches). proxy.ts uses only ProxyAgent, so `undici` resolves to a module with just that,
// set up as undici's index sets it up (the dispatcher API methods: ProxyAgent tunnels with connect()).
const UNDICI_PROXY_AGENT = `
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';
Object.assign(Dispatcher.prototype, api);
export { ProxyAgent };
`;
// undici's HTTP parser (llhttp) is WebAssembly held as base64 in two modules of 65 KB each (with
// and without SIMD; it tries the first). Brotli takes each to 18 KB: the same bytes, unpacked when
// the proxy chunk loads (about a millisecond), checked here to be the same.
const LLHTTP_WASM = /[\\/]undici[\\/]lib[\\/]llhttp[\\/]llhttp(_simd)?-wasm\.js$/;
function packedWasmModule(path) {
  const wasm = createRequire(import.meta.url)(path);
  const packed = brotliCompressSync(wasm);
  if (!brotliDecompressSync(packed).equals(wasm)) throw new Error(`${path}: brotli did not give the same bytes back`);
  return [
    "'use strict'",
    "const { Buffer } = require('node:buffer')",
    "const { brotliDecompressSync } = require('node:zlib')",
    `module.exports = brotliDecompressSync(Buffer.from('${packed.toString('base64')}', 'base64'))`,
  ].join('\n');
}
const undiciProxyAgentOnly = {
  name: 'undici-proxy-agent-only',
  setup(build) {
    build.onLoad({ filter: LLHTTP_WASM }, (args) => ({ contents: packedWasmModule(args.path), loader: 'js' }));
    build.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-proxy-agent' }));
    build.onLoad({ filter: /.*/, namespace: 'undici-proxy-agent' }, () => ({
      contents: UNDICI_PROXY_AGENT,
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
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
  plugins: [actionsGithubDefaults, leftOut, yamlAsModule, undiciProxyAgentOnly, builtinsThroughRequire],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: BANNER },
  // Minified, as the project was specified: a third of the size to load on every run.
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
// esbuild puts the banner in every file; keep it only where `require` is used (esbuild's
// __require helper, in the shared runtime chunk), which saves 17 copies of it.
const usesRequire = /(?<![\w$.-])require(?![\w$-])/;
for (const file of await readdir('dist', { recursive: true })) {
  if (!file.endsWith('.js')) continue;
  const path = `dist/${file}`;
  const text = await readFile(path, 'utf8');
  if (!text.startsWith(`${BANNER}\n`)) throw new Error(`${path} does not start with the require banner`);
  const body = text.slice(BANNER.length + 1);
  if (!usesRequire.test(body)) await writeFile(path, body);
}
// The bundles are ESM whatever package.json sits above them when the action is used.
await writeFile('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
