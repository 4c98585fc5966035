// Batching of similarity pairs across concurrent requests, with a score cache.
//
// Every pair asked for, by any request, becomes one promise keyed by
//     key = sha256(metric \0 lang \0 original \0 reconstruction)
// - a key already scored is answered from an LRU of scores (S is a pure function of the key);
// - a key already being scored joins that computation (K rollouts often repeat a reconstruction);
// - the rest wait in a queue that is flushed once per event-loop turn: the pairs of all the
//   requests that arrived meanwhile are grouped by the thread their original's hash picks
//   (affinity: that thread's CSSG graph cache keeps the original's graph) and sent as jobs of at
//   most `maxJobPairs` pairs.
// A job that times out is retried one pair per job, so a pathological pair fails alone (its
// requests get the timeout) and the innocent pairs that shared its job are still answered.
import { createHash } from 'node:crypto';
import { Lru, type Metric, type ScorePair } from './env.js';
import { JobTimeoutError, type WorkerPool } from './pool.js';
import type { ServeMetrics } from './metrics.js';

/**
 * Pairs per job. Below src/cssg's WORKER_THRESHOLD (256), so that scorePairs runs inline in the
 * scoring thread instead of starting threads of its own.
 */
export const MAX_JOB_PAIRS = 128;

interface Waiting {
  key: string;
  metric: Metric;
  pair: ScorePair;
  affinity: number;
  resolve: (s: number) => void;
  reject: (e: Error) => void;
}

export class Scorer {
  private cache: Lru<number>;
  private inflight = new Map<string, Promise<number>>();
  private queue: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly metrics: ServeMetrics,
    cacheSize = 65_536,
  ) {
    this.cache = new Lru<number>(cacheSize);
  }

  /** S for every pair, in order. Rejects if any pair failed (e.g. JobTimeoutError). */
  score(metric: Metric, pairs: readonly ScorePair[]): Promise<number[]> {
    return Promise.all(pairs.map((p) => this.one(metric, p)));
  }

  private one(metric: Metric, pair: ScorePair): Promise<number> {
    const h = createHash('sha256');
    for (const part of [metric, pair.lang, pair.a, pair.b]) h.update(part).update('\u0000');
    const key = h.digest('base64');
    this.metrics.pairsScored++;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.metrics.cacheHits++;
      return Promise.resolve(hit);
    }
    const running = this.inflight.get(key);
    if (running) {
      this.metrics.cacheHits++;
      return running;
    }
    this.metrics.cacheMisses++;
    const affinity = createHash('sha256').update(pair.lang).update('\u0000').update(pair.a).digest().readUInt32LE(0);
    const p = new Promise<number>((resolve, reject) => this.queue.push({ key, metric, pair, affinity, resolve, reject }));
    this.inflight.set(key, p);
    p.then(
      (s) => {
        this.inflight.delete(key);
        this.cache.set(key, s);
      },
      () => this.inflight.delete(key),
    );
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return p;
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    // group by (metric, thread), then cut into jobs
    const groups = new Map<string, Waiting[]>();
    for (const w of batch) {
      const g = `${w.metric}\u0000${w.affinity % this.pool.size}`;
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push(w);
    }
    for (const list of groups.values()) {
      for (let i = 0; i < list.length; i += MAX_JOB_PAIRS) void this.runJob(list.slice(i, i + MAX_JOB_PAIRS));
    }
  }

  private async runJob(ws: Waiting[]): Promise<void> {
    try {
      const s = await this.pool.run<number[]>({ op: 'score', metric: ws[0]!.metric, pairs: ws.map((w) => w.pair) }, ws[0]!.affinity);
      ws.forEach((w, i) => w.resolve(s[i]!));
    } catch (e) {
      if (e instanceof JobTimeoutError && ws.length > 1) {
        // find the culprit: one pair per job; the others are answered
        await Promise.all(ws.map((w) => this.runJob([w])));
        return;
      }
      for (const w of ws) w.reject(e as Error);
    }
  }
}
