// Held-out evaluation on the built-in suite's held-out split (train/data.ts evalTasks),
// per language, greedy decoding.
// Each metric separates one thing (a doc the format filter rejects is "unusable": stage 2
// never sees it):
//   formatExact / formatValid   stage-1 docs scored 1 / > 0 by the format filter   (n = tasks)
//   usableSimilarity            CSSG(c, c') over usable docs only (conditional)    (n = usable docs)
//   roundTripSimilarity         CSSG(c, c') with an unusable doc counted as 0      (n = tasks)
//                               = formatValid x usableSimilarity: the old headline number,
//                               kept for continuity; it mostly measures the format filter
//   roundTripPass               c' passes the task's tests (unusable doc: 0)        (n = tasks run)
//   passAt1                     code written from the gold doc (+ signature) passes  (n = tasks run)
//   timeouts                    sandbox runs of either kind stopped at their wall-clock limit: a
//                               count above 0 means the numbers may depend on machine load
// Every metric also has a 95% percentile-bootstrap interval over its items (stats.ts,
// 2,000 resamples, seeded), in `ci`; the per-task outcomes are kept in `tasks` so that
// intervals and paired comparisons can be recomputed from the eval-*.json file.
// Stage 2 gets the stage-2 prompt of training (prompts.ts), with the task's signature line
// when signatureHint is on (the default: the tests call the function by name).
import { checkDoc } from '../doc/index.js';
import { similarity } from '../cssg/index.js';
import { runProgram } from '../eval/languages.js';
import type { RunStatus } from '../eval/sandbox.js';
import { mapParallel } from '../eval/sandbox.js';
import type { Task } from '../data/tasks/index.js';
import { taskChecked } from '../data/benchmarks.js';
import type { Lang } from '../lang/parser.js';
import type { Policy } from './policy.js';
import type { TrainConfig } from './config.js';
import { evalTasks } from './data.js';
import { docToCodeInput, signatureLine } from './prompts.js';
import { bootstrapMean, type Estimate } from './stats.js';

/** What evaluation depends on: which tasks (seed, count, languages) and how long to generate. */
export type EvalSettings = Pick<TrainConfig, 'seed' | 'evalTasks' | 'langs' | 'maxDocTokens' | 'maxCodeTokens' | 'signatureHint'>;

/** One evaluation task's outcomes (pass: NaN when the language's runtime is missing). */
export interface TaskOutcome {
  /** R_doc of the greedy doc: 0 unusable, 0.5 rewritten, 1 exact */
  rDoc: number;
  /** CSSG(c, c'); null when the doc was unusable (no reconstruction) */
  similarity: number | null;
  roundTripPass: number;
  passAt1: number;
  /** how the sandbox ended each run ('unusable': no reconstruction to run); absent in old files */
  roundTripStatus?: RunStatus | 'unusable';
  passAt1Status?: RunStatus;
}

/** The metrics with intervals, by name. */
export const EVAL_METRICS = ['formatValid', 'formatExact', 'usableSimilarity', 'roundTripSimilarity', 'roundTripPass', 'passAt1'] as const;
export type EvalMetric = (typeof EVAL_METRICS)[number];

export interface LangEval {
  n: number;
  formatExact: number;
  formatValid: number;
  /** usable docs: the n of usableSimilarity */
  nUsable: number;
  usableSimilarity: number;
  roundTripSimilarity: number;
  roundTripPass: number;
  passAt1: number;
  ci: Record<EvalMetric, Estimate>;
  /** sandbox runs (round trip and pass@1) that hit their time limit */
  timeouts: number;
  tasks: TaskOutcome[];
}

export interface EvalResult {
  perLang: Record<string, LangEval>;
  /** a few examples for a person to read */
  samples: { lang: string; code: string; doc: string; reconstruction: string }[];
}

interface Outcome {
  pass: number;
  status: RunStatus;
}

async function passes(task: Task, lang: Lang, code: string): Promise<Outcome> {
  const r = await runProgram(lang, taskChecked(task, lang, code), { timeoutMs: 5000 });
  return { pass: r.status === 'passed' ? 1 : r.status === 'skipped' ? NaN : 0, status: r.status };
}

export async function evaluate(policy: Policy, cfg: EvalSettings): Promise<EvalResult> {
  const perLang: Record<string, LangEval> = {};
  const samples: EvalResult['samples'] = [];
  const tasks = evalTasks(cfg.seed, cfg.evalTasks, cfg.langs);
  for (const lang of cfg.langs) {
    const ts = tasks.filter((t) => t.code[lang]);
    if (!ts.length) continue;
    const codes = ts.map((t) => t.code[lang]!);
    const g1 = await policy.generate('code2doc', codes.map((c) => policy.prompt('code2doc', c, lang)), { maxNewTokens: cfg.maxDocTokens, temperature: 1, seed: 0, greedy: true });
    const checks = g1.text.map((d, i) => checkDoc(d, codes[i], lang));
    const docs = checks.map((c) => c.doc);
    const sigOf = (t: Task, d: string) => docToCodeInput(d, cfg.signatureHint ? signatureLine(t.code[lang]!, lang, t) : null);
    const g2 = await policy.generate('doc2code', docs.map((d, i) => policy.prompt('doc2code', sigOf(ts[i], d), lang)), { maxNewTokens: cfg.maxCodeTokens, temperature: 1, seed: 0, greedy: true });
    const g3 = await policy.generate('doc2code', ts.map((t) => policy.prompt('doc2code', sigOf(t, t.description), lang)), { maxNewTokens: cfg.maxCodeTokens, temperature: 1, seed: 0, greedy: true });
    const usable = checks.map((c) => c.score > 0 && !!c.doc);
    const rt = await mapParallel(ts, 2, (t, _s, i) => (usable[i] ? passes(t, lang, g2.text[i]) : Promise.resolve(null)));
    const p1 = await mapParallel(ts, 2, (t, _s, i) => passes(t, lang, g3.text[i]));
    perLang[lang] = langEval(
      ts.map((_, i) => ({
        rDoc: usable[i] ? checks[i].score : 0,
        similarity: usable[i] ? similarity(codes[i], g2.text[i], lang) : null,
        roundTripPass: rt[i]?.pass ?? 0,
        passAt1: p1[i].pass,
        roundTripStatus: rt[i]?.status ?? 'unusable',
        passAt1Status: p1[i].status,
      })),
      `${cfg.seed}/${lang}`,
    );
    for (let i = 0; i < Math.min(2, ts.length); i++) samples.push({ lang, code: codes[i], doc: g1.text[i], reconstruction: g2.text[i] });
  }
  return { perLang, samples };
}

/** A language's metrics from its tasks' outcomes; `seed` seeds the bootstrap. */
export function langEval(tasks: TaskOutcome[], seed: number | string = 0): LangEval {
  const items: Record<EvalMetric, number[]> = {
    formatValid: tasks.map((t) => (t.rDoc > 0 ? 1 : 0)),
    formatExact: tasks.map((t) => (t.rDoc === 1 ? 1 : 0)),
    usableSimilarity: tasks.flatMap((t) => (t.rDoc > 0 && t.similarity !== null ? [t.similarity] : [])),
    roundTripSimilarity: tasks.map((t) => (t.rDoc > 0 && t.similarity !== null ? t.similarity : 0)),
    roundTripPass: tasks.map((t) => t.roundTripPass),
    passAt1: tasks.map((t) => t.passAt1),
  };
  const ci = Object.fromEntries(EVAL_METRICS.map((m) => [m, bootstrapMean(items[m], { seed: `${seed}/${m}` })])) as Record<EvalMetric, Estimate>;
  return {
    n: tasks.length,
    formatExact: ci.formatExact.mean,
    formatValid: ci.formatValid.mean,
    nUsable: ci.usableSimilarity.n,
    usableSimilarity: ci.usableSimilarity.mean,
    roundTripSimilarity: ci.roundTripSimilarity.mean,
    roundTripPass: ci.roundTripPass.mean,
    passAt1: ci.passAt1.mean,
    ci,
    timeouts: tasks.reduce((a, t) => a + (t.roundTripStatus === 'timeout' ? 1 : 0) + (t.passAt1Status === 'timeout' ? 1 : 0), 0),
    tasks,
  };
}

/** An evaluation as flat metrics.jsonl fields: eval_<lang>_<metric> (the numbers, not the per-task lists). */
export function flattenEval(r: EvalResult): Record<string, number> {
  const o: Record<string, number> = {};
  for (const [lang, v] of Object.entries(r.perLang)) {
    for (const [k, x] of Object.entries(v)) if (typeof x === 'number') o[`eval_${lang}_${k}`] = x;
    for (const m of EVAL_METRICS) {
      o[`eval_${lang}_${m}_lo`] = v.ci[m].lo;
      o[`eval_${lang}_${m}_hi`] = v.ci[m].hi;
    }
  }
  return o;
}

/** One line per evaluation for the console. */
export function summariseEval(r: EvalResult): string {
  return Object.entries(r.perLang)
    .map(([lang, v]) => `${lang} (n=${v.n}): doc format valid ${pct(v.formatValid)} (exact ${pct(v.formatExact)}), S on usable docs ${v.usableSimilarity.toFixed(3)} (n=${v.nUsable}), round-trip ${v.roundTripSimilarity.toFixed(3)} (unusable = 0), round-trip pass ${pct(v.roundTripPass)}, pass@1 ${pct(v.passAt1)}${v.timeouts ? ` (${v.timeouts} sandbox runs timed out: these numbers may depend on machine load)` : ''}`)
    .join('; ');
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');
