// The CSSG validation bench (probes, measures and flags: src/eval/validity.ts):
//   node dist/bench/cssg-validity.js [--quick] [--tasks N] [--mbpp N] [--seed S] [--json FILE]
//                                    [--metrics cssg,cssg-v1,wl,tokens,exec-diff,hybrid] [--weights W1,W2] [--verbose]
//   node dist/bench/cssg-validity.js --ablate [--only name,...] [--quick] [--tasks N] [--mbpp N] [--seed S] [--json FILE]
// --ablate: static CSSG v2 on the same probes once with every normalisation on, then
// once per normalisation with that one switched off (src/cssg/options.ts): AUC, AUC on
// local rewrites, unrelated and stub means, ordered triples, and the change in AUC.
// --only: just these normalisations (e.g. `--only interface-gate`: the gate on and off).
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { main, suiteOriginals, mbppOriginals, buildProbes, layout, measure, type MetricRow } from '../src/eval/validity.js';
import { scorePairs, closeWorkers, NORMALISATIONS, type Normalisation } from '../src/cssg/index.js';
import { unavailable } from '../src/eval/languages.js';
import { repoRoot } from '../src/util/paths.js';

function flag(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${args[i + 1]}'`);
  return n;
}

async function ablate(args: string[]): Promise<void> {
  const known = new Set(['--ablate', '--only', '--quick', '--seed', '--tasks', '--mbpp', '--json']);
  for (const a of args) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown flag '${a}' with --ablate (expected ${[...known].join(', ')})`);
  const why = unavailable('python');
  if (why) throw new Error(`cssg-validity needs python to verify probes: ${why}`);
  const quick = args.includes('--quick');
  const seed = flag(args, '--seed', 1);
  const originals = [...suiteOriginals(flag(args, '--tasks', quick ? 8 : 60), seed), ...mbppOriginals(flag(args, '--mbpp', quick ? 8 : 60), seed)];
  const sets = await buildProbes(originals, seed);
  const L = layout(sets);
  const rows: { off: string; row: MetricRow }[] = [];
  const onlyArg = args.indexOf('--only') >= 0 ? args[args.indexOf('--only') + 1] ?? '' : undefined;
  const only = onlyArg === undefined ? [...NORMALISATIONS] : onlyArg.split(',').filter(Boolean);
  for (const n of only) if (!(NORMALISATIONS as readonly string[]).includes(n)) throw new Error(`--only: unknown CSSG normalisation '${n}' (expected one of ${NORMALISATIONS.join(', ')})`);
  for (const off of ['none', ...only]) {
    const t0 = performance.now();
    const s = await scorePairs(L.pairs, { metric: 'cssg', off: off === 'none' ? [] : [off as Normalisation] });
    rows.push({ off, row: measure('cssg', L, s, (performance.now() - t0) / 1000) });
  }
  await closeWorkers();
  const base = rows[0].row;
  const f = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(3));
  const d = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
  console.log(`probes: ${sets.length} originals, ${base.n.rewrites} rewrites, ${base.n.mutants} mutants, seed ${seed}`);
  console.log('| switched off | AUC rewrite vs mutant | change | AUC, local rewrites | unrelated mean | stub mean | ordered r > m > u |');
  console.log('|---|---|---|---|---|---|---|');
  for (const { off, row } of rows) console.log(`| ${off === 'none' ? 'none (all on)' : off} | ${f(row.auc)} | ${off === 'none' ? '-' : d(row.auc - base.auc)} | ${f(row.aucLocal)} | ${f(row.unrelated)} | ${f(row.stub)} | ${f(row.ordered)} |`);
  const i = args.indexOf('--json');
  const out = i >= 0 ? args[i + 1] : join(repoRoot(), 'bench', 'results', quick ? 'cssg-ablation-quick.json' : 'cssg-ablation.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ command: `node dist/bench/cssg-validity.js ${args.join(' ')}`, seed, rows: rows.map(({ off, row }) => ({ off, ...row })) }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

const args = process.argv.slice(2);
(args.includes('--ablate') ? ablate(args) : main(args)).catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
