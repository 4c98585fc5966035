// `batcoder data leakage`: do the evaluation tasks leak into training data?
//
// For each setting (the default run, the low-resource run) and each training set (phase-0
// pairs, phase-1 pool): evaluation tasks with a training twin (equal code up to names and
// constants, per language and style; exact gold description) and the nearest-training-
// neighbour similarity distribution (src/data/leakage.ts). Exit status 1 if any twin exists.
// --data FILE checks a code-only corpus (train --data) in place of the suite's phase-1 pool.
import type { Command } from 'commander';
import { parseLang, type Lang } from '../../lang/parser.js';
import { formatLeakage, leakage } from '../../data/leakage.js';
import { DEFAULTS } from '../../train/config.js';
import { parseLowResource, splitSets } from '../../train/data.js';
import { intFlag, listFlag } from '../flags.js';

interface LeakageOptions {
  seed: number;
  langs: Lang[];
  sftTasks: number;
  pool: number;
  evalTasks: number;
  lowResource: string;
  lowResourceCode: number;
  data?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const data = program.command('data').description('inspect the training and evaluation data');
  data
    .command('leakage')
    .description('count evaluation tasks with a training twin (code up to names and constants, exact description) per split pair; exit 1 if any')
    .option('--seed <n>', 'run seed (selects the data draw and the evaluation tasks)', intFlag('--seed'), DEFAULTS.seed)
    .option('--langs <list>', 'languages of the default setting', listFlag('--langs', parseLang), [...DEFAULTS.langs])
    .option('--sft-tasks <n>', 'phase-0 tasks', intFlag('--sft-tasks', { min: 1 }), DEFAULTS.sftTasks)
    .option('--pool <n>', 'phase-1 suite pool tasks', intFlag('--pool', { min: 1 }), 2000)
    .option('--eval-tasks <n>', 'evaluation tasks', intFlag('--eval-tasks', { min: 1 }), DEFAULTS.evalTasks)
    .option('--low-resource <spec>', "the low-resource setting checked too ('none' to skip)", 'python:5000,ruby:200')
    .option('--low-resource-code <n>', 'undocumented low-language functions in its phase 0', intFlag('--low-resource-code', { min: 0 }), DEFAULTS.lowResourceCode)
    .option('--data <file>', 'a code-only JSONL corpus (as train --data): checked as the phase-1 pool instead of the suite')
    .option('--json', 'print as JSON')
    .action((o: LeakageOptions) => {
      const lowResource = o.lowResource === 'none' ? null : o.lowResource;
      if (lowResource) parseLowResource(lowResource); // a bad spec fails before any work
      const seed = o.seed;
      const settings = splitSets(seed, { langs: o.langs, sftTasks: o.sftTasks, poolTasks: o.pool, evalTasks: o.evalTasks, lowResource, lowResourceCode: o.lowResourceCode, data: o.data ?? null });
      const results = settings.map((s) => ({ setting: s.setting, pairs: s.sets.map((set) => leakage(s.evalTasks, set)) }));
      if (o.json) console.log(JSON.stringify({ seed, results }, null, 1));
      else {
        for (const r of results) {
          console.log(`== ${r.setting}, seed ${seed}`);
          for (const p of r.pairs) console.log(formatLeakage(p));
        }
      }
      const twins = results.flatMap((r) => r.pairs).reduce((s, p) => s + p.codeTwins + p.descriptionTwins, 0);
      if (twins > 0) {
        if (!o.json) console.log(`LEAK: ${twins} twin(s) between evaluation and training data`);
        process.exitCode = 1;
      }
    });
}
