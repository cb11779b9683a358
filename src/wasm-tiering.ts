// Node's fetch parses HTTP with llhttp compiled to WebAssembly. After a few requests V8 recompiles
// llhttp's hot functions with its optimizing compiler, which for those large functions takes about
// 20 MiB: a quarter of a deploy's memory, to parse a few dozen small answers faster. V8 reads the
// tiering budget when a module is instantiated, so this must run before the process's first request.
// V8 keys the cache Node compiles its built-in modules from by the flags, so a built-in loaded after
// the change is compiled from scratch: fetch's own JavaScript (undici, ~15 ms of it) is loaded first.
import { setFlagsFromString } from 'node:v8';

let kept = false;

/** Keeps WebAssembly in V8's baseline compiler (Liftoff) for the rest of the process. */
export function keepWasmInBaselineTier(): void {
  if (kept) return;
  kept = true;
  void globalThis.Response;
  // The budget a function spends before it is optimized: the largest value the flag takes.
  setFlagsFromString('--wasm-tiering-budget=2147483647');
}
