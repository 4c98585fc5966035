// Test runner: runs every compiled test file (dist/test/**/*.test.js) with uvu,
// one Node process per file (a crash or a hung GPU in one file cannot take the
// others down), two files at a time, and ends with the line CI reads:
//   N passed, N failed[, N skipped]
// Usage: node tools/run-tests.mjs [substring ...]   (filters test file paths)
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testRoot = join(root, 'dist', 'test');
if (!existsSync(testRoot)) {
  console.error('no compiled tests in dist/test: run `npm run build` first');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk(testRoot).filter((f) => filters.length === 0 || filters.some((s) => relative(testRoot, f).includes(s)));
const jobs = Math.max(1, Math.min(Number(process.env.BATCODER_TEST_JOBS) || 2, cpus().length));

// Each child imports one file through uvu's deferred runner and reports its counts.
const childSource = `
const file = process.argv[1];
globalThis.UVU_DEFER = 1;
const uvu = await import('uvu');
globalThis.UVU_QUEUE.push([null]);
globalThis.UVU_INDEX = 0;
await import(file);
await uvu.exec(false);
`;

function runFile(file) {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', childSource, 'file://' + file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', NODE_DISABLE_COLORS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? NaN);
      const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? NaN);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
      let failed;
      if (Number.isNaN(total) || Number.isNaN(passed)) failed = 1; // crashed before uvu reported
      else failed = total - passed + (code !== 0 && total === passed ? 1 : 0);
      done({ file, out, code, signal, passed: Number.isNaN(passed) ? 0 : passed, failed, skipped, ms: Date.now() - t0 });
    });
  });
}

const results = [];
let next = 0;
async function worker() {
  while (next < files.length) {
    const r = await runFile(files[next++]);
    results.push(r);
    const name = relative(root, r.file);
    const status = r.failed ? 'FAIL' : 'ok  ';
    console.log(`${status} ${name}  (${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}${r.skipped ? `, ${r.skipped} skipped` : ''}; ${(r.ms / 1000).toFixed(1)} s)`);
    if (r.failed || process.env.BATCODER_TEST_VERBOSE) {
      console.log(r.out.split('\n').filter((l) => !/artificially reduced/.test(l)).map((l) => '    ' + l).join('\n'));
      if (r.signal) console.log(`    (killed by ${r.signal})`);
    }
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
const skipped = results.reduce((a, r) => a + r.skipped, 0);
if (files.length === 0) console.log('no test files matched');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || files.length === 0 ? 1 : 0);
