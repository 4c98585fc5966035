// Adapter selection: Dawn's Node bindings enumerate adapters per backend; we pick the
// best one (a discrete/integrated GPU over a software rasteriser) unless the user
// names one with $BATCODER_ADAPTER / --adapter.
import { create, globals } from 'webgpu';

export interface AdapterChoice {
  adapter: GPUAdapter;
  /** Dawn's GPU object: must stay referenced for the life of the device (see shared notes). */
  gpu: GPU;
  info: { vendor: string; architecture: string; device: string; description: string; backend: string };
}

let installedGlobals = false;
function installGlobals(): void {
  if (installedGlobals) return;
  // GPUBufferUsage, GPUMapMode, ... are used as values in WebGPU code.
  for (const [k, v] of Object.entries(globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  installedGlobals = true;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
}

function describe(a: GPUAdapter, backend: string): AdapterChoice['info'] {
  const i = a.info;
  return { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, backend };
}

function isSoftware(info: AdapterChoice['info']): boolean {
  const s = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  return /llvmpipe|lavapipe|swiftshader|software|warp/.test(s);
}

/**
 * Find the adapter to use. `want` (from --adapter or $BATCODER_ADAPTER) is matched
 * case-insensitively against the backend name or any part of the adapter's info.
 * `toggles` are Dawn instance flags (e.g. enable-dawn-features=...).
 */
export async function chooseAdapter(want = process.env.BATCODER_ADAPTER ?? '', toggles: string[] = []): Promise<AdapterChoice> {
  installGlobals();
  const backends = ['vulkan', 'opengles'];
  const found: AdapterChoice[] = [];
  const wantLc = want.toLowerCase();
  for (const backend of backends) {
    if (wantLc && backends.includes(wantLc) && wantLc !== backend) continue;
    const gpu = create([`backend=${backend}`, ...toggles]);
    for (const power of ['high-performance', 'low-power'] as const) {
      const featureLevel = backend === 'opengles' ? 'compatibility' : 'core';
      let a: GPUAdapter | null = null;
      try {
        a = await gpu.requestAdapter({ powerPreference: power, featureLevel } as GPURequestAdapterOptions);
      } catch {
        a = null;
      }
      if (!a) continue;
      const info = describe(a, backend);
      if (found.some((f) => f.info.device === info.device && f.info.backend === backend && f.info.description === info.description)) continue;
      found.push({ adapter: a, gpu, info });
    }
    // The OpenGL ES path is only a fallback: don't probe it if Vulkan gave us something.
    if (found.length && !wantLc) break;
  }
  if (found.length === 0) {
    throw new Error(
      'no WebGPU adapter found. Dawn uses Vulkan on Linux: install libvulkan1 and a Vulkan driver ' +
        '(without a GPU: Mesa lavapipe >= 24, e.g. `sudo tools/setup.sh`).',
    );
  }
  let pick: AdapterChoice | undefined;
  if (wantLc) {
    pick = found.find((f) => f.info.backend === wantLc || Object.values(f.info).some((v) => String(v).toLowerCase().includes(wantLc)));
    if (!pick) {
      const names = found.map((f) => `${f.info.backend}: ${f.info.vendor} ${f.info.device} (${f.info.description})`).join('; ');
      throw new Error(`no WebGPU adapter matches '${want}'. Available: ${names}`);
    }
  } else {
    pick = found.find((f) => !isSoftware(f.info)) ?? found[0];
  }
  return pick!;
}

export function adapterIsSoftware(info: AdapterChoice['info']): boolean {
  return isSoftware(info);
}
