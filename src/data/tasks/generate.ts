// The built-in task suite: seeded, procedural, four languages.
//
//   generateTasks({ seed, count, split, langs }) -> Task[]
//
// Splits. A task's *structure* is its composition with the primitives that fill its steps
// abstracted: its shape with every predicate, map, key, relation, operator and case slot
// written `*` when filled and `-` when empty ("fold/slice=first/pred=*/map=-/fold=sum").
// Tasks of one structure differ only in which primitives fill the steps, constants, names,
// argument order and style. About one structure in eight is held out, chosen within each
// family (see `heldOutStructures`): its tasks appear only in split 'heldout', the evaluation split. Abstracting the primitives (not just constants)
// is what makes this a guarantee in every language: Go writes "is a digit" and "is upper
// case" as `ch >= '0' && ch <= '9'` and `ch >= 'A' && ch <= 'Z'`, twins up to constants,
// and "even" and "divisible by 5" are twins in all four. So no evaluation program equals a
// training program up to renaming and constants, in any language or style, and no gold
// description is shared (checked by ../leakage.ts and test/data/leakage.test.ts). Held-out
// tasks are new compositions of steps the training splits all use. The remaining instances
// (shape + constants + function and parameter names) are hashed into train (80%),
// validation (10%) and test (10%): 'test' is in distribution (its structures, often its
// programs up to renaming, occur in training).
//
// Randomness: task i of a stream is drawn from its own generator, `new Rng(mixSeed(seed ^
// salt, i))` (the counter-based Rng of src/util/rng.ts), so a seed names the same tasks forever.
import { LANGS, type Lang } from '../../lang/parser.js';
import { formatDoc } from '../../doc/index.js';
import { fnv1a, mixSeed, Rng } from '../../util/rng.js';
import { codePrompt, entryName, functionText, goTestFile, signature, testCode, type TestCase } from './render.js';
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
  /** the composition with its primitives abstracted (`structureOf(shape)`): the unit of the held-out split */
  structure: string;
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

/** Shape keys whose value is a primitive (or a choice among primitives) filling a step. */
const SLOT_KEYS = new Set(['pred', 'map', 'case', 'c1', 'c2', 'e', 'key', 'rel', 'op']);

/** The structure of a shape: every filled primitive slot abstracted to `*` (see the top of this file). */
export function structureOf(shape: string): string {
  return shape
    .split('/')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0 || !SLOT_KEYS.has(part.slice(0, eq))) return part;
      const slots = part.slice(eq + 1).split(',');
      return `${part.slice(0, eq)}=${slots.map((v) => (v === '-' || v === 'none' ? '-' : '*')).join(',')}`;
    })
    .join('/');
}

/**
 * The held-out structures. Each family's structures are found by drawing
 * STRUCTURE_DRAWS instances from a fixed stream; in a family with n >= 3 structures, the
 * max(1, floor(n / 8)) with the smallest FNV-1a hashes are held out (families with one or two
 * structures, e.g. pairs, keep them all for training). Selecting by hash, not by draw order,
 * keeps the choice stable when templates change elsewhere. A structure that the draws miss
 * (too rare) is never held out, which cannot leak.
 */
export function heldOutStructures(): ReadonlySet<string> {
  if (heldOut) return heldOut;
  const out = new Set<string>();
  const root = new Rng('batcoder/structures');
  for (const fam of FAMILIES) {
    const rng = root.split(fam.name);
    const found = new Set<string>();
    for (let i = 0; i < STRUCTURE_DRAWS; i++) found.add(structureOf(fam.make(rng).shape));
    if (found.size < 3) continue;
    const ranked = [...found].sort((a, b) => fnv1a(a) - fnv1a(b) || (a < b ? -1 : 1));
    for (const st of ranked.slice(0, Math.max(1, Math.floor(found.size / 8)))) out.add(st);
  }
  return (heldOut = out);
}
const STRUCTURE_DRAWS = 4000;
let heldOut: Set<string> | undefined;

/** Is this structure held out (only in split 'heldout')? */
export function isHeldOutStructure(structure: string): boolean {
  return heldOutStructures().has(structure);
}

/** The split an instance (structure, shape and `key`: constants and names) belongs to. */
export function splitOf(structure: string, shape: string, key: string): Split {
  if (isHeldOutStructure(structure)) return 'heldout';
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
  const structure = structureOf(inst.shape);
  if (split === 'heldout' ? !isHeldOutStructure(structure) : split && isHeldOutStructure(structure)) return null;
  // names and argument order
  const names: Record<string, string> = {};
  for (const r of inst.roles) names[r.role] = rng.pick(r.names.filter((n) => !Object.values(names).includes(n)));
  const order = inst.roles.map((r) => r.role);
  if (order.length > 1 && rng.chance(0.5)) order.reverse();
  const params = order.map((role) => ({ name: names[role], type: inst.roles.find((r) => r.role === role)!.type }));
  let words = (rng.chance(0.25) ? rng.pick(NEUTRAL_NAMES) : inst.nameWords).filter(Boolean);
  if (words.length < 2) words = [...words, words[0] === 'f' ? 'x' : 'values'];
  const s = splitOf(structure, inst.shape, `${inst.consts}|${words.join('_')}|${params.map((p) => p.name).join(',')}`);
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
    structure,
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
