import type { Command } from 'commander';
import { getGpu, releaseGpu } from '../../gpu/index.js';
import { selfCheck } from '../../gpu/selfcheck.js';

export function register(program: Command): void {
  program
    .command('info')
    .description('print the WebGPU adapter, its limits and features, and run a self-check kernel')
    .option('--json', 'print as JSON')
    .option('--unsafe', 'create the device without Dawn robustness/validation (faster, unchecked)')
    .action(async (opts: { json?: boolean; unsafe?: boolean }) => {
      const gpu = await getGpu({ unsafe: !!opts.unsafe });
      const check = await selfCheck(gpu);
      if (opts.json) {
        console.log(JSON.stringify({ ...gpu.info, kernelFamily: gpu.kernelFamily, waitMode: gpu.waitMode, selfCheck: check }, null, 2));
      } else {
        const i = gpu.info;
        console.log(`adapter:      ${i.vendor} / ${i.architecture} / ${i.device}`);
        console.log(`description:  ${i.description}`);
        console.log(`backend:      ${i.backend}${i.software ? ' (software rasteriser: CPU)' : ''}`);
        console.log(`kernels:      ${gpu.kernelFamily} family (BATCODER_KERNELS=auto|lavapipe|gpu; see docs/gpu.md)`);
        console.log(`GPU wait:     ${gpu.waitMode} (BATCODER_GPU_WAIT=auto|spin|sleep; see docs/gpu.md)`);
        console.log(`features:     ${i.features.join(', ')}`);
        console.log('limits:');
        for (const [k, v] of Object.entries(i.limits)) console.log(`  ${k.padEnd(36)} ${v}`);
        console.log(`self-check:   ${check.ok ? 'PASS' : 'FAIL'} (y = a*x + b and a workgroup reduction over ${check.n} floats, max error ${check.maxError.toExponential(2)}, ${check.ms.toFixed(1)} ms)`);
      }
      releaseGpu();
      if (!check.ok) process.exitCode = 1;
    });
}
