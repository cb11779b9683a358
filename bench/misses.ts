// Why a goal is missed and what would close it, printed under the results for goals that miss.
// Written from measurements on this machine (2 cores, Node 24.9.0); keep them true when the code changes.
export const MISS_EXPLANATIONS: Record<string, string> = {
  '1a':
    'Before its first request a deploy loads index.js and its chunks, reads and checks its inputs (one zod schema), reads HEAD ' +
    'through git and loads Node\'s own fetch (undici, compiled on first use); the baseline loads one file and requests at once. In a ' +
    'CPU profile of a run that stops at its input error (72 ms), zod\'s parse of the inputs takes 16.5 ms and building the schema about ' +
    '4 ms; before the schema a deploy took 1.07x and 1.13x the baseline here. Closing it: build the schema lazily or from a smaller ' +
    'validator, and fewer chunks on the deploy path; not done.',
  '1b':
    'Measured with /usr/bin/time -f %M on Node 24.9: `node -e 0` peaks at 44.9 MiB; an empty ES module peaks at 45.3 MiB (46,356 KB) ' +
    'at a path of 32 characters and at 47.1 MiB (48,236 KB) at 33 or more, as every real install path is (46,748 KB with ' +
    'UV_THREADPOOL_SIZE=1: libuv\'s worker threads). The built-ins @actions/core loads at import (fs, os, path, fs.promises, crypto) ' +
    'add 4.0 MiB more (52,424 KB). deploy-guard\'s own share is the rest, about 3 MiB: 10 modules and 80 KB of JavaScript before a ' +
    'bad input\'s error (zod 30 KB), its schema built (0.55 MB) and run (0.25 MB). Done: built-ins loaded with require() and dist/ in ' +
    'fewer files (17 modules before that error, now 10): 55.6 -> 55.1 to 55.5 MiB. Not done: loading crypto and fs.promises when first ' +
    'used would help only runs that write no outputs and no summary (every run on a runner writes them), and a smaller libuv pool ' +
    '(set from a CommonJS entry) would queue health checks\' DNS lookups behind file I/O.',
  '2a':
    'Most of a healthy deploy\'s main step is waiting (a CPU profile of one: 550 of 810 ms idle): on the API double (the claim\'s GraphQL ' +
    'query is executed by graphql-js against GitHub\'s schema extract; refs are written with git in a bare repository) and on git and ' +
    'the deploy command. At dc62198 (REST only, no input schema) it measured 362 ms. Not yet split between the double and the action.',
  '2b':
    'Measured on Node 24.9: `node -e 0` peaks at 45 MiB, nearly all of it pages of the node binary; a script that makes one fetch ' +
    'peaks at 63 MiB (Node\'s undici and its llhttp WebAssembly), and after a few more requests at 88 MiB, because V8 recompiles ' +
    'llhttp with its optimizing compiler (about 20 MiB for those functions). src/wasm-tiering.ts keeps WebAssembly in the baseline ' +
    'tier: the main step went from 88.7 to 69.6 MiB; the input schema adds about 2 MiB (see 1b), and time zone data, loaded by every ' +
    'deploy until b9901c7, 8 MiB more. The rest is deploy-guard\'s own heap (13 MiB used, 1.5 MiB of it @actions/github\'s endpoint ' +
    'table) and V8\'s young generation (8 MiB committed; a growth factor of 1 would take ~1.3 MiB off, not applied). Closing it: the ' +
    'input schema as in 1b; further, API calls and HTTP checks through node:http (its parser is native), not attempted.',
  '6b':
    'heapUsed is flat (1.9 MiB over 900 rounds at a 5 ms interval, and the kept rounds explain it: about 2 KB a round), but V8 grows its ' +
    'heap (heapTotal 27.6 -> 77.8 MiB) under the allocation rate of a fetch every 5 ms, and RSS follows; it is not given back after gc(). ' +
    'At the default 10 s interval that rate is 2,000 times lower. Closing it: fewer allocations per probe (node:http with a kept-alive ' +
    'agent instead of fetch) and a cap on the rounds kept for the report.',
};
