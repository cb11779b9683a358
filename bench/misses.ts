// Why a goal is missed and what would close it, printed under the results for goals that miss.
// Written from measurements on this machine (2 cores, Node 24.9.0); keep them true when the code changes.
export const MISS_EXPLANATIONS: Record<string, string> = {
  '1a':
    'Before its first request a deploy loads index.js and its chunks, reads and checks its inputs (one zod schema) and builds its ' +
    'client; the baseline loads one file and requests at once. Measured at 1.29x on a quiet machine before three changes (cda7f81): ' +
    'built-ins loaded with require() (node:http\'s ES module facade loaded undici, 17 ms), no Bottleneck yields before each request ' +
    '(about 9 ms), dist/ in fewer files; then 1.02x to 1.09x. A CPU profile is the way in if it misses again.',
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
    'Most of a healthy deploy\'s main step is waiting on the API double, git and the deploy command. It measured 386 to 408 ms before ' +
    'the throttling plugin\'s Bottleneck yields were taken out of every request (about 9 ms each, 8 requests; cda7f81), 311 to 340 ms ' +
    'after. A CPU profile of the main step is the way in if it misses again.',
  '2b':
    'Measured on Node 24.9: `node -e 0` peaks at 45 MiB; loading Node\'s fetch (undici) alone costs about 14 MiB, which is why ' +
    'requests without a proxy go through node:http (http/node-fetch.ts) and built-ins are loaded with require() (node:http\'s ES ' +
    'module facade loads undici). The main step peaked at 70.9 MiB before those, 63.6 to 64.1 MiB after. What is left is deploy-' +
    'guard\'s heap (about 11 MiB used, @actions/github\'s endpoint table among it) and V8\'s young generation.',
  '6b':
    'Before 31fadd0 RSS grew about 60 MiB over 900 rounds at a 5 ms interval while heapUsed stayed flat: V8 grew its young generation ' +
    'under the allocation rate of a fetch every 5 ms, its optimizing compilers kept the memory they compiled in, and fetch itself ' +
    'kept native memory. Now checks go through node:http and runtime-tuning.ts fixes the young generation and turns the optimizing ' +
    'compilers off: 0.5 MiB. If it grows again, compare /proc/self/smaps between round 100 and round 1000.',
};
