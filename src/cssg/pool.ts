// A lazily started pool of scoring workers, fed in small chunks so that every worker
// stays busy to the end of a batch.
//
// Scheduling. Pairs are grouped by original (`a` with its language); each group is
// queued on the worker its hash picks, so that worker's graph cache keeps the original
// across calls (groups are balanced greedily by size). A worker is sent at most CHUNK
// pairs at a time from the head of its queue and is kept IN_FLIGHT chunks ahead, so it
// never waits for the parent between chunks; a worker whose queue is empty takes a
// chunk from the tail of the longest other queue (work stealing: no straggler). Chunks
// shrink towards the end of a batch,
//   chunk = clamp(ceil(pairs left / (2 * workers * IN_FLIGHT)), 1, CHUNK),
// so the last ones are small and both workers finish together.
//
// Protocol, parent -> worker: { id, metric, opts, reset, defs, a, b, langB }. Each
// original crosses to a worker once: `defs` holds [textId, lang, text] for originals
// that worker has not been sent yet, and `a[k]` is pair k's text id (`b[k]` its rollout,
// `langB[k]` its second language, the array absent when no pair has one). The parent
// records what each worker holds; past KNOWN_CAP texts it forgets them all and sets
// `reset`, and the worker empties its table before reading `defs`. Only the parsed
// prefix (MAX_CHARS) of any text crosses. Worker -> parent: { id, scores } (a
// transferred Float64Array, the chunk's order); { id, stats: true } is answered with
// { id, cpu }: that worker thread's CPU seconds (src/cssg/threadcpu.ts).
// Idle workers are unref'd so they never keep the process alive.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { hashString } from './wl.js';
import { truncated } from './cache.js';
import type { Metric, Pair } from './score.js';
import type { CssgOptions } from './options.js';
import type { Lang } from '../lang/parser.js';

/** Most pairs in one message to a worker. */
export const CHUNK = 16;
/** Chunks each worker holds ahead (the one it scores and the next). */
export const IN_FLIGHT = 2;
/** Most originals the parent remembers a worker holds before it resets that table. */
export const KNOWN_CAP = 1024;

/** One message to a worker (see the file comment). */
export interface ChunkRequest {
  id: number;
  metric: Metric;
  opts: CssgOptions;
  reset: boolean;
  defs: [number, Lang, string][];
  a: Int32Array;
  b: string[];
  langB?: (Lang | undefined)[];
}

interface Reply {
  id: number;
  scores?: Float64Array;
  cpu?: number;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>;
  /** original key (lang NUL text) -> text id, for the texts this worker holds */
  known: Map<string, number>;
}

let slots: Slot[] = [];
let nextId = 1;
let nextText = 1;

export function defaultWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Workers beyond the core count only add memory and contention: cap there. */
export function cappedWorkers(n: number): number {
  return Math.max(1, Math.min(Math.floor(n) || 1, availableParallelism()));
}

function ensure(n: number): Slot[] {
  while (slots.length < n) {
    // A worker inherits Node's flags, but refuses --input-type (it failed to start under
    // `node --input-type=module -e`, the test runner's command, and scorePairs fell back
    // to one thread without a word): then the flags are passed without it. Only then: a
    // flag list given explicitly may not hold V8 flags (--max-old-space-size), inherited
    // ones may.
    const execArgv = process.execArgv.some((a) => a.startsWith('--input-type')) ? process.execArgv.filter((a) => !a.startsWith('--input-type')) : undefined;
    const worker = new Worker(new URL('./worker.js', import.meta.url), { execArgv });
    const slot: Slot = { worker, pending: new Map(), known: new Map() };
    worker.on('message', (msg: Reply) => {
      const p = slot.pending.get(msg.id);
      slot.pending.delete(msg.id);
      if (slot.pending.size === 0) worker.unref();
      p?.resolve(msg);
    });
    const fail = (e: Error) => {
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
      slots = slots.filter((s) => s !== slot);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`cssg worker exited with code ${code}`)));
    worker.unref();
    slots.push(slot);
  }
  return slots.slice(0, n);
}

function post(slot: Slot, msg: { id: number }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    slot.pending.set(msg.id, { resolve, reject });
    slot.worker.ref();
    slot.worker.postMessage(msg);
  });
}

interface Group {
  key: string;
  lang: Lang;
  text: string;
  idx: number[];
}

/** A worker's queue of pair indices: taken from the head by its owner, from the tail by thieves. */
interface Queue {
  items: number[];
  head: number;
  tail: number;
}

/** The message carrying pairs `idx` to `slot`; records the originals it defines. */
function request(slot: Slot, idx: number[], pairs: Pair[], groupOf: Group[], metric: Metric, opts: CssgOptions): ChunkRequest {
  const req: ChunkRequest = { id: nextId++, metric, opts, reset: false, defs: [], a: new Int32Array(idx.length), b: new Array<string>(idx.length) };
  if (slot.known.size + idx.length > KNOWN_CAP) {
    slot.known.clear();
    req.reset = true;
  }
  for (let k = 0; k < idx.length; k++) {
    const p = pairs[idx[k]];
    const g = groupOf[idx[k]];
    let t = slot.known.get(g.key);
    if (t === undefined) {
      t = nextText++;
      slot.known.set(g.key, t);
      req.defs.push([t, g.lang, g.text]);
    }
    req.a[k] = t;
    req.b[k] = typeof p.b === 'string' ? truncated(p.b) : '';
    if (p.langB !== undefined) (req.langB ??= new Array<Lang | undefined>(idx.length))[k] = p.langB;
  }
  return req;
}

/** Score pairs on `n` workers; result in input order. */
export function scoreOnWorkers(pairs: Pair[], metric: Metric, n: number, opts: CssgOptions = {}): Promise<Float64Array> {
  const use = ensure(cappedWorkers(n));
  const out = new Float64Array(pairs.length);
  if (pairs.length === 0) return Promise.resolve(out);
  // group by original
  // (keyed by the text itself first: a repeated original is one string whose hash V8
  // keeps, where a concatenated key would be copied and hashed again for every pair)
  const byText = new Map<string, Group[]>();
  const groups: Group[] = [];
  const groupOf = new Array<Group>(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const text = typeof pairs[i].a === 'string' ? truncated(pairs[i].a) : '';
    const lang = pairs[i].lang;
    let gs = byText.get(text);
    if (!gs) byText.set(text, (gs = []));
    let g = gs.find((x) => x.lang === lang);
    if (!g) {
      gs.push((g = { key: lang + '\u0000' + text, lang, text, idx: [] }));
      groups.push(g);
    }
    g.idx.push(i);
    groupOf[i] = g;
  }
  // each group to the worker its hash picks, unless that one is already much busier
  const queues: Queue[] = use.map(() => ({ items: [], head: 0, tail: 0 }));
  const target = pairs.length / use.length;
  for (const g of [...groups].sort((x, y) => y.idx.length - x.idx.length)) {
    let w = hashString(g.key) % use.length;
    if (queues[w].items.length + g.idx.length > target * 1.25) {
      const sizes = queues.map((q) => q.items.length);
      w = sizes.indexOf(Math.min(...sizes));
    }
    queues[w].items.push(...g.idx);
  }
  for (const q of queues) q.tail = q.items.length;

  let queued = pairs.length;
  /** The next chunk for worker `w`: its own queue's head, else the tail of the longest other. */
  const take = (w: number): number[] | undefined => {
    if (queued === 0) return undefined;
    const k = Math.max(1, Math.min(CHUNK, Math.ceil(queued / (2 * use.length * IN_FLIGHT))));
    const own = queues[w];
    if (own.tail > own.head) {
      const m = Math.min(k, own.tail - own.head);
      queued -= m;
      return own.items.slice(own.head, (own.head += m));
    }
    let v = -1;
    for (let u = 0; u < queues.length; u++) if (queues[u].tail > queues[u].head && (v < 0 || queues[u].tail - queues[u].head > queues[v].tail - queues[v].head)) v = u;
    const q = queues[v];
    const m = Math.min(k, q.tail - q.head);
    queued -= m;
    return q.items.slice((q.tail -= m), q.tail + m);
  };

  return new Promise((resolve, reject) => {
    let left = pairs.length;
    let failed = false;
    const feed = (w: number): void => {
      const idx = take(w);
      if (!idx || failed) return;
      post(use[w], request(use[w], idx, pairs, groupOf, metric, opts)).then(
        (r) => {
          const s = r.scores!;
          for (let k = 0; k < idx.length; k++) out[idx[k]] = s[k];
          left -= idx.length;
          if (left === 0) resolve(out);
          else feed(w);
        },
        (e: Error) => {
          failed = true;
          reject(e);
        },
      );
    };
    for (let f = 0; f < IN_FLIGHT; f++) for (let w = 0; w < use.length; w++) feed(w);
  });
}

/** CPU seconds of each running worker thread so far (NaN where not measurable): for benches. */
export async function workerCpuSeconds(): Promise<number[]> {
  return Promise.all(slots.map(async (s) => (await post(s, { id: nextId++, stats: true } as { id: number })).cpu ?? NaN));
}

/** Stop all workers (tests, CLI exit). */
export async function closeWorkers(): Promise<void> {
  const s = slots;
  slots = [];
  await Promise.all(s.map((x) => x.worker.terminate()));
}
