// How V8 runs deploy-guard: a process that mostly waits (on GitHub, on its commands, between health
// rounds) and does little work, so memory matters more than peak speed. Set once, before the
// process's first request (the client is built before any request: github/client.ts).
//
// - Requests go through node:http (http/node-fetch.ts), but through a proxy Node's fetch, which
//   parses HTTP with llhttp compiled to WebAssembly. After a few requests V8 recompiles llhttp's hot
//   functions with its optimizing compiler, which for those large functions takes about 20 MiB.
//   V8 reads the tiering budget when a module is instantiated, so it is set before the first request.
// - V8 grows its young generation under a steady allocation rate (health rounds), up to 64 MiB,
//   and keeps it: a growth factor of 1 keeps it at its starting size.
// - V8's optimizing compilers (Maglev, Turbofan) compile functions that run often, and the memory
//   they compile in stays with the process: over 900 health rounds, RSS grew 3 to 7 MiB with them
//   and under 0.1 MiB without (bench goal 6b); each round took about 1 ms more CPU.
// V8 keys the cache Node compiles its built-in modules from by the flags, so a built-in loaded after
// the change is compiled from scratch: Node's fetch, if a proxy needs it, takes about 15 ms more.
import { setFlagsFromString } from 'node:v8';

let tuned = false;

/** Applies the flags above for the rest of the process (once). */
export function tuneRuntime(): void {
  if (tuned) return;
  tuned = true;
  // The budget a function spends before it is optimized: the largest value the flag takes.
  setFlagsFromString('--wasm-tiering-budget=2147483647');
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--no-maglev');
  setFlagsFromString('--no-turbofan');
}
