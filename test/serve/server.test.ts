// `batcoder serve` end to end on 127.0.0.1: every served number equals the local trainer's own
// (rollout() on canned turns, test/serve/fixture.ts); OpenRLHF's /get_reward protocol; every
// kind of bad input is a 4xx naming what was wrong; a pathological pair times out alone; the
// metrics count; the CLI starts and stops cleanly on SIGTERM.
import { connect, type Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { withServer, post } from './client.js';
import { localCases } from './fixture.js';
import { repoRoot } from '../../src/util/paths.js';
import { rewardOf } from '../../src/train/rollout.js';
import { generateTasks } from '../../src/data/tasks/index.js';

test('/v1/format, /v1/stage2-prompt, /v1/similarity reproduce the trainer rollout exactly', async () => {
  for (const signatureHint of [false, true]) {
    const cases = await localCases({ signatureHint });
    await withServer({}, async (s) => {
      let usable = 0;
      let unusable = 0;
      for (const c of cases) {
        for (let j = 0; j < c.docsRaw.length; j++) {
          const f = await post(s.url, '/v1/format', { doc: c.docsRaw[j], code: c.code, lang: c.lang, extract: 'qwen2-chat' });
          assert.is(f.status, 200);
          assert.is(f.body.r_doc, c.expected.rDoc[j], `R_doc of doc ${j}`);
          assert.is(f.body.doc, c.expected.rewritten[j]);
          if (c.expected.rDoc[j] === 0) {
            unusable++;
            continue;
          }
          usable++;
          const p = await post(s.url, '/v1/stage2-prompt', { doc: f.body.doc, lang: c.lang, style: 'qwen2-chat', code: c.code, signature_hint: signatureHint, signature: c.signature });
          assert.is(p.status, 200);
          assert.is(p.body.input, c.expected.stage2Input[j]);
          assert.is(p.body.prompt, c.expected.stage2Prompt[j]);
          assert.ok(p.body.prompt.endsWith(p.body.user_turn));
          const sim = await post(s.url, '/v1/similarity', { pairs: [{ a: c.code, b: c.reconsRaw[j], lang: c.lang, extract: 'qwen2-chat' }] });
          assert.is(sim.status, 200);
          assert.is(sim.body.metric, 'cssg');
          assert.is(sim.body.scores[0], c.expected.similarity[j]);
          // the paper's per-turn rewards from the served parts
          assert.is(sim.body.scores[0] * f.body.r_doc, c.expected.code2doc[j]);
        }
      }
      // the canned turns cover both outcomes, and S is not constant
      assert.ok(usable > 0 && unusable > 0);
      const sims = cases.flatMap((c) => c.expected.similarity.filter((x): x is number => x !== null));
      assert.ok(Math.min(...sims) < Math.max(...sims));
    });
  }
});

test('/get_reward: OpenRLHF remote reward protocol (query, prompts, labels -> rewards, scores, extra_logs)', async () => {
  const cases = await localCases();
  await withServer({}, async (s) => {
    const query: string[] = [];
    const prompts: string[] = [];
    const labels: unknown[] = [];
    const want: number[] = [];
    for (const c of cases) {
      c.docsRaw.forEach((d, j) => {
        // code2doc: the stage-1 prompt, the raw doc, the end-of-turn token (decoded with special tokens)
        query.push(c.stage1Prompt + d + '<|im_end|>');
        prompts.push(c.stage1Prompt);
        labels.push(JSON.stringify({ code: c.code, lang: c.lang, stage: 'code2doc' }));
        want.push(c.expected.rDoc[j]!);
        if (c.expected.rDoc[j] === 0) return;
        // doc2code: label as an object this time (JSON datasets may carry one)
        query.push(c.expected.stage2Prompt[j]! + c.reconsRaw[j] + '<|im_end|>');
        prompts.push(c.expected.stage2Prompt[j]!);
        labels.push({ code: c.code, lang: c.lang });
        want.push(c.expected.similarity[j]!);
      });
    }
    const r = await post(s.url, '/get_reward', { query, prompts, labels });
    assert.is(r.status, 200);
    assert.equal(r.body.rewards, want);
    assert.equal(r.body.scores, want);
    assert.is(r.body.extra_logs.similarity.length, want.length);
    assert.ok(r.body.extra_logs.prompt_matched.every((x: number) => x === 1));
    // a prompt the query does not start with: the response after the last assistant turn
    const c = cases[0]!;
    const j = c.expected.rDoc.findIndex((x) => x > 0);
    const r2 = await post(s.url, '/get_reward', { query: [c.expected.stage2Prompt[j]! + c.reconsRaw[j]], prompts: ['something else'], labels: [{ code: c.code, lang: c.lang }] });
    assert.equal(r2.body.rewards, [c.expected.similarity[j]]);
    assert.equal(r2.body.extra_logs.prompt_matched, [0]);
  });
});

test('bad input: a 4xx naming what was wrong, never a crash', async () => {
  await withServer({ limits: { maxPairs: 8, maxCodeChars: 1000, maxBodyBytes: 1 << 20 } }, async (s) => {
    const code = 'def f(a):\n    return a\n';
    const cases: [string, unknown, boolean, number, string][] = [
      ['/v1/format', '{"doc": ', true, 400, 'invalid_json'],
      ['/v1/format', '', true, 400, 'invalid_json'],
      ['/v1/format', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), true, 400, 'invalid_utf8'],
      ['/v1/format', [1, 2], false, 400, 'wrong_type'],
      ['/v1/format', { code, lang: 'python' }, false, 400, 'missing_field'],
      ['/v1/format', { doc: 5, code, lang: 'python' }, false, 400, 'wrong_type'],
      ['/v1/format', { doc: 'x', code, lang: 'cobol' }, false, 400, 'unknown_lang'],
      ['/v1/format', { doc: 'x', code: 'y'.repeat(1001), lang: 'python' }, false, 422, 'max_code_chars'],
      ['/v1/format', { items: 'x' }, false, 400, 'wrong_type'],
      ['/v1/format', { items: [null] }, false, 400, 'wrong_type'],
      ['/v1/similarity', { pairs: {} }, false, 400, 'wrong_type'],
      ['/v1/similarity', {}, false, 400, 'missing_field'],
      ['/v1/similarity', { pairs: [{ a: code, b: code, lang: 'python' }], metric: 'bleu' }, false, 400, 'unknown_metric'],
      ['/v1/similarity', { pairs: new Array(9).fill({ a: code, b: code, lang: 'python' }) }, false, 422, 'max_pairs'],
      ['/v1/similarity', { pairs: [{ a: code, b: null, lang: 'python' }] }, false, 400, 'wrong_type'],
      ['/v1/stage2-prompt', { doc: 'x', lang: 'python', style: 'llama' }, false, 400, 'unknown_style'],
      ['/v1/stage2-prompt', { doc: 'x', lang: 'python', signature_hint: true }, false, 400, 'missing_field'],
      ['/v1/stage2-prompt', { doc: 'x', lang: 'python', signature_hint: 'yes' }, false, 400, 'wrong_type'],
      ['/v1/exec', { lang: 'python', code, task: { id: 't' } }, false, 400, 'wrong_type'],
      ['/v1/exec', { lang: 'python', code }, false, 400, 'wrong_type'],
      ['/get_reward', { query: ['a'], prompts: ['a', 'b'], labels: ['{}'] }, false, 400, 'length_mismatch'],
      ['/get_reward', { query: ['a'], prompts: [''], labels: ['not json'] }, false, 400, 'invalid_label'],
      ['/get_reward', { query: ['a'], prompts: [''], labels: [{ code }] }, false, 400, 'missing_field'],
      ['/get_reward', { query: [7], prompts: [''], labels: [{ code, lang: 'python' }] }, false, 400, 'wrong_type'],
      ['/get_reward', { query: ['a'], prompts: [''], labels: [{ code, lang: 'python', stage: 'both' }] }, false, 400, 'unknown_stage'],
      ['/v1/nothing', {}, false, 404, 'not_found'],
      ['/constructor', {}, false, 404, 'not_found'],
    ];
    for (const [path, body, raw, status, code_] of cases) {
      const r = await post(s.url, path, body, raw);
      assert.is(r.status, status, `${path} ${String(raw ? body : JSON.stringify(body)).slice(0, 60)}: ${JSON.stringify(r.body)}`);
      assert.is(r.body.error, code_);
      assert.type(r.body.message, 'string');
    }
    // a 10 MB body: refused by its Content-Length (413), the limit named
    const big = JSON.stringify({ pairs: [{ a: 'x'.repeat(10 << 20), b: '', lang: 'python' }] });
    const r = await post(s.url, '/v1/similarity', big, true);
    assert.is(r.status, 413);
    assert.is(r.body.error, 'max_body_bytes');
    assert.is(r.body.max, 1 << 20);
    // ... and without a Content-Length (chunked): refused as it arrives
    const stream = new ReadableStream({
      start(ctl) {
        for (let i = 0; i < 10; i++) ctl.enqueue(new TextEncoder().encode('x'.repeat(1 << 20)));
        ctl.close();
      },
    });
    const res = await fetch(s.url + '/v1/similarity', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    assert.is(res.status, 413);
    assert.is(((await res.json()) as { error: string }).error, 'max_body_bytes');
    // wrong method
    const g = await fetch(s.url + '/v1/format');
    assert.is(g.status, 405);
    // still serving, and every refusal was counted
    const h = await fetch(s.url + '/health');
    assert.is(h.status, 200);
    const m = await (await fetch(s.url + '/metrics')).text();
    assert.match(m, /batcoder_serve_errors_total\{route="\/v1\/similarity",error="max_body_bytes"\} 2/);
    assert.match(m, /batcoder_serve_errors_total\{route="\/v1\/format",error="invalid_utf8"\} 1/);
  });
});

// Raw HTTP/1.1 over a socket: unlike fetch, this client keeps sending after the answer arrives.
function rawExchange(url: string, head: string, body: (sock: Socket) => Promise<number>): Promise<{ text: string; written: number; reset: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = connect(Number(port), hostname);
    let text = '';
    let reset = false;
    let written = 0;
    sock.on('data', (d: Buffer) => (text += d.toString('latin1')));
    sock.on('error', () => (reset = true));
    sock.on('close', () => resolve({ text, written, reset }));
    sock.on('connect', () => {
      sock.write(head);
      void body(sock).then((n) => (written = n));
    });
  });
}

test('after a 413 the rest of the body is read and dropped: the connection stays usable (no reset under the answer)', async () => {
  await withServer({ limits: { maxBodyBytes: 1 << 16 } }, async (s) => {
    const size = 8 << 16; // 8 x max_body_bytes: within the drain cap (16 x)
    const r = await rawExchange(s.url, `POST /v1/similarity HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`, async (sock) => {
      for (let n = 0; n < size; n += 1 << 16) if (!sock.write(Buffer.alloc(1 << 16, 120))) await new Promise((ok) => sock.once('drain', ok));
      // the same connection, next request: answered only if the refused body was drained
      sock.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      return size;
    });
    assert.ok(r.text.startsWith('HTTP/1.1 413'), r.text.slice(0, 80));
    assert.match(r.text, /"error":"max_body_bytes"/);
    assert.match(r.text, /HTTP\/1\.1 200[^]*"status":"ok"/);
    assert.not.ok(r.reset);
  });
});

test('... but a body that keeps coming past the drain cap has its connection cut', async () => {
  await withServer({ limits: { maxBodyBytes: 1 << 16 } }, async (s) => {
    // answered 413 at 64 KiB, then 16 x 64 KiB drained, then cut: the client's writes start failing
    // long before this test's own stop at 256 MiB
    const r = await rawExchange(s.url, 'POST /v1/similarity HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', async (sock) => {
      const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(1 << 16, 120), Buffer.from('\r\n')]);
      let n = 0;
      while (n < 256 << 20 && !sock.destroyed && sock.writable) {
        n += 1 << 16;
        if (!sock.write(chunk)) await new Promise((ok) => { sock.once('drain', ok); sock.once('close', ok); });
      }
      if (sock.writable) sock.end('0\r\n\r\n');
      return n;
    });
    assert.ok(r.text.startsWith('HTTP/1.1 413'), r.text.slice(0, 80));
    assert.ok(r.written < 64 << 20, `the server kept reading: ${r.written} bytes written`);
    const h = await fetch(s.url + '/health');
    assert.is(h.status, 200);
  });
});

test('/v1/exec: the trainer\'s execution reward on a suite task (sandboxed)', async () => {
  const tasks = generateTasks({ seed: 5, count: 2, split: 'train', langs: ['python', 'javascript'] });
  await withServer({}, async (s) => {
    let passed = 0;
    let failed = 0;
    for (const t of tasks) {
      for (const lang of ['python', 'javascript'] as const) {
        const other = tasks.find((x) => x !== t)!.code[lang]!;
        for (const code of [t.code[lang]!, other, 'syntax error (']) {
          const r = await post(s.url, '/v1/exec', { task: JSON.parse(JSON.stringify(t)), lang, code });
          assert.is(r.status, 200, JSON.stringify(r.body));
          const [want] = await rewardOf('exec', [{ code: t.code[lang]!, lang, task: t }], [code]);
          assert.is(r.body.reward, want);
          if (want === 1) passed++;
          else failed++;
        }
      }
    }
    assert.ok(passed > 0 && failed > 0);
  });
});

test('a pathological pair times out alone; the server keeps serving', async () => {
  // the scoring process spins on this pair (the worker's test hook): a real input's cost is
  // capped by CSSG to a fraction of a second, which a quiet machine finishes within any limit
  process.env.BATCODER_SERVE_TEST_HANG = 'PATHOLOGICAL-PAIR';
  try {
    await withServer({ workers: 1, limits: { jobTimeoutMs: 300 } }, async (s) => {
      const small = { a: 'def f(a, b):\n    return a + b\n', b: 'def g(x, y):\n    return x - y\n', lang: 'python' };
      const slow = { a: 'def f(a, b):\n    return a  # PATHOLOGICAL-PAIR\n', b: 'def f(a, b):\n    return b\n', lang: 'python' };
      // sent together: one scoring thread, so they share its queue (and usually one job)
      const [bad, good, good2] = await Promise.all([
        post(s.url, '/v1/similarity', { pairs: [slow] }),
        post(s.url, '/v1/similarity', { pairs: [small] }),
        post(s.url, '/v1/similarity', { pairs: [small, { ...small, b: small.a }] }),
      ]);
      assert.is(bad.status, 504);
      assert.is(bad.body.error, 'job_timeout_ms');
      assert.is(good.status, 200);
      assert.is(good2.status, 200);
      assert.is(good2.body.scores[0], good.body.scores[0]);
      assert.is(good2.body.scores[1], 1);
      const h = await post(s.url, '/v1/format', { doc: 'Id.\n\nArgs:\n    a: x\n\nReturns:\n    a.', code: 'def f(a):\n    return a\n', lang: 'python' });
      assert.is(h.status, 200);
      const m = await (await fetch(s.url + '/metrics')).text();
      assert.match(m, /batcoder_serve_job_timeouts_total [1-9]/);
      assert.match(m, /batcoder_serve_worker_restarts_total [1-9]/);
    });
  } finally {
    delete process.env.BATCODER_SERVE_TEST_HANG;
  }
});

test('batched load (bounded): concurrent requests, zero errors, repeated pairs from the cache', async () => {
  const cases = await localCases({ count: 6 });
  const pairs = cases.flatMap((c) => c.reconsRaw.filter((r) => r !== '').map((b) => ({ a: c.code, b, lang: c.lang, extract: 'qwen2-chat' })));
  await withServer({}, async (s) => {
    const expected = (await post(s.url, '/v1/similarity', { pairs })).body.scores as number[];
    const ROUNDS = 40;
    const CONCURRENCY = 8;
    let next = 0;
    let errors = 0;
    const worker = async () => {
      while (next < ROUNDS) {
        next++;
        const r = await post(s.url, '/v1/similarity', { pairs });
        if (r.status !== 200) errors++;
        else assert.equal(r.body.scores, expected);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.is(errors, 0);
    const m = await (await fetch(s.url + '/metrics')).text();
    const num = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(m)![1]);
    assert.is(num('batcoder_serve_pairs_scored_total'), pairs.length * (ROUNDS + 1));
    assert.ok(num('batcoder_serve_cache_hits_total') >= pairs.length * ROUNDS);
    assert.match(m, /batcoder_serve_request_duration_seconds_count\{route="\/v1\/similarity"\} 41/);
  });
});

test('batcoder serve (the CLI): starts in one command, answers, stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'src', 'cli', 'main.js'), 'serve', '--port', '0', '--workers', '1', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /\{"listening":"([^"]+)"\}/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited early with ${code}: ${out}`)));
  });
  const h = await fetch(url + '/health');
  assert.is(h.status, 200);
  assert.is(((await h.json()) as { status: string }).status, 'ok');
  const code = await new Promise<number | null>((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  assert.is(code, 0);
});

test.run();
