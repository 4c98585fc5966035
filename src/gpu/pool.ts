// Buffer pool. Fresh GPU memory is slow on lavapipe VMs (~5 ms per MB first touch) and
// creating buffers is never free, so storage buffers are recycled by size class.
// Classes: 4 steps per power of two (x1, x1.25, x1.5, x1.75), so at most ~25% waste.
//
// A class hands out its free buffer that was created first (lowest creation number), not
// the one freed last. Then a step that allocates and frees the same sizes in the same
// order as the step before gets the very same buffers, so the device's bind groups (cached
// by the buffers they bind, src/gpu/device.ts) are found again instead of made anew: with
// a last-in-first-out list the buffers of a training step came out permuted every step and
// ~93% of its bind groups were new (tiny preset, B8 x T128: 265 made for 285 dispatches).

const CLASS_STEPS = [1, 1.25, 1.5, 1.75, 2];

export function sizeClass(bytes: number): number {
  const b = Math.max(256, Math.ceil(bytes / 4) * 4);
  const p = 2 ** Math.floor(Math.log2(b));
  for (const m of CLASS_STEPS) {
    const c = p * m;
    if (c >= b) return c;
  }
  return 2 * p;
}

export interface PoolStats {
  /** bytes of every GPU buffer this pool created and has not destroyed */
  allocatedBytes: number;
  /** bytes of buffers handed out and not yet released */
  inUseBytes: number;
  /** bytes of buffers sitting in the free lists */
  freeBytes: number;
  liveBuffers: number;
  freeBuffers: number;
}

export class BufferPool {
  /** free buffers per size class, sorted by creation number, highest first (pop() = lowest) */
  private free = new Map<number, GPUBuffer[]>();
  private readonly created = new WeakMap<GPUBuffer, number>();
  private nextId = 0;
  private stats = { allocatedBytes: 0, inUseBytes: 0, freeBytes: 0, liveBuffers: 0, freeBuffers: 0 };

  constructor(
    private device: GPUDevice,
    private usage: GPUBufferUsageFlags,
    private label: string,
  ) {}

  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    let buf = list?.pop();
    if (buf) {
      this.stats.freeBytes -= size;
      this.stats.freeBuffers--;
    } else {
      buf = this.device.createBuffer({ size, usage: this.usage, label: `${this.label}:${size}` });
      this.created.set(buf, this.nextId++);
      this.stats.allocatedBytes += size;
      this.stats.liveBuffers++;
    }
    this.stats.inUseBytes += size;
    return buf;
  }

  release(buf: GPUBuffer): void {
    const size = buf.size;
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    // insert keeping the list sorted by creation number, highest first
    const id = this.created.get(buf) ?? -1;
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.created.get(list[mid]) ?? -1) > id) lo = mid + 1;
      else hi = mid;
    }
    if (lo === list.length) list.push(buf);
    else list.splice(lo, 0, buf);
    this.stats.inUseBytes -= size;
    this.stats.freeBytes += size;
    this.stats.freeBuffers++;
  }

  /** Destroy every free buffer (returns memory to the driver). */
  trim(): void {
    for (const list of this.free.values()) {
      for (const b of list) {
        this.stats.allocatedBytes -= b.size;
        this.stats.liveBuffers--;
        b.destroy();
      }
    }
    this.free.clear();
    this.stats.freeBytes = 0;
    this.stats.freeBuffers = 0;
  }

  snapshot(): PoolStats {
    return { ...this.stats };
  }
}
