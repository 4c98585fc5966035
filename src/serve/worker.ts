// A scoring process of the server's pool (pool.ts). It loads the environment (env.ts) once, with
// its own tree-sitter parsers and CSSG graph cache, and answers jobs one at a time over IPC:
//   { id, op: 'score', metric, pairs }  -> { id, ok: true, result: number[] }   (S per pair)
//   { id, op: 'format', items }         -> { id, ok: true, result: FormatResult[] }
//   { id, op: 'ping' }                  -> { id, ok: true, result: null }
// An exception becomes { id, ok: false, error }. A job that runs too long is not this file's
// business: the pool kills the whole process, which is the only way to stop a synchronous
// computation. It exits when the server does (the IPC channel closes).
import { formatDoc, similarityRewards, type Lang, type Metric, type ScorePair } from './env.js';

export type Job =
  | { id: number; op: 'score'; metric: Metric; pairs: ScorePair[] }
  | { id: number; op: 'format'; items: { doc: string; code: string; lang: Lang }[] }
  | { id: number; op: 'ping' };

/**
 * Test hook: with BATCODER_SERVE_TEST_HANG set (only the tests set it), a pair whose original
 * contains that text makes this process spin, as a pathological input would, so the timeout
 * path (kill, replace, retry the pairs one per job) is tested on any machine: CSSG's own caps
 * bound a real input's cost to a fraction of a second, which a quiet machine finishes in time.
 */
const HANG = process.env.BATCODER_SERVE_TEST_HANG;

async function run(job: Job): Promise<unknown> {
  if (job.op === 'score' && HANG && job.pairs.some((p) => typeof p.a === 'string' && p.a.includes(HANG))) for (;;);
  if (job.op === 'score') return similarityRewards(job.metric, job.pairs);
  if (job.op === 'format') return job.items.map((x) => formatDoc(x.doc, x.code, x.lang));
  return null;
}

if (process.send) {
  process.on('message', (job: Job) => {
    run(job).then(
      (result) => process.send!({ id: job.id, ok: true, result }),
      (e: unknown) => process.send!({ id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
