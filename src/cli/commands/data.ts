// `batcoder data leakage`: do the evaluation tasks leak into training data?
//
// For each setting (the default run, the low-resource run) and each training set (phase-0
// pairs, phase-1 pool): evaluation tasks with a training twin (equal code up to names and
// constants, per language and style; exact gold description) and the nearest-training-
// neighbour similarity distribution (src/data/leakage.ts). Exit status 1 if any twin exists.
import type { Command } from 'commander';
import { parseLang } from '../../lang/parser.js';
import { formatLeakage, leakage } from '../../data/leakage.js';
import { DEFAULTS } from '../../train/config.js';
import { splitSets } from '../../train/data.js';

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer, got '${v}'`);
  return n;
}

export function register(program: Command): void {
  const data = program.command('data').description('inspect the training and evaluation data');
  data
    .command('leakage')
    .description('count evaluation tasks with a training twin (code up to names and constants, exact description) per split pair; exit 1 if any')
    .option('--seed <n>', 'run seed (selects the data draw and the evaluation tasks)', String(DEFAULTS.seed))
    .option('--langs <list>', 'languages of the default setting', DEFAULTS.langs.join(','))
    .option('--sft-tasks <n>', 'phase-0 tasks', String(DEFAULTS.sftTasks))
    .option('--pool <n>', 'phase-1 suite pool tasks', '2000')
    .option('--eval-tasks <n>', 'evaluation tasks', String(DEFAULTS.evalTasks))
    .option('--low-resource <spec>', "the low-resource setting checked too ('none' to skip)", 'python:5000,ruby:200')
    .option('--low-resource-code <n>', 'undocumented low-language functions in its phase 0', String(DEFAULTS.lowResourceCode))
    .option('--json', 'print as JSON')
    .action((o: Record<string, string | boolean | undefined>) => {
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${o.seed}'`);
      const settings = splitSets(seed, {
        langs: String(o.langs)
          .split(',')
          .map((s) => parseLang(s.trim())),
        sftTasks: positiveInt('--sft-tasks', String(o.sftTasks)),
        poolTasks: positiveInt('--pool', String(o.pool)),
        evalTasks: positiveInt('--eval-tasks', String(o.evalTasks)),
        lowResource: o.lowResource === 'none' ? null : String(o.lowResource),
        lowResourceCode: positiveInt('--low-resource-code', String(o.lowResourceCode)),
      });
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
