// Worker thread for scorePairs: its own parsers and graph cache (tree-sitter parsers
// are per thread); requests carry pairs, replies carry scores in the same order.
import { parentPort } from 'node:worker_threads';
import { scoreOne, type Metric, type Pair } from './score.js';
import type { CssgOptions } from './options.js';

interface Request {
  id: number;
  pairs: Pair[];
  metric: Metric;
  opts?: CssgOptions;
}

parentPort?.on('message', (req: Request) => {
  const scores = new Float64Array(req.pairs.length);
  for (let i = 0; i < req.pairs.length; i++) scores[i] = scoreOne(req.pairs[i], req.metric, req.opts);
  parentPort!.postMessage({ id: req.id, scores }, [scores.buffer]);
});
