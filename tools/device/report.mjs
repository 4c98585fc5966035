// Merge the device script's section outputs under OUT into OUT/results.json and OUT/results.md:
// ours per kernel family beside PyTorch on the same card (ratio = PyTorch time / our time, so
// 1 means parity), the training step ours vs transformers, decode and the raw logs' names.
// Usage: node tools/device/report.mjs OUT
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) { console.error('usage: report.mjs OUT'); process.exit(2); }
const load = (f) => { try { return JSON.parse(readFileSync(join(dir, f), 'utf8')); } catch { return null; } };
const text = (f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
const info = load('info.json') ?? {};
const fam = load('families.json');
const tk = load('torch-kernels.json');
const ours = load('train-ours.json');
const tt = load('train-torch.json');
const f3 = (x) => (typeof x === 'number' && Number.isFinite(x) ? Number(x.toPrecision(3)) : '');

const kernels = (fam?.rows ?? []).map((r) => {
  const t = (tk?.rows ?? []).find((x) => x.suite === r.suite && (r.case === x.case || r.case.startsWith(x.case + ' ')));
  return { ...r, torchMs: t?.ms ?? null, torchRate: t?.rate ?? null, gpuVsTorch: t ? t.ms / r.gpuMs : null, lavapipeVsTorch: t ? t.ms / r.lavapipeMs : null };
});
const train = (Array.isArray(ours) ? ours : []).map((r) => {
  const t = (tt?.rows ?? []).find((x) => x.model === r.model);
  return { ...r, torchMs: t?.ms ?? null, slowdown: t ? r.ms / t.ms : null };
});
const card = tk?.card ?? text('nvidia-smi.txt').split('\n')[1] ?? '';
const results = {
  date: new Date().toISOString(),
  card, nvidiaSmi: text('nvidia-smi.txt').trim(),
  adapter: `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''}`.trim(), driver: info.description ?? '', backend: info.backend ?? '',
  kernelFamily: info.kernelFamily ?? '', torch: tk?.torch ?? null, torchSkipped: tk?.skipped ?? null, transformersSkipped: tt?.skipped ?? null,
  kernels, train, attentionBench: load('attention.json'), decode: text('model.txt'), parity: load('parity.json'),
  tests: text('tests.txt').trim(),
  tuned: { choices: text('tune.txt').split('\n').filter((l) => l.startsWith('tuned')), families: load('families-tuned.json')?.rows ?? [] },
  stepProfiles: ['tiny-gpu', 'tiny-lavapipe', '0.5b-gpu'].map((k) => load(`step-profile-${k}.json`)).filter(Boolean),
  dispatch: text('dispatch.txt'),
};
writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
const md = [
  `# Device check ${results.date}`,
  '',
  `Card: ${card || '(none)'}; adapter ${results.adapter} (${results.backend}), driver ${results.driver}; default kernel family ${results.kernelFamily}.`,
  `PyTorch: ${results.torch ?? 'skipped (' + results.torchSkipped + ')'}${results.transformersSkipped ? `; transformers: skipped (${results.transformersSkipped})` : ''}.`,
  '',
  '## Kernels: ours per family vs PyTorch fp32 (TF32 off), same card, same run',
  '',
  '| suite | case | lavapipe family ms | gpu family ms | PyTorch ms | gpu family rate | PyTorch rate | gpu fam / lavapipe fam | PyTorch / gpu family |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ...kernels.map((r) => `| ${r.suite} | ${r.case} | ${f3(r.lavapipeMs)} | ${f3(r.gpuMs)} | ${f3(r.torchMs)} | ${f3(r.gpuRate)} ${r.unit} | ${r.torchRate == null ? '' : f3(r.torchRate) + ' ' + r.unit} | ${f3(r.ratio)}x | ${f3(r.gpuVsTorch)} |`),
  '',
  '## Matmul after the autotuner (gpu family; the table above is before it)',
  '',
  results.tuned.choices.length ? '```\n' + results.tuned.choices.join('\n') + '\n```' : '(not tuned)',
  '',
  '| case | gpu family default ms | gpu family tuned ms | tuned rate | PyTorch rate | PyTorch / tuned |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.tuned.families.map((r) => {
    const d = kernels.find((k) => k.suite === r.suite && k.case === r.case);
    const t = d?.torchMs ?? null;
    return `| ${r.case} | ${f3(d?.gpuMs)} | ${f3(r.gpuMs)} | ${f3(r.gpuRate)} ${r.unit} | ${d?.torchRate == null ? '' : f3(d.torchRate) + ' ' + r.unit} | ${t == null ? '' : f3(t / r.gpuMs)} |`;
  }),
  '',
  '## Training step (forward + cross-entropy + backward)',
  '',
  '| model | B x T | ours ms | ours tok/s | transformers ms | ours / transformers |',
  '|---|---|---:|---:|---:|---:|',
  ...train.map((r) => `| ${r.model} | ${r.batch} x ${r.seq} | ${f3(r.ms)} | ${r.tokensPerS} | ${f3(r.torchMs)} | ${f3(r.slowdown)} |`),
  '',
  '## Where a training step goes (bench/step-profile.js: kernel GPU time by timestamp queries vs wall time)',
  '',
  '| model | B x T | family | wall ms | kernels ms | GPU busy | dispatches | CPU-side us per dispatch | recording ms (us per dispatch) | bind groups made per step | top kernel |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ...results.stepProfiles.map((p) => `| ${p.model} | ${p.batch} x ${p.seq} | ${p.kernelFamily} | ${f3(p.wallMs)} | ${f3(p.kernelMs)} | ${p.busy == null ? '' : f3(100 * p.busy) + '%'} | ${f3(p.dispatches)} | ${f3(p.cpuUsPerDispatch)} | ${p.cpuRecordMs == null ? '' : `${f3(p.cpuRecordMs)} (${f3(p.usPerDispatchRecorded)})`} | ${p.bindGroupsMade ?? ''} | ${p.top[0] ? `${p.top[0].name} ${f3(p.top[0].ms)} ms` : ''} |`),
  '',
  '```',
  results.dispatch.split('\n').filter((l) => /per dispatch/.test(l)).join('\n'),
  '```',
  '',
  '## Logits parity: ours vs transformers on the same checkpoint (err = max |x - ref| / max |ref|, ref = transformers in float64)',
  '',
  results.parity && results.parity.oursVsFloat64 !== undefined
    ? `${results.parity.layers} layers, vocab ${results.parity.vocab}, d ${results.parity.hidden}, B ${results.parity.B} x T ${results.parity.T}: ours ${f3(results.parity.oursVsFloat64)}, transformers float32 ${f3(results.parity.torchFloat32VsFloat64)}, ours vs transformers float32 ${f3(results.parity.oursVsTorchFloat32)}; argmax agrees on ${f3(100 * results.parity.argmaxAgree)}% of positions.`
    : `not measured: ${JSON.stringify(results.parity ?? 'no parity.json')}`,
  '',
  '## Kernel tests on this device (gpu family)',
  '',
  '```',
  results.tests || '(none)',
  '```',
  '',
  '## Decode (bench/model.js)',
  '',
  '```',
  results.decode.split('\n').filter((l) => l.startsWith('|') || /tok|model/i.test(l)).slice(-12).join('\n'),
  '```',
  '',
  'Raw (raw.tar.gz): families.json, attention.json (fused vs unfused), torch-kernels.json, train-ours.json, train-torch.json, parity.json, model.txt, tests.txt, phase0*.txt, gpu-wait.md; the whole output: log.txt.',
];
writeFileSync(join(dir, 'results.md'), md.join('\n') + '\n');
