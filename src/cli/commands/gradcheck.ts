import type { Command } from 'commander';
import { getGpu, releaseGpu } from '../../gpu/index.js';
import { opCases, checkOp } from '../../tensor/gradcheck.js';

export function register(program: Command): void {
  program
    .command('gradcheck')
    .description('check every op: GPU forward vs float64 reference, autograd gradient vs central differences')
    .argument('[pattern]', 'only ops whose name contains this')
    .option('--seed <n>', 'input seed', '1234')
    .action(async (pattern: string | undefined, opts: { seed: string }) => {
      const gpu = await getGpu();
      const cases = opCases().filter((c) => !pattern || c.name.includes(pattern));
      let failed = 0;
      console.log(`${'op'.padEnd(40)} ${'fwd rel err'.padStart(12)} ${'grad rel err'.padStart(12)}`);
      for (const c of cases) {
        const r = await checkOp(gpu, c, Number(opts.seed));
        if (!r.ok) failed++;
        const g = r.gradError === null ? '-' : r.gradError.toExponential(2);
        console.log(`${c.name.padEnd(40)} ${r.forwardError.toExponential(2).padStart(12)} ${g.padStart(12)}  ${r.ok ? 'ok' : 'FAIL ' + (r.message ?? '')}`);
      }
      console.log(`${cases.length - failed} passed, ${failed} failed`);
      releaseGpu();
      if (failed) process.exitCode = 1;
    });
}
