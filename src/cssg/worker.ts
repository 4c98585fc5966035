// Worker thread for scorePairs: its own parsers and graph cache (tree-sitter parsers
// are per thread). Requests are chunks of pairs in the protocol of src/cssg/pool.ts:
// originals arrive once as [textId, lang, text] definitions and are then named by id;
// replies carry the chunk's scores in order. A stats request is answered with this
// thread's CPU seconds.
import { parentPort } from 'node:worker_threads';
import { scoreOne } from './score.js';
import { threadCpuSeconds } from './threadcpu.js';
import type { ChunkRequest } from './pool.js';
import type { Lang } from '../lang/parser.js';

/** The originals this worker has been sent, by text id. */
const texts = new Map<number, { lang: Lang; text: string }>();

parentPort?.on('message', (req: ChunkRequest | { id: number; stats: true }) => {
  if ('stats' in req) {
    parentPort!.postMessage({ id: req.id, cpu: threadCpuSeconds() });
    return;
  }
  if (req.reset) texts.clear();
  for (const [t, lang, text] of req.defs) texts.set(t, { lang, text });
  const scores = new Float64Array(req.b.length);
  for (let k = 0; k < scores.length; k++) {
    const o = texts.get(req.a[k]);
    if (!o) throw new Error(`cssg worker: original ${req.a[k]} was never sent to this worker`);
    scores[k] = scoreOne({ a: o.text, b: req.b[k], lang: o.lang, langB: req.langB?.[k] }, req.metric, req.opts);
  }
  parentPort!.postMessage({ id: req.id, scores }, [scores.buffer]);
});
