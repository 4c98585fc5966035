// Optional peer: tfjs-backend-webgpu on the same Dawn/driver, loaded only if installed. It is
// deliberately not a dependency. To enable:
//   mkdir -p /tmp/peers && npm i --no-save --prefix /tmp/peers @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-webgpu@4.22.0
//   BATCODER_PEERS=/tmp/peers batcoder bench
// (or install them with --no-save into the project's own node_modules).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { create, globals } from 'webgpu';

export const PEER_HINT =
  'tfjs-backend-webgpu not found: to compare with it, run `npm i --no-save --prefix /tmp/peers @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-webgpu@4.22.0` and set BATCODER_PEERS=/tmp/peers';

// The minimal surface of tfjs we use.
export interface Tf {
  tensor2d(data: Float32Array, shape: [number, number]): TfTensor;
  tensor1d(data: Int32Array, dtype: 'int32'): TfTensor;
  matMul(a: TfTensor, b: TfTensor): TfTensor;
  softmax(x: TfTensor): TfTensor;
  logSoftmax(x: TfTensor): TfTensor;
  gather(x: TfTensor, idx: TfTensor, axis: number, batchDims: number): TfTensor;
  reshape(x: TfTensor, shape: number[]): TfTensor;
  tidy<T>(fn: () => T): T;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  env(): { set(k: string, v: unknown): void };
  version_core?: string;
}
export interface TfTensor {
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

let cached: Promise<Tf | null> | null = null;

export function loadTfjs(): Promise<Tf | null> {
  cached ??= (async () => {
    const dirs = [process.env.BATCODER_PEERS, process.cwd()].filter(Boolean) as string[];
    for (const dir of dirs) {
      try {
        const req = createRequire(join(dir, 'noop.js'));
        const core = req.resolve('@tensorflow/tfjs-core');
        const webgpu = req.resolve('@tensorflow/tfjs-backend-webgpu');
        for (const [k, v] of Object.entries(globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
        // tfjs finds WebGPU through navigator.gpu; keep Dawn's instance alive on globalThis.
        const gpu = create([]);
        (globalThis as Record<string, unknown>).__peerGpu = gpu;
        Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'node' }, configurable: true, writable: true });
        const tf = (await import(pathToFileURL(core).href)) as unknown as Tf;
        await import(pathToFileURL(webgpu).href);
        if (!(await tf.setBackend('webgpu'))) return null;
        await tf.ready();
        tf.env().set('WEBGPU_CPU_FORWARD', false);
        return tf;
      } catch {
        /* not installed here */
      }
    }
    return null;
  })();
  return cached;
}
