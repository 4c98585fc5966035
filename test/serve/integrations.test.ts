// The Python integrations (integrations/openrlhf, integrations/verl) against a live server, with
// stand-ins for the framework classes: test/serve/python/test_integrations.py checks that every
// reward they produce equals what the local trainer's rollout computed on the same canned turns,
// and that stage 2 is prompted with the server's stage-2 prompt alone (no line of the code).
// Needs Debian's python3 (stdlib only); skipped with a message where python3 is missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withServer } from './client.js';
import { localCases } from './fixture.js';
import { repoRoot } from '../../src/util/paths.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;

test('OpenRLHF executor and verl agent loop: fresh stage-2 context, the trainer rewards exactly', async () => {
  if (!hasPython) {
    console.log('  (skipped: no python3)');
    return;
  }
  const cases = await localCases({ count: 4 });
  // the trainer's --signature-hint: the stage-2 prompt ends with the function's header
  const hintCases = await localCases({ count: 2, seed: 11, signatureHint: true });
  await withServer({}, async (s) => {
    const dir = mkdtempSync(join(tmpdir(), 'batcoder-serve-'));
    try {
      const file = join(dir, 'fixture.json');
      writeFileSync(file, JSON.stringify({ url: s.url, cases, hintCases }));
      const script = join(repoRoot(), 'test', 'serve', 'python', 'test_integrations.py');
      const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn('python3', [script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
      assert.is(r.code, 0, r.out);
      const m = /^OK (.*)$/m.exec(r.out);
      assert.ok(m, r.out);
      const n = JSON.parse(m![1]!) as Record<string, number>;
      const K = cases[0]!.docsRaw.length;
      const unusable = cases.reduce((a, c) => a + c.expected.rDoc.filter((r) => r === 0).length, 0);
      const usable = cases.length * K - unusable;
      const hintUsable = hintCases.reduce((a, c) => a + c.expected.rDoc.filter((r) => r > 0).length, 0);
      assert.ok(unusable > 0 && usable > 0, 'the fixture must have docs of both kinds');
      assert.equal(
        { blocks: n.openrlhf_blocks, samples: n.openrlhf_samples, verlBlocks: n.verl_blocks, verlSamples: n.verl_samples },
        { blocks: cases.length, samples: 2 * K * cases.length, verlBlocks: cases.length, verlSamples: 2 * K * cases.length },
      );
      assert.equal({ stage2: n.stage2_prompts, refills: n.refills, duplicates: n.duplicates, errors: n.errors }, { stage2: 2 * usable + hintUsable, refills: unusable, duplicates: K, errors: 6 });
      assert.ok(n.openrlhf_http! > 0 && n.verl_score! > 0 && n.dataset_rows === cases.length && n.hint_blocks === hintCases.length && n.concurrent_blocks === cases.length + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.run();
