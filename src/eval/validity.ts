// Does the reward follow behaviour? Probe sets from the built-in task suite and MBPP
// (sanitized), never HumanEval (run by bench/cssg-validity.ts and `batcoder cssg --validate`):
//   node dist/bench/cssg-validity.js [--quick] [--tasks N] [--mbpp N] [--seed S] [--json FILE]
//                                    [--metrics cssg,cssg-v1,wl,tokens,exec-diff,hybrid; also tokens-anon,difflib] [--weights W1,W2]
// For each original c (a suite task's reference code, or an MBPP reference solution that
// passes its tests), seeded probes, each checked by running the problem's tests:
//   rewrites (must pass): the suite's other equivalent implementations; locals renamed;
//     `x op= y` spelled `x = x op (y)`; `a > b` spelled `b < a`; `a * b` spelled `b * a`;
//     the whole body moved into a helper `def f_impl(params)` that `f` returns the call of
//     (extract-helper: made apart from the others by extractHelper, deterministic, no draw
//     from the stream, and added last to an original already kept for the others, so
//     the originals and every other probe are what they were before this kind);
//   mutants (must fail): an arithmetic operator changed, an integer constant +1, a
//     comparison changed (< to <=, == to !=, ...), a statement dropped, two call
//     arguments swapped;
//   unrelated: another original's code; stub: c's def line + `return 0`.
// Per metric: AUC of S(c, probe) for "passes the same tests" (rewrites) vs "does not"
// (mutants), pooled over all originals (ties count 1/2), also without the suite's
// variants (local rewrites only: a variant is another algorithm); mean S of unrelated and stubs;
// the fraction of (rewrite, mutant) pairs of one original ordered S(r) > S(m) > S(u);
// pairs/s (static metrics: scorePairs over all probe pairs, threads included; exec:
// wall time of the runs). Prints a Markdown table, writes JSON (default
// bench/results/cssg-validity.json, or --json).
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateTasks, type Task } from '../data/tasks/index.js';
import { Rng } from '../util/rng.js';
import { loadMbpp, taskChecked, type CheckedProgram } from '../data/benchmarks.js';
import { runProgram, unavailable } from './languages.js';
import { mapParallel } from './sandbox.js';
import { scorePairs, closeWorkers, METRICS, type Metric, type Pair } from '../cssg/index.js';
import { execDiffScores, HYBRID_WEIGHT } from './diffexec.js';
import { repoRoot } from '../util/paths.js';

export interface Original {
  id: string;
  code: string;
  /** the program that runs `code` against the problem's tests */
  program: (code: string) => string | CheckedProgram;
  /** equivalent implementations known in advance (suite variants) */
  variants: string[];
  timeoutMs: number;
}

export interface ProbeSet {
  original: Original;
  rewrites: { kind: string; code: string }[];
  mutants: { kind: string; code: string }[];
  unrelated: string;
  stub: string;
}

// ------------------------------------------------------------------ rewrites and mutants

function assignedNames(code: string): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(/^\s*([a-z_]\w*)\s*(?:[-+*/%]|\/\/)?=(?!=)/gm)) out.add(m[1]);
  for (const m of code.matchAll(/\bfor\s+([a-z_]\w*)\s+in\b/g)) out.add(m[1]);
  return [...out];
}

/** Replace occurrence `k` (of all matches of `re`, global) by `f(match)`. */
function replaceNth(code: string, re: RegExp, k: number, f: (m: RegExpExecArray) => string): string {
  let i = 0;
  return code.replace(re, (...args) => {
    const m = args as unknown as RegExpExecArray;
    return i++ === k ? f(m) : m[0];
  });
}

function count(code: string, re: RegExp): number {
  return [...code.matchAll(re)].length;
}

/** Lines of the body outside strings' first line (the def line is line 0). */
function bodyLines(code: string): number[] {
  const lines = code.split('\n');
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (i === 0 || !l.trim() || /^\s*(def |class |@|#|"""|''')/.test(l) || /:\s*$/.test(l)) return;
    out.push(i);
  });
  return out;
}

const OPERAND = String.raw`[A-Za-z_]\w*(?:\[[^\]\n]*\])?|\d+`;

export function rewritesOf(code: string, r: Rng): { kind: string; code: string }[] {
  const out: { kind: string; code: string }[] = [];
  const names = assignedNames(code).filter((n) => n.length > 0 && !/^(self|cls)$/.test(n));
  if (names.length) {
    let c = code;
    names.forEach((n, i) => (c = c.replace(new RegExp(`\\b${n}\\b`, 'g'), `renamed_${i}`)));
    out.push({ kind: 'rename', code: c });
  }
  const aug = /^(\s*)([A-Za-z_]\w*) (\+|-|\*)= (.+)$/gm;
  if (count(code, aug)) out.push({ kind: 'aug-expand', code: code.replace(aug, (_m, ind, x, op, y) => `${ind}${x} = ${x} ${op} (${y})`) });
  const gt = new RegExp(`(?<![\\w\\]])(${OPERAND}) (>=|>) (${OPERAND})(?![\\w\\[(])`, 'g');
  const ng = count(code, gt);
  if (ng) out.push({ kind: 'flip-comparison', code: replaceNth(code, gt, r.between(0, ng - 1), (m) => `${m[3]} ${m[2] === '>' ? '<' : '<='} ${m[1]}`) });
  const mul = new RegExp(`(?<![\\w\\].*/])(${OPERAND}) \\* (${OPERAND})(?![\\w\\[(*])`, 'g');
  const nm = count(code, mul);
  if (nm) out.push({ kind: 'commute', code: replaceNth(code, mul, r.between(0, nm - 1), (m) => `${m[2]} * ${m[1]}`) });
  return out.filter((x) => x.code !== code);
}

/**
 * The rewrite `extract-helper`: the last top-level python function `def f(params):` with
 * its body moved into `def f_impl(params):` (the same parameter text, defaults included)
 * and `f` left as `return f_impl(p1, ..., pk)`, the helper written just above it. Only
 * for a one-line signature whose body starts on the next line and plain parameters
 * (`name`, `name: T`, `name=d`; no `*`, `**`, `/`); undefined otherwise, or when
 * `f_impl` is already named in the code.
 */
export function extractHelper(code: string): string | undefined {
  const lines = code.split('\n');
  let at = -1;
  lines.forEach((l, i) => {
    if (/^def \w+\(.*\)\s*(->[^:]*)?:\s*(#.*)?$/.test(l)) at = i;
  });
  if (at < 0) return undefined;
  const m = /^def (\w+)\((.*)\)\s*(->[^:]*)?:/.exec(lines[at])!;
  const [name, paramText] = [m[1], m[2]];
  const helper = `${name}_impl`;
  if (new RegExp(`\\b${helper}\\b`).test(code)) return undefined;
  const params = paramText.trim() ? paramText.split(',').map((p) => p.trim()) : [];
  if (params.some((p) => !/^[A-Za-z_]\w*\s*(:[^=]+)?(=.+)?$/.test(p))) return undefined;
  const names = params.map((p) => /^[A-Za-z_]\w*/.exec(p)![0]);
  // the body: the lines after the def up to the next line that starts at column 0
  let end = at + 1;
  while (end < lines.length && (lines[end].trim() === '' || /^\s/.test(lines[end]))) end++;
  while (end > at + 1 && lines[end - 1].trim() === '') end--;
  if (end === at + 1) return undefined;
  const ind = /^\s+/.exec(lines[at + 1])?.[0] ?? '    ';
  const head = lines[at].replace(/^def \w+\(/, `def ${helper}(`);
  const wrapper = [lines[at], `${ind}return ${helper}(${names.join(', ')})`];
  return [...lines.slice(0, at), head, ...lines.slice(at + 1, end), ...wrapper, ...lines.slice(end)].join('\n');
}

export function mutantsOf(code: string, r: Rng): { kind: string; code: string }[] {
  const out: { kind: string; code: string }[] = [];
  const arith = / (\+|-|\*|\/\/|%) (?!=)/g;
  const na = count(code, arith);
  const swapOp: Record<string, string> = { '+': '-', '-': '+', '*': '+', '//': '%', '%': '//' };
  if (na) out.push({ kind: 'operator', code: replaceNth(code, arith, r.between(0, na - 1), (m) => ` ${swapOp[m[1]]} `) });
  const lit = /(?<![\w.'"])(\d+)(?![\w.'"])/g;
  const body = code.slice(code.indexOf('\n') + 1);
  const head = code.slice(0, code.indexOf('\n') + 1);
  const nl = count(body, lit);
  if (nl) out.push({ kind: 'constant', code: head + replaceNth(body, lit, r.between(0, nl - 1), (m) => String(Number(m[1]) + 1)) });
  const cmp = / (<=|>=|==|!=|<|>) /g;
  const nc = count(code, cmp);
  const swapCmp: Record<string, string> = { '<': '<=', '<=': '<', '>': '>=', '>=': '>', '==': '!=', '!=': '==' };
  if (nc) out.push({ kind: 'comparison', code: replaceNth(code, cmp, r.between(0, nc - 1), (m) => ` ${swapCmp[m[1]]} `) });
  const lines = bodyLines(code).filter((i) => !/^\s*return\b/.test(code.split('\n')[i]) || r.chance(0.3));
  if (lines.length) {
    const drop = r.pick(lines);
    const ls = code.split('\n');
    const ind = /^\s*/.exec(ls[drop])![0];
    ls[drop] = ind + 'pass';
    out.push({ kind: 'drop-statement', code: ls.join('\n') });
  }
  const call = new RegExp(`(?<![\\w.])([A-Za-z_]\\w*)\\((${OPERAND}), (${OPERAND})\\)`, 'g');
  const calls = [...code.matchAll(call)].filter((m) => m[2] !== m[3] && !/^(range|print|isinstance)$/.test(m[1]));
  if (calls.length) {
    const m = r.pick(calls);
    out.push({ kind: 'swap-args', code: code.slice(0, m.index) + `${m[1]}(${m[3]}, ${m[2]})` + code.slice(m.index! + m[0].length) });
  }
  return out.filter((x) => x.code !== code);
}

// ------------------------------------------------------------------ originals

export function suiteOriginals(n: number, seed: number): Original[] {
  const tasks: Task[] = generateTasks({ seed, count: n, split: 'train', langs: ['python'] });
  return tasks.map((t) => ({
    id: `suite/${t.id}`,
    code: t.code.python!,
    program: (c: string) => taskChecked(t, 'python', c),
    variants: (t.variants.python ?? []).filter((v) => v !== t.code.python),
    timeoutMs: 5000,
  }));
}

export function mbppOriginals(n: number, seed: number): Original[] {
  const ps = loadMbpp('sanitized').problems.filter((p) => p.reference && /^def /m.test(p.reference) && p.reference.split('\n').length <= 40);
  const r = new Rng(seed);
  r.shuffle(ps);
  return ps.slice(0, n).map((p) => ({ id: `mbpp/${p.id}`, code: p.reference!.trim() + '\n', program: (c: string) => p.program(c), variants: [], timeoutMs: 5000 }));
}

async function passes(o: Original, code: string, slot: number): Promise<boolean> {
  const res = await runProgram('python', o.program(code), { timeoutMs: o.timeoutMs }, { slot });
  return res.status === 'passed';
}

/**
 * The unverified probes of original `o`, the i-th of its set: candidate rewrites and mutants
 * (one seeded stream, in that order), its stub (def line + `return 0`) and, apart, its
 * extract-helper rewrite (no draw; undefined where extractHelper makes none). buildProbes
 * keeps the candidates the tests confirm; bench/cssg-fingerprint.ts scores all but the helper.
 */
export function probeCandidates(o: Original, seed: number, i: number): { rewrites: { kind: string; code: string }[]; mutants: { kind: string; code: string }[]; stub: string; helper?: string } {
  const r = new Rng(seed * 7919 + i);
  const rewrites = rewritesOf(o.code, r);
  const mutants = mutantsOf(o.code, r);
  const def = o.code.split('\n').find((l) => /^def /.test(l)) ?? '';
  return { rewrites, mutants, stub: `${def}\n    return 0\n`, helper: extractHelper(o.code) };
}

/** Probes for each original, each verified by the tests; originals whose code fails are dropped. */
export async function buildProbes(originals: Original[], seed: number, parallel = 2): Promise<ProbeSet[]> {
  const sets = await mapParallel(originals, parallel, async (o, slot, i): Promise<ProbeSet | null> => {
    if (!(await passes(o, o.code, slot))) return null;
    const c = probeCandidates(o, seed, i);
    const rewrites: { kind: string; code: string }[] = [];
    for (const v of o.variants) if (await passes(o, v, slot)) rewrites.push({ kind: 'variant', code: v });
    for (const w of c.rewrites) if (await passes(o, w.code, slot)) rewrites.push(w);
    const mutants: { kind: string; code: string }[] = [];
    for (const m of c.mutants) if (!(await passes(o, m.code, slot))) mutants.push(m);
    if (!rewrites.length || !mutants.length) return null;
    // the helper only joins an original kept without it (nearly every one has it)
    if (c.helper && (await passes(o, c.helper, slot))) rewrites.push({ kind: 'extract-helper', code: c.helper });
    return { original: o, rewrites, mutants, unrelated: '', stub: c.stub };
  });
  const ok = sets.filter((s): s is ProbeSet => s !== null);
  // unrelated: the code of another original, far along the list
  ok.forEach((s, i) => (s.unrelated = ok[(i + Math.max(1, Math.floor(ok.length / 2))) % ok.length].original.code));
  return ok;
}

// ------------------------------------------------------------------ measures

/** P(S(pos) > S(neg)) + P(equal) / 2. */
export function auc(pos: number[], neg: number[]): number {
  if (!pos.length || !neg.length) return NaN;
  const all = [...pos.map((s) => [s, 1] as const), ...neg.map((s) => [s, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k][1] === 1) rankSum += rank;
    i = j;
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

export interface MetricRow {
  metric: string;
  auc: number;
  /** AUC with the local rewrites only (suite variants left out) */
  aucLocal: number;
  unrelated: number;
  stub: number;
  identical: number;
  ordered: number;
  pairsPerSecond: number;
  /** exec metrics: pairs where the original could not be run (static fallback) */
  fallback?: number;
  /** mean S per probe kind */
  meanByProbe: Record<string, number>;
  n: { rewrites: number; mutants: number; unrelated: number; stubs: number; triples: number };
}

export interface Layout {
  pairs: Pair[];
  kind: ('rewrite' | 'mutant' | 'unrelated' | 'stub' | 'identical')[];
  set: number[];
  /** probe kind: variant, rename, operator... */
  probe: string[];
}

export function layout(sets: ProbeSet[]): Layout {
  const L: Layout = { pairs: [], kind: [], set: [], probe: [] };
  const add = (a: string, b: string, k: Layout['kind'][number], s: number, probe: string = k) => {
    L.pairs.push({ a, b, lang: 'python' });
    L.kind.push(k);
    L.set.push(s);
    L.probe.push(probe);
  };
  sets.forEach((s, i) => {
    for (const r of s.rewrites) add(s.original.code, r.code, 'rewrite', i, r.kind);
    for (const m of s.mutants) add(s.original.code, m.code, 'mutant', i, m.kind);
    add(s.original.code, s.unrelated, 'unrelated', i);
    add(s.original.code, s.stub, 'stub', i);
    add(s.original.code, s.original.code, 'identical', i);
  });
  return L;
}

export function measure(metric: string, L: Layout, scores: number[], seconds: number, fallback?: number): MetricRow {
  const pick = (k: string) => scores.filter((_, i) => L.kind[i] === k);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const pos = pick('rewrite');
  const neg = pick('mutant');
  const local = scores.filter((_, i) => L.kind[i] === 'rewrite' && L.probe[i] !== 'variant');
  const byProbe: Record<string, number> = {};
  const nProbe: Record<string, number> = {};
  scores.forEach((s, i) => {
    const k = (L.kind[i] === 'rewrite' ? 'rewrite:' : L.kind[i] === 'mutant' ? 'mutant:' : '') + L.probe[i];
    byProbe[k] = (byProbe[k] ?? 0) + s;
    nProbe[k] = (nProbe[k] ?? 0) + 1;
  });
  for (const k of Object.keys(byProbe)) byProbe[k] = Math.round((byProbe[k] / nProbe[k]) * 1000) / 1000;
  let ordered = 0;
  let triples = 0;
  const bySet = new Map<number, { r: number[]; m: number[]; u: number }>();
  L.pairs.forEach((_, i) => {
    let e = bySet.get(L.set[i]);
    if (!e) bySet.set(L.set[i], (e = { r: [], m: [], u: 0 }));
    if (L.kind[i] === 'rewrite') e.r.push(scores[i]);
    else if (L.kind[i] === 'mutant') e.m.push(scores[i]);
    else if (L.kind[i] === 'unrelated') e.u = scores[i];
  });
  for (const e of bySet.values()) {
    for (const r of e.r) {
      for (const m of e.m) {
        triples++;
        if (r > m && m > e.u) ordered++;
      }
    }
  }
  return {
    metric,
    auc: auc(pos, neg),
    aucLocal: auc(local, neg),
    meanByProbe: byProbe,
    unrelated: mean(pick('unrelated')),
    stub: mean(pick('stub')),
    identical: Math.min(...pick('identical')),
    ordered: triples ? ordered / triples : NaN,
    pairsPerSecond: L.pairs.length / seconds,
    fallback,
    n: { rewrites: pos.length, mutants: neg.length, unrelated: pick('unrelated').length, stubs: pick('stub').length, triples },
  };
}

export async function evaluate(sets: ProbeSet[], metrics: string[], weights = [HYBRID_WEIGHT]): Promise<MetricRow[]> {
  const L = layout(sets);
  const rows: MetricRow[] = [];
  let cssg: number[] | undefined;
  let exec: { score: number; ran: boolean }[] | undefined;
  let execSeconds = 0;
  for (const m of metrics) {
    if (m === 'exec-diff' || m === 'hybrid') {
      if (!exec) {
        const t0 = performance.now();
        exec = await execDiffScores(L.pairs, { parallel: 2 });
        execSeconds = (performance.now() - t0) / 1000;
      }
      const fallback = exec.filter((e) => !e.ran).length;
      if (m === 'exec-diff') rows.push(measure(m, L, exec.map((e) => e.score), execSeconds, fallback));
      else {
        cssg ??= await scorePairs(L.pairs, { metric: 'cssg' });
        for (const w of weights) rows.push(measure(`hybrid (w=${w})`, L, exec.map((e, i) => (e.ran ? w * e.score + (1 - w) * cssg![i] : cssg![i])), execSeconds, fallback));
      }
      continue;
    }
    const t0 = performance.now();
    const s = await scorePairs(L.pairs, { metric: m as Metric });
    const sec = (performance.now() - t0) / 1000;
    if (m === 'cssg') cssg = s;
    rows.push(measure(m, L, s, sec));
  }
  return rows;
}

export function table(rows: MetricRow[]): string {
  const f = (x: number | undefined, d = 3) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
  const out = ['| metric | AUC rewrite vs mutant | AUC, local rewrites | unrelated mean | stub mean | identical (min) | ordered r > m > u | pairs/s | static fallback |', '|---|---|---|---|---|---|---|---|---|'];
  for (const r of rows) out.push(`| ${r.metric} | ${f(r.auc)} | ${f(r.aucLocal)} | ${f(r.unrelated)} | ${f(r.stub)} | ${f(r.identical)} | ${f(r.ordered)} | ${f(r.pairsPerSecond, 0)} | ${r.fallback ?? '-'} |`);
  return out.join('\n');
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function intArg(args: string[], name: string, dflt: number): number {
  const v = arg(args, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${v}'`);
  return n;
}

/** The default table's metrics; --metrics also takes the other static ones ('tokens-anon', 'difflib'). */
export const ALL_METRICS = ['cssg', 'cssg-v1', 'wl', 'tokens', 'exec-diff', 'hybrid'];
const ACCEPTED = [...new Set([...ALL_METRICS, ...METRICS])];

/** Run the bench; `args` are the flags in the file comment (default: this process's). */
export async function main(args = process.argv.slice(2)): Promise<MetricRow[]> {
  const known = new Set(['--quick', '--verbose', '--seed', '--tasks', '--mbpp', '--weights', '--metrics', '--json']);
  for (const a of args) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown flag '${a}' (expected ${[...known].join(', ')})`);
  const quick = args.includes('--quick');
  const seed = intArg(args, '--seed', 1);
  const nTasks = intArg(args, '--tasks', quick ? 8 : 60);
  const nMbpp = intArg(args, '--mbpp', quick ? 8 : 60);
  const weights = (arg(args, '--weights') ?? String(HYBRID_WEIGHT)).split(',').map(Number);
  for (const w of weights) if (!(w >= 0 && w <= 1)) throw new Error(`--weights must be numbers in [0, 1], got '${arg(args, '--weights')}'`);
  const metrics = (arg(args, '--metrics') ?? ALL_METRICS.join(',')).split(',');
  for (const m of metrics) if (!ACCEPTED.includes(m)) throw new Error(`unknown metric '${m}' (expected ${ACCEPTED.join(', ')})`);
  const why = unavailable('python');
  if (why) throw new Error(`cssg-validity needs python to verify probes: ${why}`);
  const t0 = performance.now();
  const originals = [...suiteOriginals(nTasks, seed), ...mbppOriginals(nMbpp, seed)];
  const sets = await buildProbes(originals, seed);
  const probeSeconds = (performance.now() - t0) / 1000;
  const rows = await evaluate(sets, metrics, weights);
  await closeWorkers();
  const n = {
    originals: sets.length,
    suite: sets.filter((s) => s.original.id.startsWith('suite/')).length,
    mbpp: sets.filter((s) => s.original.id.startsWith('mbpp/')).length,
    rewrites: sets.reduce((a, s) => a + s.rewrites.length, 0),
    mutants: sets.reduce((a, s) => a + s.mutants.length, 0),
  };
  const kinds: Record<string, number> = {};
  for (const s of sets) for (const p of [...s.rewrites.map((x) => 'rewrite:' + x.kind), ...s.mutants.map((x) => 'mutant:' + x.kind)]) kinds[p] = (kinds[p] ?? 0) + 1;
  console.log(`probes: ${n.originals} originals (${n.suite} suite, ${n.mbpp} MBPP), ${n.rewrites} rewrites, ${n.mutants} mutants, verified in ${probeSeconds.toFixed(0)} s; seed ${seed}`);
  console.log(`kinds: ${Object.entries(kinds).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(table(rows));
  if (args.includes('--verbose')) for (const r of rows) console.log(r.metric, JSON.stringify(r.meanByProbe));
  const out = arg(args, '--json') ?? join(repoRoot(), 'bench', 'results', quick ? 'cssg-validity-quick.json' : 'cssg-validity.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ command: `node dist/bench/cssg-validity.js ${args.join(' ')}`.trim(), seed, n, kinds, rows }, null, 2) + '\n');
  console.log(`wrote ${out}`);
  return rows;
}
