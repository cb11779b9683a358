// Why a goal is missed and what would close it, printed under the results for goals that miss.
// Written from measurements on this machine (2 cores, Node 24.9.0); keep them true when the code changes.
export const MISS_EXPLANATIONS: Record<string, string> = {
  '1a':
    'Before its first request a deploy loads index.js and its chunks, reads and checks its inputs, and loads Node\'s own fetch ' +
    '(undici, compiled on first use); the baseline loads one file. Since the inputs are checked by one zod schema (7ed9c71), ' +
    'zod comes first: in a CPU profile of a run that stops at its input error (72 ms), zod\'s parse of the inputs takes 16.5 ms ' +
    'and building the schema about 4 ms. Before that change a deploy took 1.07x and 1.13x the baseline here (1.33x under a load ' +
    'average of 3.6); with it 1.54x (112 vs 72.7 ms), and ' +
    'main at abd5fca alone measured the same as this branch (medians 117 and 111 ms, alternating). Closing it: build the schema ' +
    'lazily or from a smaller validator, and fewer chunks on the deploy path.',
  '1b':
    'The run that stops at its input error peaked at 54.4 MiB before the inputs were checked by one zod schema (7ed9c71); zod and ' +
    'the schema are now loaded and built before any input is read: 63.1 MiB for main at abd5fca and for this branch alike ' +
    '(64,592 and 64,684 KiB). Closing it: check the inputs without building the whole zod schema up front.',
  '2b':
    'Measured on Node 24.9: `node -e 0` peaks at 45 MiB, nearly all of it pages of the node binary; a script that makes one fetch ' +
    'peaks at 63 MiB (Node\'s undici and its llhttp WebAssembly), and after a few more requests at 88 MiB, because V8 recompiles ' +
    'llhttp with its optimizing compiler (about 20 MiB for those functions). src/wasm-tiering.ts keeps WebAssembly in the baseline ' +
    'tier: the main step went from 88.7 to 69.6 MiB. The input schema (7ed9c71) added 8 MiB: 77.9 MiB with it (main at abd5fca ' +
    'alone: 97.1 MiB). The rest is deploy-guard\'s own heap (13 MiB used, 1.5 MiB of it @actions/github\'s endpoint table) and ' +
    'V8\'s young generation (8 MiB committed; a growth factor of 1 would take ~1.3 MiB off). Closing it: the input schema as in 1b; ' +
    'further, API calls and HTTP checks through node:http (its parser is native), not attempted.',
  '3b':
    'Ten requests: gate 2 (the open labeled issues, and deploy-guard\'s record of its incidents, refs/<prefix>/<env>/incidents/, ' +
    'which keeps a triager from unblocking by taking the label off: issue 12), deployment 1, in_progress 1, the deployments made before ' +
    'it 1 and the statuses of the one before 1 (the one-deploy-at-a-time claim, which also finds the newest version that passed its ' +
    'window), known-good tag 1, pre-deploy tag 1, known-good move 1, success 1. Closing it: read the records, the deployments with ' +
    'their statuses and the known-good ref in one GraphQL query, or drop the in_progress status (GitHub then shows the deployment ' +
    'as pending while it runs); issue 13 restates this goal. Kept at 10 for now.',
  '6b':
    'heapUsed is flat (1.9 MiB over 900 rounds at a 5 ms interval, and the kept rounds explain it: about 2 KB a round), but V8 grows its ' +
    'heap (heapTotal 27.6 -> 77.8 MiB) under the allocation rate of a fetch every 5 ms, and RSS follows; it is not given back after gc(). ' +
    'At the default 10 s interval that rate is 2,000 times lower. Closing it: fewer allocations per probe (node:http with a kept-alive ' +
    'agent instead of fetch) and a cap on the rounds kept for the report.',
};
