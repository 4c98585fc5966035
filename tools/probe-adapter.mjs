// Prints the WebGPU adapter Dawn would give batcoder; exit 1 if there is none.
// Plain JS (no build needed) so tools/setup.sh can call it before compiling.
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
process.env.XDG_RUNTIME_DIR ??= '/tmp';
const gpu = create([]);
globalThis.__batcoderProbeGpu = gpu; // keep Dawn's instance alive (see shared notes)
let adapter = null;
try {
  adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
} catch (e) {
  console.error(`requestAdapter failed: ${e?.message ?? e}`);
}
if (!adapter) {
  console.error('no WebGPU adapter found (Dawn over Vulkan needs libvulkan1 and a Vulkan driver such as Mesa lavapipe >= 24)');
  process.exit(1);
}
const info = adapter.info ?? {};
const feats = [...adapter.features].sort().join(', ');
console.log(`adapter: ${info.vendor || '?'} / ${info.architecture || '?'} / ${info.device || '?'} (${info.description || ''})`);
console.log(`features: ${feats}`);
console.log(`maxComputeInvocationsPerWorkgroup=${adapter.limits.maxComputeInvocationsPerWorkgroup} maxComputeWorkgroupStorageSize=${adapter.limits.maxComputeWorkgroupStorageSize} maxStorageBufferBindingSize=${adapter.limits.maxStorageBufferBindingSize}`);
process.exit(0);
