#!/usr/bin/env node
// Compare two run directories field by field: `node tools/compare-runs.mjs A B`.
//
// What a refactor must leave unchanged: every metrics.jsonl record (same order, same
// keys, same values) except the fields that measure the machine rather than the run
// (wall-clock times, throughput, GPU memory), every eval-*.json and rollouts.jsonl.
// Prints each difference (file, line, field, both values) and exits 1 if there is any,
// 0 when the runs are the same; exits 2 on a usage error or a missing directory.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Fields that depend on the machine and the moment, not on the computation. */
const TIMING = new Set(['time', 'elapsed_s', 'tokens_per_s', 'step_seconds', 'sample_seconds', 'reward_seconds', 'update_seconds', 'gpu_bytes']);

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node tools/compare-runs.mjs RUN_A RUN_B');
  process.exit(2);
}
for (const d of [a, b]) {
  if (!existsSync(join(d, 'metrics.jsonl'))) {
    console.error(`${d}: no metrics.jsonl (is this a run directory?)`);
    process.exit(2);
  }
}

const diffs = [];
const show = (v) => (v === undefined ? '(absent)' : JSON.stringify(v));

function jsonl(path) {
  if (!existsSync(path)) return null;
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Deep comparison; reports leaf differences under `where`. */
function compare(x, y, where, skip = () => false) {
  if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const k of keys) if (!skip(k)) compare(x[k], y[k], `${where}.${k}`);
    return;
  }
  if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${where}: ${show(x)} vs ${show(y)}`);
}

function compareJsonl(name, skip) {
  const x = jsonl(join(a, name)), y = jsonl(join(b, name));
  if (x === null && y === null) return;
  if (x === null || y === null) return diffs.push(`${name}: only in ${x ? a : b}`);
  if (x.length !== y.length) diffs.push(`${name}: ${x.length} vs ${y.length} lines`);
  for (let i = 0; i < Math.min(x.length, y.length); i++) compare(x[i], y[i], `${name}:${i + 1}`, skip);
}

compareJsonl('metrics.jsonl', (k) => TIMING.has(k));
compareJsonl('rollouts.jsonl', () => false);
const evals = (d) => readdirSync(d).filter((f) => /^eval-.*\.json$/.test(f)).sort();
const ea = evals(a), eb = evals(b);
for (const f of new Set([...ea, ...eb])) {
  if (!ea.includes(f) || !eb.includes(f)) diffs.push(`${f}: only in ${ea.includes(f) ? a : b}`);
  else compare(JSON.parse(readFileSync(join(a, f), 'utf8')), JSON.parse(readFileSync(join(b, f), 'utf8')), f);
}

for (const d of diffs) console.log(d);
console.log(diffs.length ? `${diffs.length} difference(s) between ${a} and ${b}` : `${a} and ${b}: same metrics (timing fields ignored), evaluations and rollouts`);
process.exit(diffs.length ? 1 : 0);
