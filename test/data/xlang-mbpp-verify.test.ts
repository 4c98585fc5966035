// The hand translations of the xlang-mbpp set pass their MBPP tests (every split, both
// languages) through tools/xlang-mbpp-verify.mjs, and the verifier fails a translation that
// returns the wrong answer (so a pass here is evidence). Needs python3 (the asserts are read
// with ast.literal_eval), go and ../shared/datasets; without them the test says so and skips.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../src/util/paths.js';

const root = repoRoot();
const tool = join(root, 'tools', 'xlang-mbpp-verify.mjs');
const mbpp = join(root, '..', 'shared', 'datasets', 'sanitized-mbpp.json');
const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0 || spawnSync(cmd, ['version'], { stdio: 'ignore' }).status === 0;
const missing = !existsSync(mbpp) ? `no ${mbpp}` : !has('python3') ? 'no python3' : !has('go') ? 'no go' : '';

function verify(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

for (const [split, n] of [['tune', 50], ['held', 50], ['tune2', 50], ['held2', 50], ['held3', 35]] as const) {
  test(`${split}: every JavaScript and Go translation passes its MBPP tests`, () => {
    if (missing) return console.log(`skipped: ${missing}`);
    const r = verify([split]);
    assert.match(r.out, new RegExp(`${split}\\.jsonl: ${n} problems; js ${n}/${n}, go ${n}/${n}; 0 format errors`), r.out.slice(-2000));
    assert.is(r.status, 0);
  });
}

test('a wrong translation fails verification', () => {
  if (missing) return console.log(`skipped: ${missing}`);
  const first = readFileSync(join(root, 'assets', 'xlang-mbpp', 'tune.jsonl'), 'utf8').split('\n')[0];
  const row = JSON.parse(first) as { javascript: string; go: string };
  // the entry's last `return` gets a wrong value in both languages
  const jsAt = row.javascript.lastIndexOf('return ');
  row.javascript = row.javascript.slice(0, jsAt) + 'return "wrong"; ' + row.javascript.slice(jsAt);
  const dir = mkdtempSync(join(tmpdir(), 'xlang-verify-test-'));
  try {
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, JSON.stringify(row) + '\n');
    const r = verify([file, '--lang', 'js']);
    assert.is(r.status, 1, r.out);
    assert.match(r.out, /js 0\/1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
