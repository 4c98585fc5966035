// Self-check: y[i] = a * x[i] + b, plus a per-workgroup partial sum in workgroup memory,
// so the check exercises storage buffers, uniforms, workgroup memory and barriers.
struct Params { n: u32, a: f32, b: f32, _pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;
var<workgroup> acc: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  var v = 0.0;
  if (gid.x < p.n) {
    v = p.a * x[gid.x] + p.b;
    y[gid.x] = v;
  }
  acc[lid] = v;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) { acc[lid] += acc[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) { partial[wid.x] = acc[0]; }
}
