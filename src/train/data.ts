// Where training code comes from.
//
// Phase 0 (warm start) uses (code, doc) pairs of the built-in task suite's train split.
// Phase 1 (BatCoder) uses code only: the suite's code with its documentation dropped,
// or a CodeSearchNet-shaped JSONL corpus (`--data`, the `code` and `language` fields).
// Evaluation uses the suite's held-out split: structures (programs up to names and
// constants) that phase 0 and phase 1 never see (src/data/tasks/generate.ts); `splitSets`
// lists the pairs that `batcoder data leakage` and test/data/leakage.test.ts check.
import { readFileSync } from 'node:fs';
import { leakage, type TrainingSet } from '../data/leakage.js';
import { generateLowResource, generateTasks, type Task } from '../data/tasks/index.js';
import { parseLang, type Lang } from '../lang/parser.js';

export interface CodeItem {
  code: string;
  lang: Lang;
  /** the suite task it came from (exec reward and evaluation need its tests) */
  task?: Task;
}

export interface Pair {
  code: string;
  /** '' for a code-only example (no documentation: phase 0 learns the code alone) */
  doc: string;
  lang: Lang;
  signature?: string;
}

/**
 * The seed assets/warmstart was trained with (its README gives the command), and the default
 * seed with which `batcoder experiment --low-resource` trains its one shared phase 0: a run of
 * any seed that starts from either has seen that seed's phase-0 pairs, not its own seed's.
 */
export const WARM_START_SEED = 1;

/** (code, doc) pairs for phase 0, every language of every task. */
export function warmupPairs(seed: number, count: number, langs: readonly Lang[]): Pair[] {
  const tasks = generateTasks({ seed, count, split: 'train', langs });
  const out: Pair[] = [];
  for (const t of tasks) {
    for (const lang of langs) {
      const codes = t.variants[lang] ?? (t.code[lang] ? [t.code[lang]!] : []);
      // every equivalent implementation: the doc must not be a lookup of one spelling
      for (const code of codes) out.push({ code, doc: t.description, lang, signature: t.signature[lang] });
    }
  }
  return out;
}

/** Parse "python:5000,ruby:200" into the high- and low-resource languages and counts. */
export function parseLowResource(spec: string): { high: { lang: Lang; count: number }; low: { lang: Lang; count: number } } {
  const parts = spec.split(',').map((x) => x.trim().split(':'));
  if (parts.length !== 2 || parts.some((p) => p.length !== 2 || !(Number(p[1]) > 0))) {
    throw new Error(`--low-resource: expected "high_lang:count,low_lang:count" (e.g. python:5000,ruby:200), got '${spec}'`);
  }
  const [h, l] = parts.map(([lang, n]) => ({ lang: parseLang(lang), count: Math.floor(Number(n)) }));
  return { high: h, low: l };
}

/**
 * Phase 0 pairs of the low-resource setting: many in the high language, few in the low one,
 * plus `codeOnly` undocumented low-language functions (doc '') from tasks that are neither
 * among the documented ones nor the same instances (the suite's train split; evaluation uses
 * the test split).
 */
export function lowResourcePairs(seed: number, spec: string, codeOnly = 0): Pair[] {
  const { high, low } = parseLowResource(spec);
  const r = generateLowResource({ seed, high, low });
  const out: Pair[] = [];
  for (const [tasks, lang] of [[r.high, high.lang], [r.low, low.lang]] as const) {
    for (const t of tasks) for (const code of t.variants[lang] ?? [t.code[lang]!]) out.push({ code, doc: t.description, lang, signature: t.signature[lang] });
  }
  if (codeOnly > 0) {
    const documented = new Set(r.low.map((t) => t.code[low.lang]));
    const extra = generateTasks({ seed: seed + 0xc0de, count: codeOnly * 2, split: 'train', langs: [low.lang] })
      .filter((t) => !documented.has(t.code[low.lang]))
      .slice(0, codeOnly);
    for (const t of extra) out.push({ code: t.code[low.lang]!, doc: '', lang: low.lang });
  }
  return out;
}

/** Code-only items for phase 1 from the suite (docs dropped). Seeded; disjoint from phase 0 by seed. */
export function suiteCode(seed: number, count: number, langs: readonly Lang[]): CodeItem[] {
  const tasks = generateTasks({ seed: seed + 1_000_003, count, split: 'train', langs });
  const out: CodeItem[] = [];
  for (const t of tasks) for (const lang of langs) if (t.code[lang]) out.push({ code: t.code[lang]!, lang, task: t });
  return out;
}

/**
 * Code from a JSONL corpus. Malformed lines are reported with file and line number and
 * skipped; a file with no usable line is an error.
 */
export function corpusCode(path: string, langs: readonly Lang[], warn: (msg: string) => void = console.warn): CodeItem[] {
  const text = readFileSync(path, 'utf8');
  const out: CodeItem[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (!line.trim()) continue;
    let o: { code?: unknown; language?: unknown };
    try {
      o = JSON.parse(line);
    } catch (e) {
      warn(`${path}:${lineNo}: skipped: invalid JSON (${(e as Error).message})`);
      continue;
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) {
      warn(`${path}:${lineNo}: skipped: not a JSON object (${line.trim().slice(0, 40)})`);
      continue;
    }
    if (typeof o.code !== 'string' || !o.code.trim()) {
      warn(`${path}:${lineNo}: skipped: no "code" string`);
      continue;
    }
    let lang: Lang;
    try {
      lang = parseLang(String(o.language ?? langs[0]));
    } catch (e) {
      warn(`${path}:${lineNo}: skipped: ${(e as Error).message}`);
      continue;
    }
    if (!langs.includes(lang)) continue;
    out.push({ code: o.code, lang });
  }
  if (out.length === 0) throw new Error(`${path}: no usable code lines for languages ${langs.join(', ')}`);
  return out;
}

/** Held-out tasks for evaluation: the suite's 'heldout' split (structures no training split has). */
export function evalTasks(seed: number, count: number, langs: readonly Lang[]): Task[] {
  return generateTasks({ seed: seed + 7_000_001, count, split: 'heldout', langs });
}

export interface SplitSetsOptions {
  langs: readonly Lang[];
  /** phase 0 tasks (TrainConfig.sftTasks) */
  sftTasks: number;
  /** phase 1 suite pool (the trainer draws 2000) */
  poolTasks: number;
  evalTasks: number;
  /** the low-resource setting's spec and code-only count, or null to skip it */
  lowResource: string | null;
  lowResourceCode: number;
  /** a --data corpus: the default setting's phase-1 pool is this file instead of the suite */
  data?: string | null;
}

/** A --data corpus as a training set for the leakage check (code only: phase 1 shows no docs). */
export function corpusSet(path: string, langs: readonly Lang[], warn?: (msg: string) => void): TrainingSet {
  return { name: `eval vs phase-1 corpus ${path}`, items: corpusCode(path, langs, warn).map((c) => ({ code: c.code, lang: c.lang })) };
}

/**
 * A --data corpus must not hold an evaluation task's program up to names and constants
 * (src/data/leakage.ts), or the held-out numbers are not held out: throws naming the twins,
 * else returns the line the trainer logs. Run on every start of a run on a corpus.
 */
export function corpusLeakage(path: string, items: readonly CodeItem[], tasks: Task[]): string {
  const l = leakage(tasks, { name: path, items: items.map((c) => ({ code: c.code, lang: c.lang })) });
  if (l.codeTwins > 0) {
    const named = [...new Set(l.twins.map((t) => t.task))].slice(0, 5).join(', ');
    throw new Error(`${path}: ${l.codeTwins} of ${tasks.length} evaluation tasks have a twin in this corpus (equal code up to names and constants: ${named}); remove those programs (\`batcoder data leakage --data ${path}\` lists them), or the held-out evaluation is not held out`);
  }
  return `leakage: 0 of ${tasks.length} evaluation tasks have a twin in ${path} (${l.trainingItems} programs; nearest-neighbour token similarity median ${l.nearest.median.toFixed(3)}, max ${l.nearest.max.toFixed(3)})`;
}

/** For each setting (default, low-resource): the evaluation tasks and the training sets they must not leak into. */
export function splitSets(seed: number, o: SplitSetsOptions): { setting: string; evalTasks: Task[]; sets: TrainingSet[] }[] {
  const pairsSet = (name: string, pairs: Pair[]): TrainingSet => ({ name, items: pairs.map((p) => ({ code: p.code, lang: p.lang, doc: p.doc || undefined })) });
  // the pool's descriptions are dropped in phase 1; they are checked anyway (stricter)
  const poolSet = (name: string, items: CodeItem[]): TrainingSet => ({ name, items: items.map((c) => ({ code: c.code, lang: c.lang, doc: c.task?.description })) });
  const out = [
    {
      setting: `default (langs ${o.langs.join(',')})`,
      evalTasks: evalTasks(seed, o.evalTasks, o.langs),
      sets: [pairsSet('eval vs phase-0 pairs', warmupPairs(seed, o.sftTasks, o.langs)), o.data ? corpusSet(o.data, o.langs) : poolSet('eval vs phase-1 pool', suiteCode(seed, o.poolTasks, o.langs))],
    },
  ];
  // a run of another seed that starts from the shipped warm start saw that model's phase-0 data
  if (seed !== WARM_START_SEED) out[0].sets.push(pairsSet(`eval vs the shipped warm start's phase-0 pairs (seed ${WARM_START_SEED})`, warmupPairs(WARM_START_SEED, o.sftTasks, o.langs)));
  if (o.lowResource) {
    const { high, low } = parseLowResource(o.lowResource);
    const langs = [high.lang, low.lang];
    out.push({
      setting: `low-resource ${o.lowResource} (+${o.lowResourceCode} code-only)`,
      evalTasks: evalTasks(seed, o.evalTasks, langs),
      sets: [pairsSet('eval vs low-resource phase-0 pairs', lowResourcePairs(seed, o.lowResource, o.lowResourceCode)), poolSet('eval vs low-resource phase-1 pool', suiteCode(seed, o.poolTasks, [low.lang]))],
    });
    // `batcoder experiment --low-resource` trains one phase 0 for all seeds, with the default seed
    if (seed !== WARM_START_SEED) out[1].sets.push(pairsSet(`eval vs the experiment's shared low-resource phase-0 pairs (seed ${WARM_START_SEED})`, lowResourcePairs(WARM_START_SEED, o.lowResource, o.lowResourceCode)));
  }
  return out;
}
