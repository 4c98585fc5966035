// Scores completions against a benchmark: assemble each program, run it in the sandbox
// (bounded parallelism), and aggregate pass@k over problems.
import { readFileSync } from 'node:fs';
import type { Benchmark, Problem } from '../data/benchmarks.js';
import { runProgram, unavailable, type ExecLimits } from './languages.js';
import { meanPassAtK } from './passk.js';
import { mapParallel, type RunResult, type RunStatus } from './sandbox.js';

export interface SampleResult {
  id: string;
  sample: number;
  status: RunStatus;
  ms: number;
  stderrTail: string;
}

export interface EvalReport {
  bench: string;
  language: string;
  problems: number;
  samples: number;
  /** pass@k for each k <= the smallest per-problem sample count */
  passAtK: Record<string, number>;
  statuses: Partial<Record<RunStatus, number>>;
  /** problems of the benchmark with no completion (not counted in pass@k) */
  missing: string[];
  /** completions whose task_id is not in the benchmark */
  unknown: string[];
  skipped?: string;
  results: SampleResult[];
  seconds: number;
  notes: string[];
}

/** Truncates a completion at the first stop sequence (as a sampler would). */
export function applyStop(completion: string, stop: readonly string[]): string {
  let cut = completion.length;
  for (const s of stop) {
    const i = completion.indexOf(s);
    if (i >= 0 && i < cut) cut = i;
  }
  return completion.slice(0, cut);
}

export interface CompletionsFile {
  byId: Map<string, string[]>;
  /** "file:line: why" for each skipped line */
  problems: string[];
}

/** Reads completions JSONL: one {"task_id", "completion"} per line, several lines per task = several samples. */
export function readCompletions(path: string): CompletionsFile {
  const byId = new Map<string, string[]>();
  const problems: string[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(line);
      } catch (e) {
        problems.push(`${path}:${i + 1}: malformed JSON (${(e as Error).message}); skipped`);
        return;
      }
      const id = r?.task_id;
      const c = r?.completion;
      if ((typeof id !== 'string' && typeof id !== 'number') || typeof c !== 'string') {
        problems.push(`${path}:${i + 1}: needs "task_id" (string or number) and "completion" (string); skipped`);
        return;
      }
      const k = String(id);
      if (!byId.has(k)) byId.set(k, []);
      byId.get(k)!.push(c);
    });
  return { byId, problems };
}

export interface EvalOptions extends ExecLimits {
  parallel?: number;
  ks?: number[];
  /** apply the benchmark's stop sequences to completions first (default false: completions are used as given) */
  truncate?: boolean;
  onResult?: (r: SampleResult, done: number, total: number) => void;
}

/** Runs every completion of every problem and computes pass@k. */
export async function evaluate(bench: Benchmark, completions: Map<string, string[]>, opts: EvalOptions = {}): Promise<EvalReport> {
  const t0 = performance.now();
  const byId = new Map(bench.problems.map((p) => [p.id, p]));
  const missing = bench.problems.filter((p) => !completions.has(p.id)).map((p) => p.id);
  const unknown = [...completions.keys()].filter((k) => !byId.has(k));
  const base: Omit<EvalReport, 'passAtK' | 'statuses' | 'results' | 'seconds' | 'samples' | 'problems'> = {
    bench: bench.name,
    language: bench.language,
    missing,
    unknown,
    notes: bench.notes,
  };
  const skip = unavailable(bench.language);
  const jobs: { p: Problem; sample: number; completion: string }[] = [];
  for (const [id, cs] of completions) {
    const p = byId.get(id);
    if (!p) continue;
    cs.forEach((c, sample) => jobs.push({ p, sample, completion: opts.truncate ? applyStop(c, p.stop) : c }));
  }
  if (skip) {
    return { ...base, problems: 0, samples: 0, passAtK: {}, statuses: { skipped: jobs.length }, skipped: skip, results: [], seconds: 0 };
  }
  let done = 0;
  const results = await mapParallel(jobs, opts.parallel ?? 2, async (j, slot) => {
    const limits = { timeoutMs: opts.timeoutMs ?? j.p.timeoutMs, memoryBytes: opts.memoryBytes, outputCapBytes: opts.outputCapBytes };
    const r: RunResult = await runProgram(j.p.language, j.p.assemble(j.completion), limits, { slot }, j.p.files);
    // test frameworks (Test::Unit, go test) report failures on stdout
    const s: SampleResult = { id: j.p.id, sample: j.sample, status: r.status, ms: r.ms, stderrTail: (r.stderrTail.trim() ? r.stderrTail : r.stdout).slice(-600) };
    opts.onResult?.(s, ++done, jobs.length);
    return s;
  });
  const counts = new Map<string, { n: number; c: number }>();
  const statuses: Partial<Record<RunStatus, number>> = {};
  for (const r of results) {
    const e = counts.get(r.id) ?? { n: 0, c: 0 };
    e.n++;
    if (r.status === 'passed') e.c++;
    counts.set(r.id, e);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  const per = [...counts.values()];
  const minN = per.length ? Math.min(...per.map((e) => e.n)) : 0;
  const passAtK: Record<string, number> = {};
  for (const k of opts.ks ?? [1, 10, 100]) if (k <= minN) passAtK[`pass@${k}`] = meanPassAtK(per, k);
  return { ...base, problems: per.length, samples: results.length, passAtK, statuses, results, seconds: (performance.now() - t0) / 1000 };
}

/** Reference completions of a benchmark (those that have one), one sample each. */
export function referenceCompletions(bench: Benchmark): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of bench.problems) if (p.reference !== undefined) m.set(p.id, [p.reference]);
  return m;
}
