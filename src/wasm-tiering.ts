// Node's fetch parses HTTP with llhttp compiled to WebAssembly. After a few requests V8 recompiles
// llhttp's hot functions with its optimizing compiler, which for those large functions takes about
// 20 MiB: a quarter of a deploy's memory, to parse a few dozen small answers faster. V8 reads the
// tiering budget when a module is instantiated, so this must run before the process's first request.
import { setFlagsFromString } from 'node:v8';

let kept = false;

/** Keeps WebAssembly in V8's baseline compiler (Liftoff) for the rest of the process. */
export function keepWasmInBaselineTier(): void {
  if (kept) return;
  kept = true;
  // The budget a function spends before it is optimized: the largest value the flag takes.
  setFlagsFromString('--wasm-tiering-budget=2147483647');
}
