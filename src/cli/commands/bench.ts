import type { Command } from 'commander';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { getGpu, releaseGpu } from '../../gpu/index.js';
import { runBench, SUITES } from '../../../bench/index.js';
import { printTable, markdownTable } from '../../../bench/harness.js';
import { tuneMatmulForAdapter, tuneCacheFile } from '../../../bench/tune.js';

export function register(program: Command): void {
  program
    .command('bench [pattern]')
    .description(`benchmark the kernels against naive kernels, CPU JS and tfjs-webgpu (if installed); suites: ${SUITES.join(', ')}`)
    .option('--full', 'more shapes (squares up to 2048, T up to 2048, vocab rows) and longer timing')
    .option('--json <file>', 'write the results as JSON', '')
    .option('--markdown', 'print a markdown table (for the README) instead of the plain table')
    .option('--no-peers', 'do not try to load tfjs-backend-webgpu')
    .option('--unsafe', 'device without Dawn robustness/validation (faster, unchecked)')
    .option('--tune', 'autotune matmul on this adapter first and cache the choice (' + tuneCacheFile() + ')')
    .option('--tune-budget <ms>', 'with --tune: time budget per shape class in ms (candidates past it are not tried)', '60000')
    .action(async (pattern: string | undefined, opts: { full?: boolean; json?: string; markdown?: boolean; peers?: boolean; unsafe?: boolean; tune?: boolean; tuneBudget: string }) => {
      const budget = Number(opts.tuneBudget);
      if (!(budget > 0)) throw new Error(`bench: --tune-budget must be a positive number of milliseconds, got '${opts.tuneBudget}'`);
      const gpu = await getGpu({ unsafe: !!opts.unsafe });
      try {
        if (opts.tune) await tuneMatmulForAdapter(gpu, budget);
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
