// What the main step loads once its inputs are valid, as one module: the real dependencies, the
// modes, and what the end of a run reports with. One dynamic import keeps dist/ in few files: each
// ES module a step loads costs it about 100 KB (/usr/bin/time -f %M: ten one-line modules peak
// 1 MiB above one, Node 24.9), and every dynamic import splits the modules it shares into more.
export { createRealDeps } from './real-deps.ts';
export { run } from './run.ts';
export { notifyEventOf } from './report/notify-payload.ts';
