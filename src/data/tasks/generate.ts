// The built-in task suite: seeded, procedural, four languages.
//
//   generateTasks({ seed, count, split, langs }) -> Task[]
//
// Splits. A task's *shape* is its composition of primitives without constants or names
// (e.g. "fold/slice=first/pred=even/map=square/fold=sum"). One shape in eight is held out:
// it appears only in split 'heldout' (held-out composition: no shape overlap with any other
// split). The remaining instances (shape + constants + function and parameter names) are
// hashed into train (80%), validation (10%) and test (10%), so the same instance never
// appears in two splits; a constant-free shape (e.g. "pairs/rel=lt") appears in all three
// under different names. Implementation style and test inputs vary on top.
import { LANGS, type Lang } from '../../lang/parser.js';
import { formatDoc } from '../../doc/index.js';
import { codePrompt, entryName, functionText, goTestFile, signature, testCode, type TestCase } from './render.js';
import { Rng, fnv1a, mixSeed } from '../../util/rng.js';
import { FAMILIES, STYLES, type Instance } from './templates.js';
import { sameValue, typeWords, type Ty, type Value } from './values.js';

export type Split = 'train' | 'validation' | 'test' | 'heldout';
export const SPLITS: readonly Split[] = ['train', 'validation', 'test', 'heldout'];

export interface Task {
  /** stable id: `<split>/<seed>/<index>` */
  id: string;
  family: string;
  /** composition id without constants: equal shapes differ only in constants, names and style */
  shape: string;
  split: Split;
  /** documentation text in the format of docformat.ts (summary, Args:, Returns:) */
  description: string;
  /** parameters in signature order */
  params: { name: string; type: Ty }[];
  returns: Ty;
  entryPoint: Partial<Record<Lang, string>>;
  signature: Partial<Record<Lang, string>>;
  /** reference implementation (without documentation), in the style this task drew */
  code: Partial<Record<Lang, string>>;
  /** every equivalent implementation (loop / comprehension or builtins / second loop form) */
  variants: Partial<Record<Lang, string[]>>;
  /** what a model writing code sees: documentation + signature */
  prompt: Partial<Record<Lang, string>>;
  /** structured test cases (args in signature order) */
  tests: TestCase[];
  /** test statements appended after the function (Go: a test function; see `taskProgram`) */
  testCode: Partial<Record<Lang, string>>;
}

export interface GenerateOptions {
  seed: number;
  count: number;
  split?: Split;
  langs?: readonly Lang[];
  /** restrict to some families (names as in FAMILIES) */
  families?: readonly string[];
}

/** Is this shape held out (only in split 'heldout')? */
export function isHeldOutShape(shape: string): boolean {
  return fnv1a(shape) % 8 === 0;
}

/** The split an instance (shape + `key`: constants and names) belongs to. */
export function splitOf(shape: string, key: string): Split {
  if (isHeldOutShape(shape)) return 'heldout';
  const b = fnv1a(`${shape}|${key}`) % 10;
  return b < 8 ? 'train' : b === 8 ? 'validation' : 'test';
}

const NEUTRAL_NAMES = [['solve'], ['compute'], ['process'], ['calc', 'result'], ['evaluate'], ['transform'], ['apply', 'rule'], ['f'], ['helper'], ['do', 'task']];

const SPLIT_SALT: Record<Split, number> = { train: 0x1111, validation: 0x2222, test: 0x3333, heldout: 0x4444 };

function pickFamily(rng: Rng, names?: readonly string[]) {
  const fams = names ? FAMILIES.filter((f) => names.includes(f.name)) : FAMILIES;
  if (fams.length === 0) throw new Error(`generateTasks: no family named ${names?.join(', ')} (have ${FAMILIES.map((f) => f.name).join(', ')})`);
  const total = fams.reduce((s, f) => s + f.weight, 0);
  let r = rng.next() * total;
  for (const f of fams) if ((r -= f.weight) < 0) return f;
  return fams[fams.length - 1];
}

function safe(v: Value): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && Math.abs(v) < 1e12;
  if (Array.isArray(v)) return (v as Value[]).every(safe);
  return true;
}

/** Draws test inputs until the outputs are not all equal (a constant function must fail). */
function makeTests(inst: Instance, order: string[], rng: Rng): TestCase[] | null {
  for (let attempt = 0; attempt < 8; attempt++) {
    const cases: TestCase[] = [];
    for (let i = 0; i < 7; i++) {
      const a = inst.genArgs(rng);
      const expected = inst.run(a);
      if (!safe(expected)) return null;
      cases.push({ args: order.map((r) => a[r]), expected });
    }
    const distinct = cases.filter((c) => !sameValue(c.expected, cases[0].expected)).length;
    if (distinct > 0) {
      // drop exact duplicates
      const seen = new Set<string>();
      return cases.filter((c) => {
        const k = JSON.stringify(c.args);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
  }
  return null;
}

/** Builds one task from a seed, or null if the drawn instance does not belong to `split`. */
export function buildTask(taskSeed: number, split: Split | undefined, langs: readonly Lang[], id: string, families?: readonly string[]): Task | null {
  const rng = new Rng(taskSeed);
  const fam = pickFamily(rng, families);
  const inst = fam.make(rng);
  if (split === 'heldout' ? !isHeldOutShape(inst.shape) : split && isHeldOutShape(inst.shape)) return null;
  // names and argument order
  const names: Record<string, string> = {};
  for (const r of inst.roles) names[r.role] = rng.pick(r.names.filter((n) => !Object.values(names).includes(n)));
  const order = inst.roles.map((r) => r.role);
  if (order.length > 1 && rng.chance(0.5)) order.reverse();
  const params = order.map((role) => ({ name: names[role], type: inst.roles.find((r) => r.role === role)!.type }));
  let words = (rng.chance(0.25) ? rng.pick(NEUTRAL_NAMES) : inst.nameWords).filter(Boolean);
  if (words.length < 2) words = [...words, words[0] === 'f' ? 'x' : 'values'];
  const s = splitOf(inst.shape, `${inst.consts}|${words.join('_')}|${params.map((p) => p.name).join(',')}`);
  if (split && s !== split) return null;
  const tests = makeTests(inst, order, rng);
  if (!tests) return null;
  const description = formatDoc({
    summary: inst.summary(names),
    args: params.map((p) => {
      const role = inst.roles.find((r) => r.role === order[params.indexOf(p)])!;
      return { name: p.name, text: role.doc(names) || typeWords(p.type) };
    }),
    returns: inst.returnsDoc,
  });
  const style = rng.between(0, STYLES - 1);
  const task: Task = {
    id,
    family: inst.family,
    shape: inst.shape,
    split: s,
    description,
    params,
    returns: inst.returns,
    entryPoint: {},
    signature: {},
    code: {},
    variants: {},
    prompt: {},
    tests,
    testCode: {},
  };
  for (const lang of langs) {
    const name = entryName(lang, words);
    const sig = signature(lang, name, params, inst.returns);
    const variants = Array.from({ length: STYLES }, (_, st) => functionText(lang, sig, inst.body(lang, st, names)));
    task.entryPoint[lang] = name;
    task.signature[lang] = sig;
    task.variants[lang] = variants;
    task.code[lang] = variants[style];
    task.prompt[lang] = codePrompt(lang, sig, description);
    task.testCode[lang] = testCode(lang, name, params, inst.returns, tests);
  }
  return task;
}

/**
 * `count` tasks of `split` (default: any split, i.e. the raw stream) from `seed`. The same
 * arguments always give the same tasks. Roughly 20-40k tasks per second per core.
 */
export function generateTasks(opts: GenerateOptions): Task[] {
  const langs = opts.langs ?? LANGS;
  const out: Task[] = [];
  const salt = opts.split ? SPLIT_SALT[opts.split] : 0;
  const maxAttempts = opts.count * 200 + 1000;
  for (let i = 0; out.length < opts.count; i++) {
    if (i > maxAttempts) throw new Error(`generateTasks: only ${out.length} of ${opts.count} tasks after ${i} draws (split ${opts.split}, families ${opts.families?.join(',') ?? 'all'})`);
    const t = buildTask(mixSeed(opts.seed ^ salt, i), opts.split, langs, `${opts.split ?? 'any'}/${opts.seed}/${i}`, opts.families);
    if (t) out.push(t);
  }
  return out;
}

/** A whole runnable program: `code` (a function in `lang`) followed by the task's tests. */
export function taskProgram(task: Task, lang: Lang, code: string): string {
  const tests = task.testCode[lang];
  if (tests === undefined) throw new Error(`task ${task.id} was generated without ${lang}`);
  if (lang === 'go') return goTestFile(code, tests);
  return `${code}\n\n${tests}`;
}

export interface LowResourceOptions {
  seed: number;
  split?: Split;
  /** the well-resourced language: many functions with documentation */
  high?: { lang: Lang; count: number };
  /** the low-resource language: few functions */
  low?: { lang: Lang; count: number };
}

/**
 * The paper's low-resource setting: many documented examples in one language (default
 * 5000 Python) and few in another (default 200 Ruby), drawn from disjoint seed streams
 * so that no instance is shared between the two.
 */
export function generateLowResource(opts: LowResourceOptions): { high: Task[]; low: Task[] } {
  const high = opts.high ?? { lang: 'python', count: 5000 };
  const low = opts.low ?? { lang: 'ruby', count: 200 };
  const split = opts.split ?? 'train';
  const h = generateTasks({ seed: opts.seed, count: high.count, split, langs: [high.lang] });
  const seen = new Set(h.map((t) => `${t.shape}|${JSON.stringify(t.tests)}`));
  const l = generateTasks({ seed: opts.seed + 0x5eed, count: low.count * 2, split, langs: [low.lang] })
    .filter((t) => !seen.has(`${t.shape}|${JSON.stringify(t.tests)}`))
    .slice(0, low.count);
  return { high: h, low: l };
}
