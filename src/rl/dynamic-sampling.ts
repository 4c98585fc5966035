// Dynamic sampling: drop groups (the K samples of one prompt) whose rewards carry no
// learning signal, and keep sampling until the rollout batch is full.
//
// Modes (`--dynamic-sampling`):
//   none   keep every group
//   zero   drop groups whose rewards are all zero (the BatCoder paper: "discard
//          zero-reward" samples). DEFAULT: with BatCoder's rewards an all-zero group
//          means no doc was usable or no reconstruction resembled the code at all.
//   equal  drop groups whose rewards are all equal, i.e. std = 0 (DAPO / verl). With a
//          group baseline such groups have zero advantage anyway: dropping them keeps
//          the batch full of useful samples.
//   range  OpenRLHF's --dynamic_filtering: keep a group iff lo < mean reward < hi, with
//          [lo, hi] = [0, 1] by default (drops all-0 and all-1 groups of 0/1 rewards).
//          Note: "min < mean < max" over the group's own rewards is exactly `equal`.
// "Equal" and "zero" use a tolerance (1e-12) so rounding noise is not mistaken for signal.

export type DynamicSampling = 'none' | 'zero' | 'equal' | 'range';
export const DYNAMIC_SAMPLING_MODES: readonly DynamicSampling[] = ['none', 'zero', 'equal', 'range'];
export const DEFAULT_DYNAMIC_SAMPLING: DynamicSampling = 'zero';

export interface GroupFilterOptions {
  /** [lo, hi] for mode 'range' (default [0, 1]). */
  range?: [number, number];
  /** Tolerance for 'zero' and 'equal' (default 1e-12). */
  tol?: number;
}

/** Whether a group with these rewards carries signal under `mode`. An empty group is never kept (except by 'none'). */
export function keepGroup(rewards: readonly number[], mode: DynamicSampling, o: GroupFilterOptions = {}): boolean {
  const tol = o.tol ?? 1e-12;
  rewards.forEach((r, i) => {
    if (!Number.isFinite(r)) throw new Error(`keepGroup: reward ${i} is ${r}`);
  });
  if (mode === 'none') return true;
  if (rewards.length === 0) return false;
  if (mode === 'zero') return rewards.some((r) => Math.abs(r) > tol);
  if (mode === 'equal') return Math.max(...rewards) - Math.min(...rewards) > tol;
  if (mode === 'range') {
    const [lo, hi] = o.range ?? [0, 1];
    const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
    return mean > lo && mean < hi;
  }
  throw new Error(`keepGroup: unknown dynamic sampling mode '${mode as string}' (expected ${DYNAMIC_SAMPLING_MODES.join(', ')})`);
}

/** Split groups into kept and dropped (order preserved). */
export function filterGroups<G>(groups: readonly G[], rewardsOf: (g: G) => readonly number[], mode: DynamicSampling, o: GroupFilterOptions = {}): { kept: G[]; dropped: G[] } {
  const kept: G[] = [];
  const dropped: G[] = [];
  for (const g of groups) (keepGroup(rewardsOf(g), mode, o) ? kept : dropped).push(g);
  return { kept, dropped };
}

export interface FillBatchOptions<G> extends GroupFilterOptions {
  /** Number of groups wanted. */
  target: number;
  /** Produce more groups; `need` is how many are still missing (a hint: may return more or fewer). */
  sample: (attempt: number, need: number) => Promise<G[]>;
  rewardsOf: (g: G) => readonly number[];
  mode: DynamicSampling;
  /** Bound on calls to `sample` (>= 1). */
  maxAttempts: number;
  /** On exhaustion: 'partial' (default) returns what was kept with a warning; 'error' throws. */
  onExhausted?: 'partial' | 'error';
  warn?: (message: string) => void;
}

export interface FillBatchResult<G> {
  /** Kept groups, at most `target` (surplus beyond the target is cut, as DAPO does). */
  groups: G[];
  attempts: number;
  sampled: number;
  dropped: number;
  /** Kept groups cut because the batch was already full. */
  surplus: number;
  /** True when the batch is not full (exhausted in 'partial' mode). */
  partial: boolean;
}

/** Keep sampling groups until `target` pass the filter, at most `maxAttempts` calls. */
export async function fillBatch<G>(o: FillBatchOptions<G>): Promise<FillBatchResult<G>> {
  if (!Number.isInteger(o.target) || o.target < 1) throw new Error(`fillBatch: target must be an integer >= 1, got ${o.target}`);
  if (!Number.isInteger(o.maxAttempts) || o.maxAttempts < 1) throw new Error(`fillBatch: maxAttempts must be an integer >= 1, got ${o.maxAttempts}`);
  const kept: G[] = [];
  let attempts = 0;
  let sampled = 0;
  let dropped = 0;
  let surplus = 0;
  while (kept.length < o.target && attempts < o.maxAttempts) {
    const got = await o.sample(attempts, o.target - kept.length);
    attempts++;
    sampled += got.length;
    const f = filterGroups(got, o.rewardsOf, o.mode, o);
    dropped += f.dropped.length;
    for (const g of f.kept) {
      if (kept.length < o.target) kept.push(g);
      else surplus++;
    }
  }
  const partial = kept.length < o.target;
  if (partial) {
    const msg =
      `dynamic sampling (${o.mode}): only ${kept.length} of ${o.target} groups carry signal after ${attempts} attempts ` +
      `(${sampled} sampled, ${dropped} dropped). The policy may be collapsed or the task too hard; ` +
      `raise the attempt bound, use --dynamic-sampling none, or check the reward.`;
    if ((o.onExhausted ?? 'partial') === 'error') throw new Error(msg);
    (o.warn ?? ((m: string) => console.warn('warning: ' + m)))(msg);
  }
  return { groups: kept, attempts, sampled, dropped, surplus, partial };
}
