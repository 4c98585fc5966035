// Waiting for the GPU without spinning a CPU core.
//
// Dawn's Node binding learns that GPU work has finished (mapAsync, onSubmittedWorkDone) by
// calling the instance's ProcessEvents from a callback that it re-queues with the global
// `setImmediate` for as long as any such promise is pending (AsyncRunner in dawn/node): a
// busy loop on the main thread, ~10^4-10^5 turns per second. On a hardware GPU that costs an
// otherwise idle core and gives the lowest latency. On a software adapter (lavapipe) the
// "GPU" is the machine's cores, so the spinning thread takes a core from the shader threads:
// on 2 cores, a readback-bound loop of matmuls ran 1.6-1.8x slower spinning than sleeping
// (bench/gpu-wait.ts).
//
// Mode 'sleep': while the engine awaits the GPU, the global `setImmediate` is swapped for
//   poll 0 of a wait:   the real setImmediate (work that is already done returns at once)
//   every later poll:   setTimeout(fn, POLL_MS)          (the binding looks the global up
//                                                         on every re-queue, so it sleeps)
// and restored when the last concurrent wait ends; `clearImmediate` is swapped likewise so
// that a handle made in the window can still be cleared. A wait then returns at most
// POLL_MS after the GPU finished. Mode 'spin': Dawn's own loop, untouched.
//
// The mode comes from GpuOptions.wait, else $BATCODER_GPU_WAIT, else auto: sleep on a
// software adapter, spin on a hardware one.
import { requestedSetting, resolveSetting } from './setting.js';

export type WaitMode = 'spin' | 'sleep';
export type WaitModeChoice = WaitMode | 'auto';

const MODES: readonly WaitMode[] = ['spin', 'sleep'];

/** Milliseconds between polls after the first, in 'sleep' mode (Node's timer resolution). */
export const POLL_MS = 1;

/** The wait mode for an adapter, given the requested choice (an unknown name is an error naming the setting). */
export function resolveWaitMode(choice: string | undefined, software: boolean, source = 'BATCODER_GPU_WAIT'): WaitMode {
  return resolveSetting(choice, MODES, software ? 'sleep' : 'spin', source, 'GPU wait mode');
}

/** The requested mode and the setting it came from: GpuOptions.wait, else $BATCODER_GPU_WAIT. */
export function requestedWaitMode(opts: { wait?: string }): [choice: string | undefined, source: string] {
  return requestedSetting(opts.wait, 'GpuOptions.wait', 'BATCODER_GPU_WAIT');
}

type Immediate = typeof globalThis.setImmediate;
type ClearImmediate = typeof globalThis.clearImmediate;

let depth = 0;
let polls = 0;
let saved: { set: Immediate; clear: ClearImmediate } | null = null;
const timers = new WeakSet<object>();

function sleepingSetImmediate(fn: (...args: unknown[]) => void, ...args: unknown[]): unknown {
  if (polls++ === 0) return saved!.set(fn, ...args);
  const t = setTimeout(fn, POLL_MS, ...args);
  timers.add(t);
  return t;
}

function sleepingClearImmediate(handle: unknown): void {
  if (handle && typeof handle === 'object' && timers.has(handle)) clearTimeout(handle as NodeJS.Timeout);
  else saved!.clear(handle as NodeJS.Immediate);
}

/**
 * Await what `start` begins (a mapAsync, onSubmittedWorkDone) in the given mode. `start` is
 * called inside the window, so the binding's first re-queue already sees the swap.
 */
export async function awaitGpu<T>(mode: WaitMode, start: () => Promise<T>): Promise<T> {
  if (mode === 'spin') return start();
  if (depth++ === 0) {
    saved = { set: globalThis.setImmediate, clear: globalThis.clearImmediate };
    polls = 0;
    globalThis.setImmediate = sleepingSetImmediate as unknown as Immediate;
    globalThis.clearImmediate = sleepingClearImmediate as ClearImmediate;
  }
  try {
    return await start();
  } finally {
    if (--depth === 0 && saved) {
      globalThis.setImmediate = saved.set;
      globalThis.clearImmediate = saved.clear;
      saved = null;
    }
  }
}
