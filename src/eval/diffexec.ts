// Behavioural similarity by differential execution (issue 12, point 5): run the
// original c and the candidate c' on the same generated inputs and count agreement.
//
//   inputs  I = generateInputs(c) (src/eval/inputs.ts: seeded, type-directed, POOL of them)
//   ref     c runs once on I (one sandboxed process); inputs on which c times out are
//           dropped; at most MAX_INPUTS are kept, exceptions at most a quarter of them
//   a       = |{ i in kept : out(c', i) = out(c, i) }| / |kept|      (raw agreement)
//   p0      = max_v |{ i in kept : out(c, i) = v }| / |kept|        (the agreement the best
//             constant function reaches: c's most frequent answer)
//   k       = max(0, (a - p0) / (1 - p0))   if p0 < 1;   a   if c answers one value on all
// (chance-corrected, like Cohen's kappa against a constant rater: a stub that returns c's
// commonest answer, or any fixed value, scores 0; only agreement on inputs where c's answer
// varies counts; identical code scores 1)
//   N       = 1 when c' has a function named e, c's entry (the one a caller calls);
//             else dice(subwords(e), subwords(g)), g the name of the function of c' that ran
//   S_exec  = k * gateFactor(N) = k * (0.5 + 0.5 N)
// (the static interface gate, src/cssg/interface.ts, read off the run: a caller, every
// test, calls e by name, so a c' that renames it fails every test however right its body)
// Here out is the canonical text of the returned value (lists and tuples alike, sets
// and dicts sorted, floats to 9 digits, 2.0 = 2) or the type name of the exception
// raised. c' runs in its own process on all kept inputs (one process per candidate, not
// per input), with a per-input alarm, the sandbox's time, memory and output limits, its
// stdout/stderr sent to /dev/null (results go to a duplicated descriptor, each line
// tagged with a per-run nonce); anything c' does to its process (os._exit, fork, an
// infinite loop, huge output, writing files) only loses its own answers: missing
// answers disagree. The function of c' is the one with c's name, else the last one with
// c's number of parameters; the driver sends the name it is bound to in c' (what a caller
// would call; not `__name__`, which c' may set) as one more tagged line, and two such
// lines that disagree (only a forger sends a second) give N = 0.
// c cannot be run (no signature, fewer than MIN_OK inputs on which it returns, language
// other than Python, interpreter missing): the pair falls back to static CSSG v2 and is
// reported with ran = false. Scores are cached by (c, c') hash, reference runs by c hash.
//
// Hybrid: S = w S_exec + (1 - w) S_cssg when c ran, else S_cssg (w = HYBRID_WEIGHT).
// rewardScores(kind, pairs) is the one call a trainer needs per batch.
import { createHash, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { runProgram } from './languages.js';
import { mapParallel } from './sandbox.js';
import { generateInputs, type InputValue } from './inputs.js';
import { scorePairs, METRICS, type Metric, type Pair } from '../cssg/index.js';
import { Lru } from '../cssg/cache.js';
import { subwords, dice, gateFactor } from '../cssg/interface.js';

/** Inputs generated per function; the reference keeps at most MAX_INPUTS of them. */
export const POOL = 48;
export const MAX_INPUTS = 24;
/** Fewer inputs on which c returns normally: c cannot be run (static fallback). */
export const MIN_OK = 3;
export const PER_INPUT_S = 0.25;
export const HYBRID_WEIGHT = 0.9;
const LOAD_S = 2;

export interface ExecOptions {
  /** processes at once (default: min(4, cores)) */
  parallel?: number;
  /** weight of S_exec in the hybrid */
  weight?: number;
  seed?: number;
}

export interface ExecScore {
  score: number;
  /** false when c could not be run and `score` is static CSSG v2 */
  ran: boolean;
  /** inputs compared (0 when not run) */
  inputs: number;
}

interface RefRun {
  inputs: InputValue[][];
  outputs: string[];
  entry: string;
  nparams: number;
}

const refCache = new Lru<RefRun | null>(2048);
const scoreCache = new Lru<number>(16384);

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}

/** The Python driver: loads `src`, calls its function on each input, one tagged line per input. */
export function pythonDriver(src: string, entry: string, nparams: number, inputs: InputValue[][], nonce: string): string {
  return `import os, sys, json, signal, copy, types
_out = os.dup(1)
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 0); os.dup2(_null, 1); os.dup2(_null, 2)
NONCE = ${JSON.stringify(nonce)}
def _emit(i, s):
    try:
        os.write(_out, (NONCE + ' ' + str(i) + ' ' + s + '\\n').encode('utf-8', 'replace'))
    except BaseException:
        pass
class _Timeout(BaseException):
    pass
def _alarm(*a):
    raise _Timeout()
signal.signal(signal.SIGALRM, _alarm)
def _canon(v, d=0):
    if d > 12:
        return '...'
    t = type(v)
    if t is bool or v is None:
        return repr(v)
    if t is int:
        return int.__repr__(v)
    if t is float:
        if v != v:
            return 'nan'
        if v in (float('inf'), float('-inf')):
            return float.__repr__(v)
        if v == int(v) and abs(v) < 1e15:
            return int.__repr__(int(v))
        return float.__repr__(round(v, 9))
    if t is str:
        return str.__repr__(v)
    if t in (list, tuple):
        return '[' + ','.join(_canon(x, d + 1) for x in v[:2000]) + ']'
    if t in (set, frozenset):
        return '{' + ','.join(sorted(_canon(x, d + 1) for x in v)) + '}'
    if t is dict:
        return '{' + ','.join(sorted(_canon(k, d + 1) + ':' + _canon(x, d + 1) for k, x in v.items())) + '}'
    if t in (map, filter, zip, range, reversed, enumerate, types.GeneratorType):
        out = []
        for x in v:
            out.append(x)
            if len(out) > 2000:
                break
        return _canon(out, d)
    return '<' + t.__name__ + '>'
def _short(s):
    return s if len(s) <= 4000 else 'H' + str(hash(s))
_ns = {'__name__': '__candidate__'}
try:
    signal.setitimer(signal.ITIMER_REAL, ${LOAD_S})
    exec(compile(${JSON.stringify(src)}, 'candidate.py', 'exec'), _ns)
    signal.setitimer(signal.ITIMER_REAL, 0)
except BaseException as e:
    signal.setitimer(signal.ITIMER_REAL, 0)
    _emit(-1, 'L ' + type(e).__name__)
    os._exit(0)
_fns = [(k, v) for k, v in list(_ns.items()) if isinstance(v, types.FunctionType) and v.__code__.co_filename == 'candidate.py']
_name = ${JSON.stringify(entry)}
_f = _ns.get(_name)
if not (isinstance(_f, types.FunctionType) and _f.__code__.co_filename == 'candidate.py'):
    _same = [(k, g) for k, g in _fns if g.__code__.co_argcount == ${nparams}]
    _name, _f = _same[-1] if _same else (None, None)
if _f is None:
    _emit(-1, 'N')
    os._exit(0)
_emit('F', json.dumps(str(_name)))
_inputs = json.loads(${JSON.stringify(JSON.stringify(inputs))})
for _i, _args in enumerate(_inputs):
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, ${PER_INPUT_S})
            _s = 'R ' + _short(_canon(_f(*copy.deepcopy(_args))))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Timeout:
        _s = 'T'
    except BaseException as e:
        _s = 'E ' + type(e).__name__
    _emit(_i, _s)
os._exit(0)
`;
}

/** What one run of `src` gave back: its answer per input and how well the function it called is named. */
interface Run {
  /** per input: 'R ...', 'E Type', 'T', or '' where none came back */
  answers: string[];
  /** N = dice(subwords(entry), subwords(the name it called)); 1 when it called `entry` or called nothing */
  nameMatch: number;
}

/**
 * N of the name line(s) a run sent (null: a line that did not parse): 1 when it called
 * `entry` or sent none (nothing ran), 0 when the lines disagree or do not parse (only a
 * candidate that forges lines makes either), else the Dice of the names' subwords.
 */
function entryNameMatch(entry: string, called: readonly (string | null)[]): number {
  const names = new Set(called);
  if (names.size === 0) return 1;
  const [name] = names;
  if (names.size > 1 || name === null) return 0;
  return name === entry ? 1 : dice(subwords(entry), subwords(name));
}

/** Run `src` on `inputs` (the driver above); null when the interpreter is missing. */
async function runOn(src: string, entry: string, nparams: number, inputs: InputValue[][], slot: number): Promise<Run | null> {
  const nonce = randomBytes(12).toString('hex');
  const prog = pythonDriver(src, entry, nparams, inputs, nonce);
  const timeoutMs = Math.ceil((LOAD_S + PER_INPUT_S * inputs.length) * 1000) + 3000;
  const r = await runProgram('python', prog, { timeoutMs, memoryBytes: 512 * 1024 ** 2, outputCapBytes: 1 << 20 }, { slot });
  if (r.status === 'skipped') return null;
  const out = new Array<string>(inputs.length).fill('');
  const conflict = new Set<number>();
  const called: (string | null)[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith(nonce + ' ')) continue;
    const rest = line.slice(nonce.length + 1);
    const sp = rest.indexOf(' ');
    if (sp < 0) continue;
    const tag = rest.slice(0, sp);
    const ans = rest.slice(sp + 1);
    if (tag === 'F') {
      called.push(calledName(ans));
      continue;
    }
    const i = Number(tag);
    if (!Number.isInteger(i) || i < 0 || i >= inputs.length) continue;
    if (out[i] && out[i] !== ans) conflict.add(i);
    else out[i] = ans;
  }
  for (const i of conflict) out[i] = '';
  return { answers: out, nameMatch: entryNameMatch(entry, called) };
}

/** The name in an 'F' line (a JSON string), null when it is not one. */
function calledName(json: string): string | null {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Run c on its generated inputs once (cached): the inputs kept and c's answers; null: cannot run. */
async function reference(c: string, slot: number, seed: number): Promise<RefRun | null> {
  const key = seed + ':' + hash(c);
  const hit = refCache.get(key);
  if (hit !== undefined) return hit;
  let ref: RefRun | null = null;
  const gen = generateInputs(c, POOL, seed);
  if (gen) {
    const run = await runOn(c, gen.sig.name, gen.sig.params.length, gen.inputs, slot);
    if (run) {
      const outs = run.answers;
      const ok: number[] = [];
      const raised: number[] = [];
      outs.forEach((o, i) => (o.startsWith('R ') ? ok : o.startsWith('E ') ? raised : []).push(i));
      if (ok.length >= MIN_OK) {
        const keep = [...ok.slice(0, MAX_INPUTS), ...raised.slice(0, Math.floor(MAX_INPUTS / 4))].slice(0, MAX_INPUTS).sort((x, y) => x - y);
        ref = { inputs: keep.map((i) => gen.inputs[i]), outputs: keep.map((i) => outs[i]), entry: gen.sig.name, nparams: gen.sig.params.length };
      }
    }
  }
  refCache.set(key, ref);
  return ref;
}

/** S_exec from c's answers and c''s (formula at the top): raw agreement, corrected for a constant answer. */
export function chanceCorrected(ref: string[], got: string[]): number {
  const n = ref.length;
  if (n === 0) return 0;
  let agree = 0;
  const freq = new Map<string, number>();
  ref.forEach((o, i) => {
    if (got[i] === o) agree++;
    freq.set(o, (freq.get(o) ?? 0) + 1);
  });
  const a = agree / n;
  const p0 = Math.max(...freq.values()) / n;
  return p0 >= 1 ? a : Math.max(0, (a - p0) / (1 - p0));
}

/**
 * S_exec for each pair (a = c, the original; b = c'). Python only; other languages and
 * originals that cannot be run get static CSSG v2 with ran = false. Never throws.
 */
export async function execDiffScores(pairs: Pair[], opts: ExecOptions = {}): Promise<ExecScore[]> {
  const seed = opts.seed ?? 1;
  const parallel = Math.max(1, Math.min(opts.parallel ?? 4, availableParallelism() * 2));
  const out = await mapParallel(pairs, parallel, async (p, slot): Promise<ExecScore | null> => {
    try {
      if (p.lang !== 'python' || (p.langB ?? p.lang) !== 'python' || typeof p.a !== 'string' || typeof p.b !== 'string') return null;
      const ref = await reference(p.a, slot, seed);
      if (!ref) return null;
      const key = seed + ':' + hash(p.a) + hash(p.b);
      const hit = scoreCache.get(key);
      if (hit !== undefined) return { score: hit, ran: true, inputs: ref.inputs.length };
      const got = p.a === p.b ? { answers: ref.outputs, nameMatch: 1 } : await runOn(p.b, ref.entry, ref.nparams, ref.inputs, slot);
      if (!got) return null;
      const score = chanceCorrected(ref.outputs, got.answers) * gateFactor(got.nameMatch);
      scoreCache.set(key, score);
      return { score, ran: true, inputs: ref.inputs.length };
    } catch {
      return null;
    }
  });
  const fallback = out.map((r, i) => (r ? -1 : i)).filter((i) => i >= 0);
  const stat = fallback.length ? await scorePairs(fallback.map((i) => pairs[i]), { metric: 'cssg', workers: 1 }) : [];
  fallback.forEach((i, k) => (out[i] = { score: stat[k], ran: false, inputs: 0 }));
  return out as ExecScore[];
}

/** w S_exec + (1 - w) S_cssg where c ran, else S_cssg. */
export async function hybridScores(pairs: Pair[], opts: ExecOptions = {}): Promise<ExecScore[]> {
  const w = opts.weight ?? HYBRID_WEIGHT;
  if (!(w >= 0 && w <= 1)) throw new Error(`hybrid weight must be in [0, 1], got ${w}`);
  const [ex, st] = await Promise.all([execDiffScores(pairs, opts), scorePairs(pairs, { metric: 'cssg' })]);
  return ex.map((e, i) => (e.ran ? { ...e, score: w * e.score + (1 - w) * st[i] } : { ...e, score: st[i] }));
}

/** The reconstruction rewards that compare c with c' (every static metric, exec-diff, the hybrid). */
export const SIMILARITY_REWARDS = [...METRICS, 'exec-diff', 'cssg+exec-diff'] as const;
export type SimilarityReward = Metric | 'exec-diff' | 'cssg+exec-diff';

/**
 * The reconstruction reward for a batch (what a trainer calls once per batch): pairs of
 * (original, reconstruction); scores in [0, 1], in order. Never throws for any code.
 */
export async function rewardScores(kind: SimilarityReward, pairs: Pair[], opts: ExecOptions = {}): Promise<number[]> {
  switch (kind) {
    case 'exec-diff':
      return (await execDiffScores(pairs, opts)).map((s) => s.score);
    case 'cssg+exec-diff':
      return (await hybridScores(pairs, opts)).map((s) => s.score);
    default:
      if (!(METRICS as readonly string[]).includes(kind)) throw new Error(`unknown reward kind '${String(kind)}' (expected ${SIMILARITY_REWARDS.join(', ')})`);
      return scorePairs(pairs, { metric: kind });
  }
}
