// `batcoder experiment`: BatCoder against its ablation arms over several seeds at equal
// compute, resumable, summarised as one Markdown table with intervals (src/train/experiment.ts;
// docs/experiments.md says what each number means). Flags after `--` go to every run.
import type { Command } from 'commander';
import { join } from 'node:path';
import { repoRoot } from '../../util/paths.js';
import { ARMS, runExperiment, type EqualCompute } from '../../train/experiment.js';
import { choiceFlag, intFlag, listFlag } from '../flags.js';

export function register(program: Command): void {
  program
    .command('experiment')
    .description('run BatCoder and ablation arms over seeds at equal compute (each run its own process, resumable) and print the comparison with 95% intervals')
    .option('--arms <list>', `comma-separated arms (${Object.keys(ARMS).join(', ')}); must include batcoder`, listFlag('--arms', choiceFlag('--arms', Object.keys(ARMS))), ['batcoder', 'freeze-stage1', 'sft', 'rft'])
    .option('--seeds <n>', 'seeds 1..n (each changes the data draw and the evaluation tasks)', intFlag('--seeds', { min: 1 }), 3)
    .option('--steps <n>', "BatCoder's phase-1 steps; the other arms get the compute it spent", intFlag('--steps', { min: 1 }), 30)
    .option('--equal-compute <what>', 'held equal across arms: updates (optimizer updates) | tokens (sampled tokens) | none (equal steps)', choiceFlag('--equal-compute', ['updates', 'tokens', 'none'] as const), 'updates')
    .option('--low-resource <spec>', 'the low-resource setting, e.g. python:5000,ruby:200: one shared phase 0 from scratch, then the arms from it')
    .option('--out <dir>', 'experiment directory (runs, logs, summary.md, summary.json)', 'runs/experiment')
    .option('--parallel <n>', 'runs at a time', intFlag('--parallel', { min: 1 }), 2)
    .argument('[train-flags...]', 'after --: flags for every run (e.g. -- --eval-tasks 32 --lr 5e-5)')
    .action(async (trainArgs: string[], opts: { arms: string[]; seeds: number; steps: number; equalCompute: EqualCompute; lowResource?: string; out: string; parallel: number }) => {
      const s = await runExperiment({ ...opts, trainArgs, entry: join(repoRoot(), 'dist', 'train.js') });
      console.log('\n' + s.markdown);
    });
}
