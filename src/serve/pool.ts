// The server's pool of scoring processes (worker.ts), with a time limit per job.
//
// CSSG and the format filter are synchronous code: a pathological input would block the event
// loop of whoever runs it. So every such computation runs in a scoring process, one job at a
// time per process, and a job that exceeds `jobTimeoutMs` gets its process killed (the only way
// to stop synchronous code) and replaced; the job is rejected with JobTimeoutError and the
// process's queued jobs go to its replacement. Other processes keep serving meanwhile.
// Processes, not worker threads: terminating a thread while it is inside tree-sitter's native
// code aborts the whole server ("terminate called after throwing an instance of
// 'Napi::Error'", seen in this project's test run); killing a process is always safe.
//
// Affinity: a job may name a key (the hash of the original code it scores against); jobs with
// the same key go to the same process, whose CSSG graph cache (src/cssg/cache.ts, keyed by
// language and source) then already holds the original's graph. Jobs without a key go to the
// process with the shortest queue.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job } from './worker.js';

export class JobTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`job_timeout_ms: the computation took longer than ${ms} ms and was stopped`);
  }
}

type JobBody = Job extends infer J ? (J extends { id: number } ? Omit<J, 'id'> : never) : never;

interface Pending {
  job: Job;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: ChildProcess;
  queue: Pending[];
  running: Pending | null;
  timer: NodeJS.Timeout | null;
  /** the process has loaded the environment (answered its start-up ping); no job is timed before */
  ready: boolean;
}

export interface PoolStats {
  jobs: number;
  timeouts: number;
  restarts: number;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private closed = false;
  readonly stats: PoolStats = { jobs: 0, timeouts: 0, restarts: 0 };

  constructor(
    readonly size: number,
    readonly jobTimeoutMs: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`serve: --workers must be a positive integer, got ${size}`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    // execArgv: not the parent's (`-e <script>` would run the script again); a heap limit: an
    // input that blows up memory kills its process, not the server. 'advanced' serialization:
    // structured clone, as for threads.
    const worker = fork(fileURLToPath(new URL('./worker.js', import.meta.url)), [], {
      execArgv: ['--max-old-space-size=2048'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const slot: Slot = { worker, queue: [], running: null, timer: null, ready: false };
    slot.worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      if (msg.id === 0) {
        // start-up ping answered: loading the parsers is not charged to the first job's time
        slot.ready = true;
        this.pump(slot);
        return;
      }
      const p = slot.running;
      if (!p || p.job.id !== msg.id) return;
      this.finish(slot);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'worker error'));
      this.pump(slot);
    });
    const died = (err: Error) => {
      if (this.closed || !this.slots.includes(slot)) return;
      // a crash (out of memory, a native fault): fail the job it ran, replace the process
      const p = slot.running;
      this.finish(slot);
      p?.reject(err);
      this.replace(slot);
    };
    slot.worker.on('error', died);
    slot.worker.on('exit', (code, signal) => died(new Error(`scoring process exited (${signal ?? `code ${code}`})`)));
    slot.worker.send({ id: 0, op: 'ping' }, (e) => e && died(e));
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.running = null;
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.stats.restarts++;
    const fresh = this.spawn();
    fresh.queue = slot.queue;
    slot.queue = [];
    this.slots[i] = fresh;
    slot.worker.kill('SIGKILL');
    this.pump(fresh);
  }

  private pump(slot: Slot): void {
    if (slot.running || !slot.ready || this.closed) return;
    const p = slot.queue.shift();
    if (!p) return;
    slot.running = p;
    this.stats.jobs++;
    slot.timer = setTimeout(() => {
      if (slot.running !== p) return;
      this.stats.timeouts++;
      this.finish(slot);
      p.reject(new JobTimeoutError(this.jobTimeoutMs));
      this.replace(slot);
    }, this.jobTimeoutMs);
    try {
      slot.worker.send(p.job);
    } catch (e) {
      // the process died between its exit and our noticing: fail this job, replace it
      this.finish(slot);
      p.reject(e as Error);
      this.replace(slot);
    }
  }

  /** Run a job in a process (the one `affinity` picks, else the least busy one). */
  run<T>(body: JobBody, affinity?: number): Promise<T> {
    if (this.closed) return Promise.reject(new Error('serve: the worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      const job = { ...body, id: this.nextId++ } as Job;
      let slot: Slot;
      if (affinity !== undefined) slot = this.slots[affinity % this.slots.length]!;
      else slot = this.slots.reduce((best, s) => (load(s) < load(best) ? s : best));
      slot.queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
      this.pump(slot);
    });
  }

  /** Jobs waiting or running. */
  get backlog(): number {
    return this.slots.reduce((n, s) => n + load(s), 0);
  }

  /** Wait until every process has loaded the environment (its first job). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.run({ op: 'ping' }, i)));
  }

  /** Reject what is queued, stop every process. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const slots = this.slots;
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      for (const p of [...(s.running ? [s.running] : []), ...s.queue]) p.reject(new Error('serve: shutting down'));
      s.queue = [];
      s.running = null;
    }
    await Promise.all(
      slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.worker.exitCode !== null || s.worker.signalCode !== null) return resolve();
            s.worker.once('exit', () => resolve());
            s.worker.kill('SIGTERM');
          }),
      ),
    );
  }
}

function load(s: Slot): number {
  return s.queue.length + (s.running ? 1 : 0);
}
