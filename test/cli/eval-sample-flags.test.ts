// `eval` and `sample` check their flags before any work: a bad value exits 1 with an error
// naming the flag, runs nothing and writes nothing (--out stays absent).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../src/util/paths.js';

const main = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'batcoder-flags-'));
const out = join(dir, 'report.json');
const model = join(dir, 'model');
// a config.json is all the checks need: they run before any weight is read
spawnSync('mkdir', ['-p', model]);
writeFileSync(join(model, 'config.json'), JSON.stringify({ vocab_size: 300, hidden_size: 64, intermediate_size: 128, num_hidden_layers: 1, num_attention_heads: 4, max_position_embeddings: 512 }));

function refused(args: string[], flag: string) {
  test(`${args.join(' ')} -> error naming ${flag}, nothing written`, () => {
    const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 120_000 });
    assert.is(r.status, 1, r.stdout + r.stderr);
    assert.ok(r.stderr.includes(flag), r.stderr);
    assert.not.match(r.stderr, /Cannot read properties|TypeError|at .*\.js:\d+/);
    assert.not.ok(existsSync(out), '--out was written');
  });
}

const evalBase = ['eval', '--bench', 'tasks', '--references', '--out', out];
refused([...evalBase, '--timeout', '-5'], '--timeout');
refused([...evalBase, '--timeout', '2.5'], '--timeout');
refused([...evalBase, '--parallel', 'abc'], '--parallel');
refused([...evalBase, '--parallel', '0'], '--parallel');
refused([...evalBase, '--count', '1e30'], '--count');
refused([...evalBase, '--split', 'nope'], '--split');
refused([...evalBase, '--lang', 'cobol'], '--lang');
refused([...evalBase, '--limit', '-1'], '--limit');
refused(['eval', '--bench', 'nope', '--references', '--out', out], '--bench');
refused(['eval', '--bench', 'tasks', '--completions', join(dir, 'missing.jsonl'), '--out', out], '--completions');
refused(['eval', '--bench', 'tasks', '--model', model, '--max-new-tokens', '100000', '--out', out], '--max-new-tokens');
refused(['sample', '--model', model, '--ids', '1,2,3', '--max-new-tokens', '1e8'], '--max-new-tokens');
refused(['sample', '--model', model, '--ids', '1,2,3', '--max-new-tokens', '600'], '--max-new-tokens');
refused(['sample', '--model', model, '--ids', '1,x'], '--ids');
refused(['sample', '--model', model, '--ids', '1', '--temperature', '-1'], '--temperature');
refused(['sample', '--model', model, '--ids', '1', '--num', '0'], '--num');

test('cleanup', () => rmSync(dir, { recursive: true, force: true }));

test.run();
