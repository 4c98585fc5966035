export { Gpu, getGpu, currentGpu, releaseGpu, STORAGE_USAGE } from './device.js';
export type { GpuOptions, Kernel, KernelSpec, BufferArg, DeviceInfo } from './device.js';
export { ShaderError, GpuError, DeviceLostError } from './errors.js';
export type { PoolStats } from './pool.js';
export { resolveKernelFamily } from './family.js';
export type { KernelFamily, KernelFamilyChoice } from './family.js';
export { resolveWaitMode, POLL_MS } from './wait.js';
export type { WaitMode, WaitModeChoice } from './wait.js';
