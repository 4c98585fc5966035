// Training observability: one JSON line of metrics per step in the run directory, and a
// live progress line.
//
// JSONL appends: each record is written with one appendFileSync (O_APPEND, a single
// write(2) of the whole line), so concurrent readers (`batcoder report` on a live run)
// never see interleaved records, and a crash loses at most the line being written. The
// reader skips a torn last line with a warning; `truncateMetrics` drops records past a
// checkpoint's step when a run resumes, so the file has each step once.
// Non-finite numbers are written as null (JSON has no NaN) and read back as null.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

export type MetricsRecord = { step: number } & Record<string, number | string | boolean | null | undefined>;

export class MetricsLogger {
  private readonly t0: number;

  /** Append to `path` (created with its directory if missing). `now` is injectable for tests. */
  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.t0 = now();
  }

  /** Append one record (adds `time` ISO-8601 and `elapsed_s` unless given). */
  log(rec: MetricsRecord): void {
    if (!Number.isInteger(rec.step) || rec.step < 0) throw new Error(`MetricsLogger.log: step must be an integer >= 0, got ${rec.step}`);
    const t = this.now();
    const full = { time: new Date(t).toISOString(), elapsed_s: (t - this.t0) / 1000, ...rec };
    const line = JSON.stringify(full, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
    appendFileSync(this.path, line + '\n');
  }
}

/** Read a metrics file: records in order; a torn last line is skipped (warned), a malformed middle line throws with its line number. */
export function readMetrics(path: string, warn: (m: string) => void = (m) => console.warn('warning: ' + m)): MetricsRecord[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const out: MetricsRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    try {
      const r = JSON.parse(l) as MetricsRecord;
      if (typeof r !== 'object' || r === null || typeof r.step !== 'number') throw new Error('no numeric "step"');
      out.push(r);
    } catch (e) {
      const last = lines.slice(i + 1).every((x) => x.trim() === '');
      if (last && !text.endsWith('\n')) {
        warn(`${path}:${i + 1}: skipping a torn last line (the run was interrupted while writing it)`);
        continue;
      }
      throw new Error(`${path}:${i + 1}: malformed metrics line: ${(e as Error).message}`);
    }
  }
  return out;
}

/** Keep only records with step < `step` (for --resume from a checkpoint taken before `step`); atomic rewrite. */
export function truncateMetrics(path: string, step: number | ((r: MetricsRecord) => boolean)): number {
  if (!existsSync(path)) return 0;
  const keepIf = typeof step === 'number' ? (r: MetricsRecord) => r.step < step : step;
  const keep = readMetrics(path, () => {}).filter(keepIf);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, keep.map((r) => JSON.stringify(r) + '\n').join(''));
  renameSync(tmp, path);
  return keep.length;
}

// ---- progress line -------------------------------------------------------------------

export interface ProgressState {
  step: number; // steps completed
  total: number;
  /** Seconds spent on the steps after `fromStep` (for the ETA). */
  elapsedSec: number;
  /** The step `elapsedSec` counts from (a resumed run's first step; default 0). */
  fromStep?: number;
  rewardDoc2code?: number;
  rewardCode2doc?: number;
  /** Fraction of stage-1 docs with R_doc > 0. */
  formatValid?: number;
  /** The same three as means over the last few steps (a single step's rollout is noisy). */
  recent?: { steps: number; rewardDoc2code: number; rewardCode2doc: number; formatValid: number };
  loss?: number;
  kl?: number;
  tokensPerSec?: number;
  gpuBytes?: number;
}

/** "1h02m", "3m05s", "12s", "--" */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '--';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function fmtNum(x: number | undefined, digits = 3): string {
  // NaN: nothing to average (e.g. no valid doc, so no stage-2 reward this step)
  if (x === undefined || x === null || Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 10 ** -digits) return x.toExponential(1);
  return x.toFixed(digits);
}

function fmtCount(x: number): string {
  if (x >= 1e6) return (x / 1e6).toFixed(1) + 'M';
  if (x >= 1e3) return (x / 1e3).toFixed(1) + 'k';
  return x.toFixed(0);
}

function fmtBytes(b: number): string {
  if (b >= 2 ** 30) return (b / 2 ** 30).toFixed(2) + ' GiB';
  if (b >= 2 ** 20) return (b / 2 ** 20).toFixed(0) + ' MiB';
  return (b / 2 ** 10).toFixed(0) + ' KiB';
}

/** One progress line, e.g. `step 12/200 6% ETA 3m05s | R_d2c 0.412 R_c2d 0.301 fmt 87% | loss -0.0123 kl 2.1e-4 | 1.2k tok/s | gpu 312 MiB`. */
export function formatProgress(p: ProgressState): string {
  const pct = p.total > 0 ? Math.floor((100 * p.step) / p.total) : 0;
  // remaining steps x seconds per step, the rate measured on the steps this clock saw
  const done = p.step - (p.fromStep ?? 0);
  const eta = done > 0 ? ((p.total - p.step) * p.elapsedSec) / done : NaN;
  const parts = [`step ${p.step}/${p.total} ${pct}% ETA ${formatDuration(eta)}`];
  const r: string[] = [];
  if (p.rewardDoc2code !== undefined) r.push(`R_d2c ${fmtNum(p.rewardDoc2code)}`);
  if (p.rewardCode2doc !== undefined) r.push(`R_c2d ${fmtNum(p.rewardCode2doc)}`);
  if (p.formatValid !== undefined) r.push(`fmt ${Number.isFinite(p.formatValid) ? Math.round(100 * p.formatValid) + '%' : '-'}`);
  if (p.recent && p.recent.steps > 1) {
    const q = p.recent;
    r.push(`(avg${q.steps} ${fmtNum(q.rewardDoc2code)} ${fmtNum(q.rewardCode2doc)} ${Number.isFinite(q.formatValid) ? Math.round(100 * q.formatValid) + '%' : '-'})`);
  }
  if (r.length) parts.push(r.join(' '));
  const l: string[] = [];
  // a step without an applied update (nothing kept, or every update skipped) has loss NaN
  if (p.loss !== undefined && !Number.isFinite(p.loss)) l.push('no update');
  else {
    if (p.loss !== undefined) l.push(`loss ${fmtNum(p.loss, 4)}`);
    if (p.kl !== undefined) l.push(`kl ${p.kl !== 0 && Math.abs(p.kl) < 0.01 ? p.kl.toExponential(1) : fmtNum(p.kl, 4)}`); // KL lives around 1e-4
  }
  if (l.length) parts.push(l.join(' '));
  if (p.tokensPerSec !== undefined) parts.push(`${fmtCount(p.tokensPerSec)} tok/s`);
  if (p.gpuBytes !== undefined) parts.push(`gpu ${fmtBytes(p.gpuBytes)}`);
  return parts.join(' | ');
}

/** Where progress goes: a TTY stream redraws one line; anything else gets a line every `intervalSec`. */
export interface ProgressSink {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class ProgressReporter {
  private lastPrint = -Infinity;
  private drawn = false;
  private readonly tty: boolean;

  constructor(
    private readonly sink: ProgressSink = process.stderr,
    private readonly o: { intervalSec?: number; ttyIntervalSec?: number; now?: () => number; tty?: boolean } = {},
  ) {
    this.tty = o.tty ?? !!sink.isTTY;
  }

  /** Report the state; prints if due (always on the first and the last step). */
  update(p: ProgressState): void {
    const now = (this.o.now ?? Date.now)() / 1000;
    const interval = this.tty ? (this.o.ttyIntervalSec ?? 0.1) : (this.o.intervalSec ?? 10);
    const final = p.step >= p.total;
    if (!final && this.drawn && now - this.lastPrint < interval) return;
    this.lastPrint = now;
    let line = formatProgress(p);
    if (this.tty) {
      const cols = this.sink.columns ?? 0;
      if (cols > 1 && line.length > cols - 1) line = line.slice(0, cols - 1);
      this.sink.write('\r' + line + '\x1b[K' + (final ? '\n' : ''));
      this.drawn = !final;
    } else {
      this.sink.write(line + '\n');
      this.drawn = true;
    }
  }

  /** Print a message without corrupting the live line (e.g. a warning). */
  log(message: string): void {
    if (this.tty && this.drawn) this.sink.write('\r\x1b[K');
    this.sink.write(message + '\n');
    // the next update redraws the line
    this.lastPrint = -Infinity;
  }

  /** End the live line (TTY). */
  done(): void {
    if (this.tty && this.drawn) this.sink.write('\n');
    this.drawn = false;
  }
}
