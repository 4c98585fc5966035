// `train` checks every flag before any work: a bad value names the flag, exits non-zero and
// leaves no run directory (no config.json, no checkpoint).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { repoRoot } from '../../src/util/paths.js';

const cli = join(repoRoot(), 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'batcoder-flags-'));

const CASES: [string[], RegExp][] = [
  [['--k', '0'], /--k: expected an integer >= 1, got '0'/],
  [['--k', '2.5'], /--k: expected an integer >= 1, got '2.5'/],
  [['--steps', '-1'], /--steps: expected an integer >= 0, got '-1'/],
  [['--checkpoint-every', '0'], /--checkpoint-every: expected an integer >= 1/],
  [['--batch-codes', '0'], /--batch-codes: expected an integer >= 1/],
  [['--minibatch', '0'], /--minibatch: expected an integer >= 1/],
  [['--temperature', '-1'], /--temperature: expected a number > 0, got '-1'/],
  [['--preset', 'nope'], /--preset: expected one of /],
  [['--adv-norm', 'stage'], /--adv-norm: expected one of global, per-stage/],
  [['--langs', 'python,cobol'], /--langs: /],
  [['--data', join(tmp, 'missing.jsonl')], /--data .*missing\.jsonl: no such file/],
  [['--init', join(tmp, 'no-model')], /--init .*no-model: no config\.json there/],
  [['--reward', 'exec', '--no-signature-hint'], /--reward exec .* needs the signature hint/],
];

CASES.forEach(([args, re], i) => {
  test(`train ${args.join(' ')} is refused before any work`, () => {
    const out = join(tmp, `run${i}`);
    const r = spawnSync(process.execPath, [cli, 'train', ...args, '--out', out], { encoding: 'utf8', timeout: 120_000 });
    assert.is.not(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr + r.stdout, re);
    assert.not.ok(existsSync(out), `${out} was created`);
  });
});

test('a garbage config.json of a resumed run is named', () => {
  const dir = join(tmp, 'garbage');
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), 'hello');
  const r = spawnSync(process.execPath, [cli, 'train', '--resume', dir], { encoding: 'utf8', timeout: 120_000 });
  assert.is.not(r.status, 0);
  assert.match(r.stderr, /garbage\/config\.json: not a run config/);
  assert.not.ok(existsSync(join(dir, 'checkpoint')));
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
