// A scoring thread of the server's pool (pool.ts). It loads the environment (env.ts) once, with
// its own tree-sitter parsers and CSSG graph cache, and answers jobs one at a time:
//   { id, op: 'score', metric, pairs }  -> { id, ok: true, result: number[] }   (S per pair)
//   { id, op: 'format', items }         -> { id, ok: true, result: FormatResult[] }
//   { id, op: 'ping' }                  -> { id, ok: true, result: null }
// An exception becomes { id, ok: false, error }. A job that runs too long is not this file's
// business: the pool terminates the whole thread, which is the only way to stop a synchronous
// computation in JavaScript.
import { parentPort } from 'node:worker_threads';
import { formatDoc, similarityRewards, type Lang, type Metric, type ScorePair } from './env.js';

export type Job =
  | { id: number; op: 'score'; metric: Metric; pairs: ScorePair[] }
  | { id: number; op: 'format'; items: { doc: string; code: string; lang: Lang }[] }
  | { id: number; op: 'ping' };

async function run(job: Job): Promise<unknown> {
  if (job.op === 'score') return similarityRewards(job.metric, job.pairs);
  if (job.op === 'format') return job.items.map((x) => formatDoc(x.doc, x.code, x.lang));
  return null;
}

parentPort?.on('message', (job: Job) => {
  run(job).then(
    (result) => parentPort!.postMessage({ id: job.id, ok: true, result }),
    (e: unknown) => parentPort!.postMessage({ id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
