// A fingerprint of CSSG scores: one hash per metric over every score of a fixed pair
// set, so that a speed change can be shown to leave every score bit-identical.
//   node dist/bench/cssg-fingerprint.js [--dump FILE] [--diff FILE] [--off name,...]
// Pairs (all fixed, no execution, never HumanEval):
//   - the training pattern of bench/cssg.ts (bench/cssg-pairs.ts, tag 1): 1,024 pairs in
//     the four languages;
//   - the validity bench's candidate probes, seed 1 (src/eval/validity.ts: 60 suite
//     tasks and 60 MBPP solutions; each original against its suite variants, its
//     rewrite and mutant candidates, its stub and another original), unverified: the
//     fingerprint needs the pairs, not the verdicts; the extract-helper candidate (made
//     after the hashes were set) is not among them;
//   - cross-language pairs: one generated program printed in Python against the same
//     in JavaScript / Go / Ruby, and against another program;
// each pair scored in both orders (a, b) and (b, a). Metrics: cssg (v2), cssg-v1, wl,
// tokens, scored inline. The hash is SHA-256 over the scores' float64 bits in order.
// --off switches CSSG v2 normalisations off (src/cssg/options.ts): `--off interface-gate`
// prints the cssg hash the scores had before the interface gate.
// --dump FILE writes every score (JSON) and --diff FILE compares with such a dump:
// how many scores changed and by how much (max and mean absolute change per metric).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { scorePairs, METRICS, type Pair } from '../src/cssg/index.js';
import { suiteOriginals, mbppOriginals, probeCandidates } from '../src/eval/validity.js';
import { LANGS } from '../src/lang/parser.js';
import { batch } from './cssg-pairs.js';
import { offList } from './suite-args.js';
import { genProgram, print } from '../test/cssg/gen.js';

const SEED = 1;

function validityPairs(): Pair[] {
  const originals = [...suiteOriginals(60, SEED), ...mbppOriginals(60, SEED)];
  const out: Pair[] = [];
  originals.forEach((o, i) => {
    const c = probeCandidates(o, SEED, i);
    const probes = [...o.variants, ...c.rewrites.map((w) => w.code), ...c.mutants.map((m) => m.code)];
    probes.push(c.stub, originals[(i + 60) % originals.length].code);
    for (const b of probes) out.push({ a: o.code, b, lang: 'python' });
  });
  return out;
}

function crossPairs(): Pair[] {
  const out: Pair[] = [];
  for (let s = 1; s <= 40; s++) {
    const p = genProgram(s, 4 + (s % 6));
    const q = genProgram(5000 + s, 4 + (s % 6));
    for (const lb of LANGS) {
      if (lb === 'python') continue;
      out.push({ a: print(p, 'python'), b: print(p, lb), lang: 'python', langB: lb });
      out.push({ a: print(p, 'python'), b: print(q, lb), lang: 'python', langB: lb });
    }
  }
  return out;
}

const args = process.argv.slice(2);
const flagValue = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  if (!args[i + 1]) throw new Error(`${name} needs a value`);
  return args[i + 1];
};
const dump = flagValue('--dump');
const diff = flagValue('--diff');
const off = offList(flagValue('--off'));

const forward = [...batch(1), ...validityPairs(), ...crossPairs()];
const pairs = [...forward, ...forward.map((p) => ({ a: p.b, b: p.a, lang: p.langB ?? p.lang, langB: p.lang }))];
console.log(`pairs: ${pairs.length} (${forward.length} in both orders), seed ${SEED}`);
const all: Record<string, number[]> = {};
for (const metric of METRICS) {
  const t0 = process.cpuUsage();
  const s = await scorePairs(pairs, { metric, workers: 1, off });
  const cpu = process.cpuUsage(t0);
  const hash = createHash('sha256').update(new Uint8Array(Float64Array.from(s).buffer)).digest('hex').slice(0, 16);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  console.log(`${metric.padEnd(8)} sha256 ${hash}   mean ${mean.toFixed(6)}   (${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU-s, includes graph building)`);
  all[metric] = s;
}
if (dump) {
  writeFileSync(dump, JSON.stringify(all) + '\n');
  console.log(`wrote ${dump}`);
}
if (diff) {
  const old = JSON.parse(readFileSync(diff, 'utf8')) as Record<string, number[]>;
  for (const metric of METRICS) {
    const a = old[metric], b = all[metric];
    if (!a || a.length !== b.length) {
      console.log(`${metric}: not comparable with ${diff} (${a?.length ?? 0} vs ${b.length} scores)`);
      continue;
    }
    let changed = 0, maxAbs = 0, sumAbs = 0;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i] - b[i]);
      if (!Object.is(a[i], b[i])) changed++;
      maxAbs = Math.max(maxAbs, d);
      sumAbs += d;
    }
    console.log(`${metric.padEnd(8)} vs ${diff}: ${changed} of ${a.length} scores changed, max |change| ${maxAbs.toExponential(2)}, mean |change| ${(sumAbs / a.length).toExponential(2)}`);
  }
}
