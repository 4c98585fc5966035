#!/usr/bin/env node
// How the reconstruction reward behaves inside training, from what runs logged
// (issue 12, point 8): `node tools/reward-audit.mjs RUN... [--metrics cssg,cssg-v1,exec-diff]`.
//
// Reads RUN/rollouts.jsonl (every group a run logged: `--log-rollouts` groups per step) and
// rescores every logged reconstruction c' against its code c under each metric, so metrics
// are compared on the same pairs. Per metric it prints:
//   corr(R_code2doc, R_doc)   over every logged doc, R_code2doc = S * R_doc (was 0.92 with v1:
//                             the stage-1 reward was mostly the format filter's)
//   groups with signal        fraction of groups with some reward > 0 (what dynamic sampling keeps)
//   S | unparsable            mean S of reconstructions that do not parse (Python: ast.parse)
//   S | parsable              mean S of those that do
//   corr(S, exec-diff)        agreement with behaviour on these real reconstructions
// Python snippets only (the default run's language). Needs dist/ (npm run build).
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { scorePairs, closeWorkers } = await import(join(root, 'dist/src/cssg/index.js'));
const { execDiffScores } = await import(join(root, 'dist/src/eval/diffexec.js'));

const args = process.argv.slice(2);
const mi = args.indexOf('--metrics');
const metrics = mi >= 0 ? args.splice(mi, 2)[1].split(',') : ['cssg-v1', 'cssg', 'exec-diff'];
const runs = args;
if (!runs.length) {
  console.error('usage: node tools/reward-audit.mjs RUN... [--metrics cssg,cssg-v1,exec-diff]');
  process.exit(2);
}

const groups = [];
for (const run of runs) {
  const f = join(run, 'rollouts.jsonl');
  if (!existsSync(f)) {
    console.error(`${run}: no rollouts.jsonl`);
    process.exit(2);
  }
  readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const g = JSON.parse(line);
      if (g.lang === 'python') groups.push(g);
    } catch {
      console.error(`${f}:${i + 1}: not JSON, skipped`);
    }
  });
}
const pairs = [];
for (const g of groups) for (const d of g.docs) if (d.reconstruction !== null && d.reconstruction !== undefined) pairs.push({ a: g.code, b: d.reconstruction, lang: 'python', d });

// which reconstructions parse (Python's own parser)
const parses = JSON.parse(
  execFileSync('python3', ['-c', 'import ast,json,sys\nout=[]\nfor s in json.load(sys.stdin):\n  try:\n    ast.parse(s); out.append(True)\n  except Exception:\n    out.append(False)\nprint(json.dumps(out))'], {
    input: JSON.stringify(pairs.map((p) => p.b)),
    maxBuffer: 64 << 20,
  }).toString(),
);

const scores = {};
for (const m of metrics) {
  scores[m] = m === 'exec-diff' ? (await execDiffScores(pairs)).map((s) => s.score) : await scorePairs(pairs, { metric: m, workers: 1 });
}
closeWorkers();

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
function corr(x, y) {
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

const nParse = parses.filter(Boolean).length;
console.log(`${groups.length} groups, ${groups.reduce((a, g) => a + g.docs.length, 0)} docs, ${pairs.length} reconstructions (${pairs.length - nParse} do not parse) from ${runs.join(', ')}\n`);
console.log('| metric | corr(R_code2doc, R_doc) | groups with signal | S, unparsable (n) | S, parsable (n) | corr(S, exec-diff) |');
console.log('|---|---|---|---|---|---|');
for (const m of metrics) {
  const s = scores[m];
  const byDoc = new Map(pairs.map((p, i) => [p.d, s[i]]));
  const rDoc = [], c2d = [];
  let signal = 0;
  for (const g of groups) {
    let any = false;
    for (const d of g.docs) {
      const S = byDoc.get(d) ?? 0;
      rDoc.push(d.rDoc);
      c2d.push(S * d.rDoc);
      if (S * d.rDoc > 0 || S > 0) any = true;
    }
    if (any) signal++;
  }
  const un = s.filter((_, i) => !parses[i]), ok = s.filter((_, i) => parses[i]);
  const ex = scores['exec-diff'];
  console.log(`| ${m} | ${f3(corr(c2d, rDoc))} | ${signal}/${groups.length} | ${f3(mean(un))} (${un.length}) | ${f3(mean(ok))} (${ok.length}) | ${ex && m !== 'exec-diff' ? f3(corr(s, ex)) : ''} |`);
}
