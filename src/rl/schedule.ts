// Learning-rate schedule: linear warmup, then cosine decay to a floor.
//
//   W = warmupSteps (default ceil(warmupFrac * totalSteps), warmupFrac = 0.03)
//   step < W:   lr = peak * (step + 1) / W          (never 0, so step 0 already learns)
//   step >= W:  p = min(1, (step - W) / max(1, totalSteps - 1 - W))
//               lr = floor + (peak - floor) * (1 + cos(pi * p)) / 2,   floor = floorFrac * peak (0.1)
//
// so the last step (totalSteps - 1) runs exactly at the floor, and steps past the end stay
// there (a resumed run that extends its budget does not explode the rate).

export interface ScheduleOptions {
  /** Peak learning rate (reached at the end of warmup). */
  peak: number;
  /** Total number of optimiser steps in the run. */
  totalSteps: number;
  /** Fraction of totalSteps spent warming up (default 0.03); ignored if warmupSteps is given. */
  warmupFrac?: number;
  /** Explicit warmup length in steps. */
  warmupSteps?: number;
  /** Final rate as a fraction of peak (default 0.1). */
  floorFrac?: number;
}

/** Warmup length in steps for these options. */
export function warmupSteps(o: ScheduleOptions): number {
  if (o.warmupSteps !== undefined) {
    if (!Number.isInteger(o.warmupSteps) || o.warmupSteps < 0) throw new Error(`schedule: warmupSteps must be an integer >= 0, got ${o.warmupSteps}`);
    return o.warmupSteps;
  }
  const f = o.warmupFrac ?? 0.03;
  if (!(f >= 0 && f <= 1)) throw new Error(`schedule: warmupFrac must be in [0, 1], got ${f}`);
  return Math.ceil(f * o.totalSteps);
}

/** The learning rate at optimiser step `step` (0-based). */
export function lrAt(step: number, o: ScheduleOptions): number {
  if (!Number.isInteger(o.totalSteps) || o.totalSteps < 1) throw new Error(`schedule: totalSteps must be an integer >= 1, got ${o.totalSteps}`);
  if (!(o.peak >= 0) || !Number.isFinite(o.peak)) throw new Error(`schedule: peak must be finite and >= 0, got ${o.peak}`);
  if (!Number.isInteger(step) || step < 0) throw new Error(`schedule: step must be an integer >= 0, got ${step}`);
  const floorFrac = o.floorFrac ?? 0.1;
  if (!(floorFrac >= 0 && floorFrac <= 1)) throw new Error(`schedule: floorFrac must be in [0, 1], got ${floorFrac}`);
  const w = warmupSteps(o);
  if (step < w) return (o.peak * (step + 1)) / w;
  const floor = floorFrac * o.peak;
  const p = Math.min(1, (step - w) / Math.max(1, o.totalSteps - 1 - w));
  return floor + ((o.peak - floor) * (1 + Math.cos(Math.PI * p))) / 2;
}

/**
 * The schedule's length when steps take a varying number of optimizer updates (dynamic
 * sampling keeps a varying batch, unusable docs have no stage-2 trajectory, a frozen stage
 * trains nothing): before the `now` updates of step `step` (0-based) of `steps`, with `done`
 * updates taken so far, the run is estimated at the mean so far extrapolated,
 *   total = ceil((done + now) * steps / (step + 1)),
 * which is exact at the last step: its last update (index total - 1) runs at the floor.
 * It depends only on counts a checkpoint holds, so a resumed run gets the same rates.
 */
export function estimatedTotalUpdates(done: number, now: number, step: number, steps: number): number {
  for (const [k, v] of [['done', done], ['now', now], ['step', step]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`schedule: ${k} must be an integer >= 0, got ${v}`);
  }
  if (!Number.isInteger(steps) || steps <= step) throw new Error(`schedule: steps must be an integer > step (${step}), got ${steps}`);
  return Math.max(1, Math.ceil(((done + now) * steps) / (step + 1)));
}
