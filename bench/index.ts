// The benchmark suite: `batcoder bench [pattern]` (src/cli/commands/bench.ts) runs the suites
// whose name matches, prints a table and writes JSON.
import type { Gpu } from '../src/gpu/device.js';
import { QUICK, FULL, ratios, type Row } from './harness.js';
import { loadTfjs, PEER_HINT, type Tf } from './peers.js';
import { benchMatmul } from './matmul.js';
import { benchSoftmax } from './softmax.js';
import { benchLogprob } from './logprob.js';
import { benchAttention } from './attention.js';
import { benchMisc } from './misc.js';

export const SUITES = ['matmul', 'softmax', 'logprob', 'attention', 'norm', 'optim'] as const;

export interface BenchRun {
  machine: { adapter: string; driver: string; backend: string; software: boolean; cpus: number; node: string; unsafe: boolean };
  peer: string | null;
  date: string;
  rows: Row[];
}

export async function runBench(gpu: Gpu, pattern: string, opts: { full?: boolean; peers?: boolean; unsafe?: boolean; log?: (s: string) => void } = {}): Promise<BenchRun> {
  const log = opts.log ?? ((s: string) => console.error(s));
  const o = opts.full ? FULL : QUICK;
  const want = (s: string) => !pattern || s.includes(pattern) || pattern.split(',').some((p) => s.includes(p.trim()));
  let tf: Tf | null = null;
  if (opts.peers !== false && (want('matmul') || want('softmax') || want('logprob'))) {
    tf = await loadTfjs();
    if (!tf) log(PEER_HINT);
  }
  const rows: Row[] = [];
  const full = !!opts.full;
  if (want('matmul')) { log('matmul ...'); rows.push(...(await benchMatmul(gpu, o, full, tf))); }
  if (want('softmax')) { log('softmax ...'); rows.push(...(await benchSoftmax(gpu, o, full, tf))); }
  if (want('logprob')) { log('logprob ...'); rows.push(...(await benchLogprob(gpu, o, full, tf))); }
  if (want('attention')) { log('attention ...'); rows.push(...(await benchAttention(gpu, o, full))); }
  if (want('norm') || want('optim')) { log('norm / optim ...'); rows.push(...(await benchMisc(gpu, o))); }
  ratios(rows, 'ours');
  const { cpus } = await import('node:os');
  return {
    machine: {
      adapter: `${gpu.info.vendor} ${gpu.info.architecture} ${gpu.info.device}`.trim(),
      driver: gpu.info.description,
      backend: gpu.info.backend,
      software: gpu.info.software,
      cpus: cpus().length,
      node: process.version,
      unsafe: !!opts.unsafe,
    },
    peer: tf ? `tfjs-backend-webgpu ${tf.version_core ?? ''}`.trim() : null,
    date: new Date().toISOString(),
    rows,
  };
}
