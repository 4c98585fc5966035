// Kernel families: which shape of kernels the engine records on this device.
//
// The kernels come in two families, chosen once per device:
//   lavapipe: shaped for a software rasteriser (Mesa lavapipe), where a workgroup runs on one
//             CPU thread with SIMD across its invocations: register blocking, many outputs per
//             invocation, no workgroup memory and no barriers (bench/README.md says why).
//   gpu:      shaped for a discrete GPU: one workgroup per row for row kernels (tree reductions
//             in workgroup memory), matmul tiles staged in workgroup memory, flash attention
//             with a workgroup per block of queries and K/V tiles in workgroup memory.
// `auto` (the default) picks gpu on a hardware adapter and lavapipe on a software one.
// The choice comes from GpuOptions.kernels, else $BATCODER_KERNELS, else auto; forcing `gpu` on
// lavapipe is how CI tests the GPU family's numerics (slowly), and `lavapipe` on a GPU is the
// same-card baseline for the device script.
import { requestedSetting, resolveSetting } from './setting.js';

export type KernelFamily = 'lavapipe' | 'gpu';
export type KernelFamilyChoice = KernelFamily | 'auto';

const FAMILIES: readonly KernelFamily[] = ['lavapipe', 'gpu'];

/** The family for an adapter, given the requested choice (an unknown name is an error naming the setting). */
export function resolveKernelFamily(choice: string | undefined, software: boolean, source = 'BATCODER_KERNELS'): KernelFamily {
  return resolveSetting(choice, FAMILIES, software ? 'lavapipe' : 'gpu', source, 'kernel family');
}

/** The requested family and the setting it came from: GpuOptions.kernels, else $BATCODER_KERNELS. */
export function requestedFamily(opts: { kernels?: string }): [choice: string | undefined, source: string] {
  return requestedSetting(opts.kernels, 'GpuOptions.kernels', 'BATCODER_KERNELS');
}
