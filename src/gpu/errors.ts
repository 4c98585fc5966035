/** A WGSL shader failed to compile or its pipeline failed validation. */
export class ShaderError extends Error {
  constructor(readonly shader: string, readonly messages: string) {
    super(`WGSL shader '${shader}' failed to compile:\n${messages}`);
    this.name = 'ShaderError';
  }
}

/** A WebGPU validation / out-of-memory / internal error raised by Dawn, attributed to what we were doing. */
export class GpuError extends Error {
  constructor(message: string, readonly context?: string) {
    super(context ? `${message} (while ${context})` : message);
    this.name = 'GpuError';
  }
}

/** The device was lost (driver reset, destroy(), out of memory on some drivers). Every later call fails with this. */
export class DeviceLostError extends Error {
  constructor(readonly reason: string, detail: string) {
    super(`WebGPU device lost (${reason}): ${detail}`);
    this.name = 'DeviceLostError';
  }
}
