// The command line end to end: `model init` writes a loadable directory, `sample`
// generates from it (ids and byte-level prompts), reproducibly for a seed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'cli.js');
const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('model init + sample', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'batcoder-cli-'));
  try {
    run('model', 'init', '--preset', 'micro', '--seed', '3', '--out', dir);
    const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    assert.is(cfg.hidden_size, 64);
    const args = ['sample', '--model', dir, '--ids', '1,2,3', '--prompt', 'def f(x):', '--max-new-tokens', '5', '--top-k', '50', '--seed', '7', '--json'];
    const lines = run(...args).trim().split('\n').map((l) => JSON.parse(l));
    assert.is(lines.length, 2);
    assert.equal(lines[0].prompt, [...Buffer.from("def f(x):")]);
    assert.equal(lines[1].prompt, [1, 2, 3]);
    for (const l of lines) {
      assert.is(l.ids.length, 5);
      assert.is(l.logProbs.length, 5);
      assert.ok(l.logProbs.every((v: number) => v <= 0 && Number.isFinite(v)));
    }
    const again = run(...args).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(again.map((l) => l.ids), lines.map((l) => l.ids));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
