// Held-out evaluation on the built-in suite's test split, per language, greedy decoding:
//   formatExact / formatValid   stage-1 docs scored 1 / > 0 by the format filter
//   roundTripSimilarity         CSSG(c, c') for code -> doc -> code
//   roundTripPass               c' passes the task's tests
//   passAt1                     code written from the gold documentation (+ signature) passes the tests
// Stage 2 gets the stage-2 prompt of training (prompts.ts), with the task's signature line
// when signatureHint is on (the default: the tests call the function by name).
import { checkDoc } from '../doc/index.js';
import { similarity } from '../cssg/index.js';
import { runProgram } from '../eval/languages.js';
import { mapParallel } from '../eval/sandbox.js';
import { taskProgram, type Task } from '../data/tasks/index.js';
import type { Lang } from '../lang/parser.js';
import type { Policy } from './policy.js';
import type { TrainConfig } from './config.js';
import { evalTasks } from './data.js';
import { docToCodeInput, signatureLine } from './prompts.js';

/** What evaluation depends on: which tasks (seed, count, languages) and how long to generate. */
export type EvalSettings = Pick<TrainConfig, 'seed' | 'evalTasks' | 'langs' | 'maxDocTokens' | 'maxCodeTokens' | 'signatureHint'>;

export interface LangEval {
  n: number;
  formatExact: number;
  formatValid: number;
  roundTripSimilarity: number;
  roundTripPass: number;
  passAt1: number;
}

export interface EvalResult {
  perLang: Record<string, LangEval>;
  /** a few examples for a person to read */
  samples: { lang: string; code: string; doc: string; reconstruction: string }[];
}

async function passes(task: Task, lang: Lang, code: string): Promise<number> {
  const r = await runProgram(lang, taskProgram(task, lang, code), { timeoutMs: 5000 });
  return r.status === 'passed' ? 1 : r.status === 'skipped' ? NaN : 0;
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
    const sims = codes.map((c, i) => (docs[i] ? similarity(c, g2.text[i], lang) : 0));
    const rtPass = await mapParallel(ts, 2, (t, _s, i) => (docs[i] ? passes(t, lang, g2.text[i]) : Promise.resolve(0)));
    const p1 = await mapParallel(ts, 2, (t, _s, i) => passes(t, lang, g3.text[i]));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
    perLang[lang] = {
      n: ts.length,
      formatExact: mean(checks.map((c) => (c.score === 1 ? 1 : 0))),
      formatValid: mean(checks.map((c) => (c.score > 0 ? 1 : 0))),
      roundTripSimilarity: mean(sims),
      roundTripPass: mean(rtPass),
      passAt1: mean(p1),
    };
    for (let i = 0; i < Math.min(2, ts.length); i++) samples.push({ lang, code: codes[i], doc: g1.text[i], reconstruction: g2.text[i] });
  }
  return { perLang, samples };
}

/** An evaluation as flat metrics.jsonl fields: eval_<lang>_<metric>. */
export function flattenEval(r: EvalResult): Record<string, number> {
  const o: Record<string, number> = {};
  for (const [lang, v] of Object.entries(r.perLang)) for (const [k, x] of Object.entries(v)) o[`eval_${lang}_${k}`] = x;
  return o;
}

/** One line per evaluation for the console. */
export function summariseEval(r: EvalResult): string {
  return Object.entries(r.perLang)
    .map(([lang, v]) => `${lang}: round-trip ${v.roundTripSimilarity.toFixed(3)}, pass@1 ${(100 * v.passAt1).toFixed(1)}%, doc format ${(100 * v.formatExact).toFixed(0)}%`)
    .join('; ');
}
