// The worker pool's protocol (src/cssg/pool.ts): originals cross to a worker once and are
// then named by id, pairs go out in chunks with work stealing, a worker's table of
// originals is reset past KNOWN_CAP. Every path must give exactly the inline scores, in
// input order. scoreOnWorkers is called directly: scorePairs would hide a worker's
// failure behind its inline fallback.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../src/util/paths.js';
import { LANGS, type Lang } from '../../src/lang/parser.js';
import { scorePairs, closeWorkers, type Pair } from '../../src/cssg/index.js';
import { scoreOnWorkers, workerCpuSeconds, KNOWN_CAP, type ChunkRequest } from '../../src/cssg/pool.js';
import { genProgram, print } from './gen.js';

const inline = (ps: Pair[]) => scorePairs(ps, { workers: 1 });

/** Messages posted to workers while `f` runs. */
async function spy<T>(f: () => Promise<T>): Promise<{ result: T; sent: ChunkRequest[] }> {
  const sent: ChunkRequest[] = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, msg: unknown, ...rest: never[]) {
    sent.push(msg as ChunkRequest);
    return post.call(this, msg, ...rest);
  };
  try {
    return { result: await f(), sent };
  } finally {
    Worker.prototype.postMessage = post;
  }
}

/** `n` originals with `k` fresh rollouts each; `tag` makes the rollouts new. */
function training(n: number, k: number, tag: number): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    const lang = LANGS[i % 4];
    const a = print(genProgram(i + 1, 4 + (i % 3)), lang);
    for (let j = 0; j < k; j++) out.push({ a, b: print(genProgram(1000 * tag + 10 * i + j, 3 + (j % 4)), lang), lang });
  }
  return out;
}

test('originals are sent once per worker: a second call names them by id, same scores', async () => {
  const first = training(24, 8, 1);
  const one = await spy(() => scoreOnWorkers(first, 'cssg', 2));
  assert.equal(Array.from(one.result), await inline(first));
  const defs1 = one.sent.reduce((s, m) => s + m.defs.length, 0);
  assert.ok(defs1 >= 24, `every original defined at least once (${defs1})`);
  assert.ok(one.sent.length > 2, 'the batch went out in chunks');
  const second = training(24, 8, 2);
  const two = await spy(() => scoreOnWorkers(second, 'cssg', 2));
  assert.equal(Array.from(two.result), await inline(second));
  const defs2 = two.sent.reduce((s, m) => s + m.defs.length, 0);
  // only a group stolen by the other worker for the first time can be defined again
  assert.ok(defs2 < defs1 / 2, `second call re-sent ${defs2} of ${defs1} originals`);
  for (const m of [...one.sent, ...two.sent]) assert.is(m.a.length, m.b.length);
  await closeWorkers();
});

test('chunks and stealing keep input order: uneven groups, langB, odd inputs', async () => {
  const ps: Pair[] = [];
  for (let g = 0; g < 30; g++) {
    const lang = LANGS[g % 4];
    const a = print(genProgram(50 + g, 3 + (g % 5)), lang);
    // group sizes 1..30: one worker's share is far larger than the other's
    for (let j = 0; j <= g; j++) {
      const langB: Lang | undefined = j % 3 === 0 ? LANGS[(g + j) % 4] : undefined;
      ps.push({ a, b: print(genProgram(500 + 40 * g + j, 3 + (j % 4)), langB ?? lang), lang, langB });
    }
  }
  ps.push({ a: 42 as unknown as string, b: 'def f(x):\n    return x\n', lang: 'python' });
  ps.push({ a: 'def f(x):\n    return x\n', b: null as unknown as string, lang: 'python' });
  ps.push({ a: 'def f(x):\n    return x\n', b: 'def f(x):\n    return x\n', lang: 'cobol' as Lang });
  const threaded = await scoreOnWorkers(ps, 'cssg', 2);
  assert.equal(Array.from(threaded), await inline(ps));
  assert.ok(threaded.some((s) => s > 0) && threaded.slice(-3).every((s) => s === 0));
  for (const metric of ['cssg-v1', 'tokens'] as const) {
    assert.equal(Array.from(await scoreOnWorkers(ps, metric, 2)), await scorePairs(ps, { workers: 1, metric }));
  }
  assert.equal(Array.from(await scoreOnWorkers([], 'cssg', 2)), []);
  await closeWorkers();
});

test('past KNOWN_CAP originals a worker table is reset, and scores stay exact', async () => {
  const ps: Pair[] = [];
  for (let i = 0; i < 2 * KNOWN_CAP + 100; i++) ps.push({ a: `def f(x):\n    return x + ${i}\n`, b: `def g(y):\n    return y * ${i % 7}\n`, lang: 'python' });
  const { result, sent } = await spy(() => scoreOnWorkers(ps, 'cssg', 2));
  assert.ok(sent.some((m) => m.reset), 'some message reset its worker table');
  assert.equal(Array.from(result), await inline(ps));
  // and the originals sent before the reset are sent again when needed
  const again = await scoreOnWorkers(ps.slice(0, 300), 'cssg', 2);
  assert.equal(Array.from(again), await inline(ps.slice(0, 300)));
  await closeWorkers();
});

test('workerCpuSeconds: one number per running worker', async () => {
  await scoreOnWorkers(training(4, 4, 3), 'cssg', 2);
  const cpu = await workerCpuSeconds();
  assert.is(cpu.length, 2);
  for (const c of cpu) assert.ok(Number.isNaN(c) || c > 0, String(c));
  await closeWorkers();
  assert.equal(await workerCpuSeconds(), []);
});

test('workers start under V8 flags (node --max-old-space-size=...): they are inherited, not passed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cssg-pool-'));
  const script = join(dir, 'run.mjs');
  const pool = pathToFileURL(join(repoRoot(), 'dist', 'src', 'cssg', 'pool.js')).href;
  const pair = { a: 'def f(x):\n    return x + 1\n', b: 'def f(y):\n    return y + 1\n', lang: 'python' };
  writeFileSync(script, `import { scoreOnWorkers, closeWorkers } from '${pool}';\nconst s = await scoreOnWorkers(Array(8).fill(${JSON.stringify(pair)}), 'cssg', 2);\nconsole.log('scores', s.length, s[0]);\nawait closeWorkers();\n`);
  const r = spawnSync(process.execPath, ['--max-old-space-size=3000', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^scores 8 1\n/);
});

test.run();
