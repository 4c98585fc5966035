import type { Command } from 'commander';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { getGpu, releaseGpu } from '../../gpu/index.js';
import { runBench, SUITES } from '../../../bench/index.js';
import { printTable, markdownTable } from '../../../bench/harness.js';
import { tuneMatmul, cacheFile, configName } from '../../kernels/autotune.js';
import { matmul } from '../../kernels/matmul.js';

export function register(program: Command): void {
  program
    .command('bench [pattern]')
    .description(`benchmark the kernels against naive kernels, CPU JS and tfjs-webgpu (if installed); suites: ${SUITES.join(', ')}`)
    .option('--full', 'more shapes (squares up to 2048, T up to 2048, vocab rows) and longer timing')
    .option('--json <file>', 'write the results as JSON', '')
    .option('--markdown', 'print a markdown table (for the README) instead of the plain table')
    .option('--no-peers', 'do not try to load tfjs-backend-webgpu')
    .option('--unsafe', 'device without Dawn robustness/validation (faster, unchecked)')
    .option('--tune', 'autotune matmul on this adapter first and cache the choice (' + cacheFile() + ')')
    .action(async (pattern: string | undefined, opts: { full?: boolean; json?: string; markdown?: boolean; peers?: boolean; unsafe?: boolean; tune?: boolean }) => {
      const gpu = await getGpu({ unsafe: !!opts.unsafe });
      try {
        if (opts.tune) {
          const shapes = [
            { M: 1024, N: 1024, K: 1024 },
            { M: 512, N: 2048, K: 512 },
            { M: 512, N: 512, K: 2048, transB: true },
            { M: 512, N: 512, K: 2048, transA: true },
            { M: 64, N: 64, K: 64 },
          ];
          const bufs = new Map<number, GPUBuffer>();
          const buf = (n: number) => { if (!bufs.has(n)) bufs.set(n, gpu.alloc(n * 4)); return bufs.get(n)!; };
          const res = await tuneMatmul(gpu, shapes, (s, c) => {
            const [A, B, O] = [buf(s.M * s.K), buf(s.K * s.N + 1), buf(s.M * s.N + 2)];
            matmul(gpu, { a: A, b: B, out: O, batch: 1, M: s.M, N: s.N, K: s.K, transA: s.transA, transB: s.transB, config: c });
          }, { budgetMsPerShape: 60_000 });
          for (const r of res) console.error(`tuned ${r.shapeClass}: ${configName(r.best)} (${r.ms.toFixed(2)} ms; ${r.tried.length} tried)`);
        }
        const run = await runBench(gpu, pattern ?? '', { full: opts.full, peers: opts.peers, unsafe: opts.unsafe });
        const m = run.machine;
        console.log(`machine: ${m.adapter} | driver: ${m.driver} | ${m.backend}${m.software ? ' (CPU rasteriser)' : ''} | ${m.cpus} CPUs | node ${m.node}${m.unsafe ? ' | unsafe' : ''}`);
        console.log(`peer: ${run.peer ?? 'none'}`);
        if (opts.markdown) console.log(markdownTable(run.rows));
        else printTable(run.rows);
        if (opts.json) {
          mkdirSync(dirname(opts.json), { recursive: true });
          writeFileSync(opts.json, JSON.stringify(run, null, 2) + '\n');
          console.error(`wrote ${opts.json}`);
        }
      } finally {
        releaseGpu();
      }
    });
}
