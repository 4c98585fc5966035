// The experiment runner behind `batcoder experiment`: BatCoder against its ablation arms,
// over several seeds, at equal compute, summarised with intervals.
//
//   layout     OUT/<arm>/seed-<s>/   one run directory per (arm, seed), each its own
//              `node dist/train.js` process (`parallel` at a time), its console in
//              OUT/logs/<arm>-seed-<s>.log; with --low-resource one shared phase 0 first
//              (OUT/phase0-run, exported to OUT/phase0) that every arm starts from.
//   seeds      --seed s changes the phase-1 data draw and the held-out evaluation tasks;
//              every arm of a seed starts from the same model and is evaluated on the
//              same tasks, so arms are compared seed by seed (paired).
//   compute    BatCoder runs `steps` steps; each other arm of the seed then gets what that
//              BatCoder run spent: --max-updates U (equal optimizer updates, the default)
//              or --max-sampled-tokens N (equal sampled tokens; the SFT baseline, which
//              samples once, gets U updates then). `none`: every arm runs `steps` steps.
//              The other arms may take up to 2 max(steps, U) steps to spend it.
//   resume     a finished run (eval-final.json) is not rerun; an interrupted one with a
//              checkpoint continues with --resume; one without is started again.
//   interrupt  each run is its own process group, so SIGINT reaches it only through the
//              runner, once, however the runner got it (Ctrl-C or `kill -INT`): the runs
//              checkpoint and stop, no new one starts; a second SIGINT aborts them.
//   summary    per arm and metric, the mean over seeds with a 95% Student-t interval,
//              and the paired difference BatCoder - arm (t-interval of the per-seed
//              differences), marked where the interval includes zero: OUT/summary.md and
//              OUT/summary.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../checkpoint/index.js';
import { readMetrics } from './metrics.js';
import { parseLowResource } from './data.js';
import { EVAL_METRICS, type EvalMetric } from './evaluate.js';
import { excludesZero, formatEstimate, pairedDifference, tInterval, type Estimate } from './stats.js';

/** The arms and the train flags that make each. */
export const ARMS: Record<string, string[]> = {
  batcoder: [],
  'freeze-stage1': ['--freeze-stage1'],
  sft: ['--sft-baseline'],
  rft: ['--rft-baseline'],
};

export type EqualCompute = 'updates' | 'tokens' | 'none';

export interface ExperimentOptions {
  arms: string[];
  seeds: number;
  steps: number;
  out: string;
  parallel: number;
  equalCompute: EqualCompute;
  /** the paper's low-resource spec, e.g. python:5000,ruby:200 */
  lowResource?: string;
  /** flags passed to every run (e.g. --eval-tasks 32 --lr 5e-5) */
  trainArgs: string[];
  /** the train entry point (default dist/train.js of this checkout) */
  entry: string;
  log?: (msg: string) => void;
}

/** What one finished (arm, seed) run measured. */
export interface ArmSeedResult {
  arm: string;
  seed: number;
  steps: number;
  updates: number;
  sampledTokens: number;
  /** final evaluation, per language and metric */
  final: Record<string, Partial<Record<EvalMetric, number>>>;
  /** the start model's evaluation (same for every arm of a seed) */
  start: Record<string, Partial<Record<EvalMetric, number>>>;
}

export interface Summary {
  options: Omit<ExperimentOptions, 'log' | 'entry'>;
  heldEqual: string;
  interval: string;
  results: ArmSeedResult[];
  /** per language, metric and arm: the mean over seeds with its t-interval */
  perArm: Record<string, Record<string, Record<string, Estimate>>>;
  /** per language, metric and arm != batcoder: BatCoder - arm, paired over seeds */
  diffs: Record<string, Record<string, Record<string, Estimate>>>;
  markdown: string;
}

/** The compute quantities compared next to the evaluation metrics. */
const COMPUTE = ['updates', 'sampledTokens'] as const;

export function checkOptions(o: ExperimentOptions): void {
  const unknown = o.arms.filter((a) => !ARMS[a]);
  if (unknown.length) throw new Error(`--arms: unknown arm ${unknown.map((a) => `'${a}'`).join(', ')} (known: ${Object.keys(ARMS).join(', ')})`);
  if (!o.arms.length || new Set(o.arms).size !== o.arms.length) throw new Error(`--arms: a list of distinct arms, got '${o.arms.join(',')}'`);
  if (!o.arms.includes('batcoder')) throw new Error("--arms must include 'batcoder': the other arms are compared with it and get its compute");
  if (!(o.seeds >= 1) || !(o.steps >= 1) || !(o.parallel >= 1)) throw new Error('--seeds, --steps and --parallel must be >= 1');
  if (o.lowResource) parseLowResource(o.lowResource);
  for (const f of ['--seed', '--out', '--resume', '--steps', '--max-updates', '--max-sampled-tokens', '--init', '--low-resource', '--no-start-eval', ...Object.values(ARMS).flat()]) {
    if (o.trainArgs.includes(f)) throw new Error(`experiment: ${f} is set by the runner; leave it out of the train flags`);
  }
}

/** The train flags of one (arm, seed) run, given what the seed's BatCoder run spent. */
export function armArgs(o: ExperimentOptions, arm: string, seed: number, spent: { updates: number; sampledTokens: number } | null, init: string[]): string[] {
  const base = ['--seed', String(seed), '--eval-every', '0', ...init, ...o.trainArgs, ...ARMS[arm]];
  if (arm === 'batcoder') return [...base, '--steps', String(o.steps)];
  // the start model and evaluation tasks are BatCoder's of this seed: its eval-start stands for all
  base.push('--no-start-eval');
  if (o.equalCompute === 'none') return [...base, '--steps', String(o.steps)];
  if (!spent) throw new Error(`experiment: ${arm} seed ${seed} needs the BatCoder run's compute first`);
  const cap = String(2 * Math.max(o.steps, spent.updates));
  if (o.equalCompute === 'tokens' && arm !== 'sft') return [...base, '--max-sampled-tokens', String(spent.sampledTokens), '--steps', cap];
  return [...base, '--max-updates', String(Math.max(1, spent.updates)), '--steps', cap];
}

function runDir(o: ExperimentOptions, arm: string, seed: number): string {
  return join(o.out, arm, `seed-${seed}`);
}

const finished = (dir: string) => existsSync(join(dir, 'eval-final.json'));

/** The train processes running now (the runner forwards SIGINT to them). */
const running = new Set<ChildProcess>();

/** Run `node entry args`, console to `logFile`; resolves with the exit status. */
function runTrain(o: ExperimentOptions, args: string[], logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    // detached: its own process group, so a terminal's Ctrl-C is not delivered twice (by
    // the terminal and by the runner's forwarding; a second SIGINT aborts a run)
    const child = spawn(process.execPath, [o.entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      log.end();
      resolve(code ?? 1);
    });
  });
}

/** One run to completion (or resumed to it); throws if it ends unfinished. */
async function runOne(o: ExperimentOptions, name: string, dir: string, args: string[], done: (dir: string) => boolean = finished): Promise<void> {
  const log = o.log ?? console.log;
  if (done(dir)) {
    log(`${name}: already finished (${dir})`);
    return;
  }
  const resumable = existsSync(join(dir, 'checkpoint', 'training_state.json'));
  if (!resumable) rmSync(dir, { recursive: true, force: true }); // a start that left no checkpoint: start again
  mkdirSync(join(o.out, 'logs'), { recursive: true });
  const logFile = join(o.out, 'logs', `${name}.log`);
  log(`${name}: ${resumable ? 'resuming' : 'starting'} (log ${logFile})`);
  const code = await runTrain(o, [...args, ...(resumable ? ['--resume', dir] : ['--out', dir])], logFile);
  if (code !== 0 || !done(dir)) throw new Error(`${name}: train exited with status ${code}${code === 0 ? ' before finishing' : ''}; see ${logFile} (rerun the experiment to resume)`);
  log(`${name}: finished`);
}

/**
 * Run `jobs` at most `parallel` at a time, in order; every job runs (none is started once
 * `stopped()`), and the errors are rethrown together after all settle.
 */
async function pool<T>(jobs: (() => Promise<T>)[], parallel: number, stopped: () => boolean): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !stopped()) {
      const i = next++;
      try {
        out[i] = await jobs[i]();
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  if (errors.length) throw new Error(errors.map((e) => (e as Error).message).join('\n'));
  return out;
}

/** What a finished run measured: its phase-1 compute and its start / final evaluations. */
export function readResult(dir: string, arm: string, seed: number): ArmSeedResult {
  const rows = readMetrics(join(dir, 'metrics.jsonl'), () => {}).filter((r) => r.phase === 1 && r.eval === undefined);
  const last = rows[rows.length - 1] ?? {};
  const evalOf = (tag: string) => {
    const p = join(dir, `eval-${tag}.json`);
    if (!existsSync(p)) return {};
    const e = JSON.parse(readFileSync(p, 'utf8')) as { perLang: Record<string, Record<string, unknown>> };
    return Object.fromEntries(Object.entries(e.perLang).map(([lang, v]) => [lang, Object.fromEntries(EVAL_METRICS.filter((m) => typeof v[m] === 'number').map((m) => [m, v[m] as number]))]));
  };
  return {
    arm, seed, steps: rows.length,
    updates: typeof last.total_updates === 'number' ? last.total_updates : 0,
    sampledTokens: typeof last.total_sampled_tokens === 'number' ? last.total_sampled_tokens : 0,
    final: evalOf('final'),
    start: evalOf('start'),
  };
}

const LABELS: Record<string, [string, 'pct' | 'num' | 'int']> = {
  formatValid: ['doc format valid', 'pct'],
  formatExact: ['doc format exact', 'pct'],
  usableSimilarity: ['S on usable docs', 'num'],
  roundTripSimilarity: ['round-trip CSSG (unusable = 0)', 'num'],
  roundTripPass: ['round-trip pass', 'pct'],
  passAt1: ['pass@1 (doc->code)', 'pct'],
  updates: ['optimizer updates', 'int'],
  sampledTokens: ['sampled tokens', 'int'],
};

/** Per arm and metric over seeds (t-intervals), the paired differences, and the Markdown table. */
export function summarise(o: Omit<ExperimentOptions, 'log' | 'entry'>, results: ArmSeedResult[]): Summary {
  const seeds = [...new Set(results.map((r) => r.seed))].sort((a, b) => a - b);
  const get = (arm: string, seed: number) => results.find((r) => r.arm === arm && r.seed === seed);
  const langs = [...new Set(results.flatMap((r) => Object.keys(r.final)))];
  const heldEqual =
    o.equalCompute === 'none' ? `nothing: every arm ran ${o.steps} steps` : o.equalCompute === 'updates' ? `optimizer updates (each arm stops at what BatCoder took in ${o.steps} steps)` : `sampled tokens (each arm stops at what BatCoder sampled in ${o.steps} steps; the SFT baseline, which samples once, at BatCoder's updates)`;
  const interval = 'mean over seeds with a 95% Student-t interval; differences are paired by seed (same data draw, start model and evaluation tasks)';
  const perArm: Summary['perArm'] = {};
  const diffs: Summary['diffs'] = {};
  const value = (r: ArmSeedResult | undefined, lang: string, m: string): number => {
    if (!r) return NaN;
    if (m === 'updates' || m === 'sampledTokens') return r[m];
    return r.final[lang]?.[m as EvalMetric] ?? NaN;
  };
  const L: string[] = [`Held equal: ${heldEqual}. Each cell: ${interval}; n = seeds. "(includes 0)" marks a difference whose interval includes zero.`, ''];
  const fmt = (e: Estimate | undefined, kind: 'pct' | 'num' | 'int', sign = false) => {
    if (!e || !Number.isFinite(e.mean)) return '-';
    const s = kind === 'int' ? formatEstimate(e, { digits: 0 }) : formatEstimate(e, { pct: kind === 'pct' });
    return sign && e.mean >= 0 ? `+${s}` : s;
  };
  const others = o.arms.filter((a) => a !== 'batcoder');
  for (const lang of langs) {
    perArm[lang] = {};
    diffs[lang] = {};
    if (langs.length > 1) L.push(`**${lang}**`, '');
    L.push(`| metric | start | ${o.arms.join(' | ')} | ${others.map((a) => `batcoder - ${a}`).join(' | ')} |`);
    L.push(`|---|---|${o.arms.map(() => '---').join('|')}|${others.map(() => '---').join('|')}|`);
    for (const m of [...EVAL_METRICS, ...COMPUTE]) {
      const [label, kind] = LABELS[m];
      perArm[lang][m] = {};
      diffs[lang][m] = {};
      const start = COMPUTE.includes(m as (typeof COMPUTE)[number]) ? undefined : tInterval(seeds.map((s) => get('batcoder', s)?.start[lang]?.[m as EvalMetric] ?? NaN));
      for (const a of o.arms) perArm[lang][m][a] = tInterval(seeds.map((s) => value(get(a, s), lang, m)));
      for (const a of others) diffs[lang][m][a] = pairedDifference(seeds.map((s) => value(get('batcoder', s), lang, m)), seeds.map((s) => value(get(a, s), lang, m)));
      const diffCell = (e: Estimate) => (Number.isFinite(e.mean) ? `${fmt(e, kind, true)}${excludesZero(e) ? '' : ' (includes 0)'}` : '-');
      L.push(`| ${label} | ${fmt(start, kind)} | ${o.arms.map((a) => fmt(perArm[lang][m][a], kind)).join(' | ')} | ${others.map((a) => diffCell(diffs[lang][m][a])).join(' | ')} |`);
    }
    L.push('');
  }
  L.push(`Seeds: ${seeds.join(', ')}. Per run: ${results.map((r) => `${r.arm}/seed-${r.seed} ${r.steps} steps`).join(', ')}.`);
  return { options: o, heldEqual, interval, results, perArm, diffs, markdown: L.join('\n') };
}

/** Run (or resume) the whole experiment and write its summary. */
export async function runExperiment(o: ExperimentOptions): Promise<Summary> {
  checkOptions(o);
  const log = o.log ?? console.log;
  mkdirSync(o.out, { recursive: true });
  // the same directory must mean the same experiment
  const planPath = join(o.out, 'experiment.json');
  const plan = { arms: o.arms, steps: o.steps, equalCompute: o.equalCompute, lowResource: o.lowResource ?? null, trainArgs: o.trainArgs };
  if (existsSync(planPath)) {
    const saved = JSON.parse(readFileSync(planPath, 'utf8')) as typeof plan;
    for (const k of ['steps', 'equalCompute', 'lowResource', 'trainArgs'] as const) {
      if (JSON.stringify(saved[k]) !== JSON.stringify(plan[k])) throw new Error(`${planPath}: '${k}' was ${JSON.stringify(saved[k])}, now ${JSON.stringify(plan[k])}: use another --out for a different experiment`);
    }
  }
  await writeJsonAtomic(planPath, plan);

  let init: string[] = [];
  if (o.lowResource) {
    const phase0 = join(o.out, 'phase0');
    const run = join(o.out, 'phase0-run');
    const p0args = ['--low-resource', o.lowResource, '--from-scratch', '--phase0-only', '--export', phase0, ...o.trainArgs];
    await runOne(o, 'phase0', run, p0args, () => existsSync(join(phase0, 'model.safetensors')));
    init = ['--low-resource', o.lowResource, '--init', phase0];
  }

  const seeds = Array.from({ length: o.seeds }, (_, i) => i + 1);
  // BatCoder first (the other arms get its compute), then the rest; in queue order, so a job
  // waiting for its seed's BatCoder run only waits for one already started
  const batDone = new Map<number, Promise<{ updates: number; sampledTokens: number }>>();
  const settle = new Map<number, (v: { updates: number; sampledTokens: number } | null) => void>();
  for (const s of seeds) batDone.set(s, new Promise((res) => settle.set(s, res as (v: unknown) => void)));
  const jobs: (() => Promise<ArmSeedResult>)[] = [];
  for (const s of seeds) {
    jobs.push(async () => {
      const dir = runDir(o, 'batcoder', s);
      try {
        await runOne(o, `batcoder-seed-${s}`, dir, armArgs(o, 'batcoder', s, null, init));
      } catch (e) {
        settle.get(s)!(null);
        throw e;
      }
      const r = readResult(dir, 'batcoder', s);
      settle.get(s)!({ updates: r.updates, sampledTokens: r.sampledTokens });
      return r;
    });
  }
  for (const a of o.arms.filter((x) => x !== 'batcoder')) {
    for (const s of seeds) {
      jobs.push(async () => {
        const spent = o.equalCompute === 'none' ? null : await batDone.get(s)!;
        if (o.equalCompute !== 'none' && !spent) throw new Error(`${a}-seed-${s}: skipped (the seed's BatCoder run failed)`);
        const dir = runDir(o, a, s);
        await runOne(o, `${a}-seed-${s}`, dir, armArgs(o, a, s, spent, init));
        return readResult(dir, a, s);
      });
    }
  }
  // SIGINT: forwarded to the runs (each checkpoints and exits), no new run starts; a second
  // one aborts the runs (their last checkpoint stays) and the runner
  let interrupted = false;
  const forward = () => {
    for (const c of running) c.kill('SIGINT');
  };
  const onSecond = () => {
    forward();
    process.exit(130);
  };
  const onSig = () => {
    interrupted = true;
    log('interrupt: the running runs checkpoint and stop; no new run starts (rerun the same command to resume; SIGINT again aborts)');
    forward();
    process.once('SIGINT', onSecond);
  };
  process.once('SIGINT', onSig);
  let results: ArmSeedResult[] = [];
  let failure: Error | null = null;
  try {
    results = await pool(jobs, o.parallel, () => interrupted);
  } catch (e) {
    failure = e as Error;
  } finally {
    process.removeListener('SIGINT', onSig);
    process.removeListener('SIGINT', onSecond);
  }
  // an interrupt makes the runs exit 130: say what happened, not that they failed
  if (interrupted) failure = new Error('interrupted: rerun the same command to resume');
  if (failure) {
    // summarise what finished
    results = [];
    for (const a of o.arms) for (const s of seeds) if (finished(runDir(o, a, s))) results.push(readResult(runDir(o, a, s), a, s));
  }
  const { log: _l, entry: _e, ...opts } = o;
  const summary = summarise(opts, results);
  await writeJsonAtomic(join(o.out, 'summary.json'), { ...summary, markdown: undefined });
  writeFileSync(join(o.out, 'summary.md'), summary.markdown + '\n');
  log(`wrote ${join(o.out, 'summary.md')} and summary.json`);
  if (failure) throw failure;
  return summary;
}
