// A miniature BatCoder trainer on a toy task, on the CPU with the tabular policy of
// toy-policy.ts: the same pieces the real trainer wires (format filter -> rewards ->
// dynamic sampling -> replay buffer -> Reinforce++ advantages -> padded minibatches ->
// clipped surrogate loss and its analytic gradient -> AdamW with clipping -> warmup +
// cosine schedule), small enough to run in a test in well under a second per 100 steps.
//
// Tasks (token ids: codes 0..C-1, header H = C, prose C+1..C+D, markers M1, M2, pad):
//   backtranslation  The two-stage loop of issue 8 in miniature. Stage 1 (code2doc):
//       prompt [M1, c] -> a 2-token "doc" [p, e]. Toy format filter: p must be a prose
//       token (a code token or the header as content is unusable: 0); e = H is the exact
//       format (1); e another prose token is "chatter" that the rewrite replaces by H
//       (0.5, rewritten to [p, H]); e a code token or marker is a leak (0). Stage 2 (doc2code): prompt
//       [M2, ...rewritten doc] -> 1 token c'. S = [c' = c] (through a RewardFn on
//       strings, like CSSG), R_code2doc = S * R_doc, R_doc2code = S. The optimum is a
//       code book: distinct well-formed docs per code, decoded back; reward max 1.
//   bandit  One stage: prompt [M1, c] -> 3 tokens; reward = fraction of positions j with
//       y_j = (3c + 5j + 1) mod V. Reward max 1.
import { ReplayBuffer, padBatch, padResponses, unpadResponses, type Trajectory } from './buffer.js';
import type { Baseline } from './advantages.js';
import { clippedSurrogate } from './loss.js';
import { fillBatch, type DynamicSampling } from './dynamic-sampling.js';
import { roundRewards, type RewardFn } from './rewards.js';
import { lrAt } from './schedule.js';
import { Rng } from '../util/rng.js';
import { TabularAdamW, TabularPolicy } from './toy-policy.js';

export interface ToyConfig {
  task: 'backtranslation' | 'bandit';
  seed: number;
  /** Rollout steps (one rollout + its update epochs each). */
  steps: number;
  /** Number of distinct codes / prompts (C). */
  codes: number;
  /** Prose tokens (D), backtranslation only. */
  proseTokens: number;
  /** Samples per code (K). */
  k: number;
  /** Groups (codes) per rollout. */
  groupsPerStep: number;
  epochs: number;
  /** Trajectories per minibatch. */
  minibatchSize: number;
  lr: number;
  warmupFrac: number;
  floorFrac: number;
  baseline: Baseline;
  dynamicSampling: DynamicSampling;
  maxAttempts: number;
  epsLow: number;
  epsHigh: number;
  maxGradNorm: number;
  /** Ablation: stage 1 receives no gradient. */
  freezeStage1: boolean;
}

export const TOY_DEFAULTS: ToyConfig = {
  task: 'backtranslation',
  seed: 1,
  steps: 250,
  codes: 4,
  proseTokens: 6,
  k: 8,
  groupsPerStep: 4,
  epochs: 2,
  minibatchSize: 16,
  lr: 0.05,
  warmupFrac: 0.03,
  floorFrac: 0.1,
  baseline: 'group-mean',
  dynamicSampling: 'zero',
  maxAttempts: 8,
  epsLow: 0.2,
  epsHigh: 0.2,
  maxGradNorm: 1,
  freezeStage1: false,
};

export interface ToyStepMetrics {
  step: number;
  lr: number;
  /** Mean reward of the stage-1 samples of the kept groups (NaN when none was kept). */
  rewardCode2doc: number;
  /** Mean stage-1 reward over every sampled group, dropped ones included (the unbiased number). */
  rewardSampled: number;
  /** Mean reward of the stage-2 samples (NaN when there were none). */
  rewardDoc2code: number;
  /** Fraction of stage-1 docs with R_doc > 0. */
  formatValid: number;
  loss: number;
  clipFrac: number;
  approxKl: number;
  gradNorm: number;
  groupsKept: number;
  groupsDropped: number;
  tokens: number;
}

export interface ToyEval {
  /** Greedy round trip (backtranslation) or greedy reward (bandit), mean over codes. */
  reward: number;
  /** Fraction of greedy docs with R_doc = 1 (backtranslation; 1 for bandit). */
  formatExact: number;
}

interface Vocab {
  H: number;
  M1: number;
  M2: number;
  PAD: number;
  V: number;
}

function vocabOf(c: ToyConfig): Vocab {
  const H = c.codes;
  const M1 = c.codes + 1 + c.proseTokens;
  return { H, M1, M2: M1 + 1, PAD: M1 + 2, V: M1 + 3 };
}

/** The toy format filter (see the file comment). */
export function toyFormat(doc: readonly number[], c: Pick<ToyConfig, 'codes' | 'proseTokens'>): { score: 0 | 0.5 | 1; doc: number[] } {
  const H = c.codes;
  const isProse = (t: number) => t > H && t <= H + c.proseTokens;
  const [p, e] = doc;
  if (doc.length !== 2 || !isProse(p!)) return { score: 0, doc: [] };
  if (e === H) return { score: 1, doc: [p!, H] };
  return isProse(e!) ? { score: 0.5, doc: [p!, H] } : { score: 0, doc: [] };
}

/** Exact string match as a RewardFn (the toy's "CSSG"). */
const exactMatch: RewardFn = async (o, r) => o.map((x, i) => (x === r[i] ? 1 : 0));

const banditTarget = (code: number, j: number, V: number) => (3 * code + 5 * j + 1) % V;

interface Group {
  trajectories: Trajectory[];
  code2doc: number[];
  doc2code: number[];
  formatValid: number;
}

async function rolloutGroup(policy: TabularPolicy, cfg: ToyConfig, voc: Vocab, code: number, groupId: string, seed: number): Promise<Group> {
  const prompt = [voc.M1, code];
  if (cfg.task === 'bandit') {
    const s = await policy.sample(Array.from({ length: cfg.k }, () => prompt), { maxNewTokens: 3, seed });
    const rewards = s.ids.map((y) => y.filter((t, j) => t === banditTarget(code, j, voc.V)).length / y.length);
    return {
      trajectories: s.ids.map((y, i) => ({ stage: 'code2doc', groupId, promptIds: prompt, responseIds: y, oldLogProbs: s.logProbs[i]!, mask: y.map(() => 1), reward: rewards[i]! })),
      code2doc: rewards,
      doc2code: [],
      formatValid: cfg.k,
    };
  }
  const s1 = await policy.sample(Array.from({ length: cfg.k }, () => prompt), { maxNewTokens: 2, seed });
  const fmt = s1.ids.map((d) => toyFormat(d, cfg));
  const usable = fmt.map((f, i) => (f.score > 0 ? i : -1)).filter((i) => i >= 0);
  const p2 = usable.map((i) => [voc.M2, ...fmt[i]!.doc]);
  const s2 = p2.length ? await policy.sample(p2, { maxNewTokens: 1, seed: seed ^ 0x5bd1e995 }) : { ids: [], logProbs: [], text: [] };
  const recon = new Map<number, number>();
  usable.forEach((i, j) => recon.set(i, j));
  const r = await roundRewards(
    fmt.map((f, i) => ({ original: String(code), lang: 'python' as const, rDoc: f.score, ...(recon.has(i) ? { reconstruction: s2.ids[recon.get(i)!]!.join(' ') } : {}) })),
    exactMatch,
  );
  const trajectories: Trajectory[] = s1.ids.map((d, i) => ({ stage: 'code2doc', groupId, promptIds: prompt, responseIds: d, oldLogProbs: s1.logProbs[i]!, mask: d.map(() => 1), reward: r.code2doc[i]! }));
  usable.forEach((i, j) =>
    trajectories.push({ stage: 'doc2code', groupId, promptIds: p2[j]!, responseIds: s2.ids[j]!, oldLogProbs: s2.logProbs[j]!, mask: [1], reward: r.doc2code[i]! }),
  );
  return { trajectories, code2doc: r.code2doc, doc2code: usable.map((i) => r.doc2code[i]!), formatValid: usable.length };
}

/** Greedy evaluation over every code. */
export async function evalToy(policy: TabularPolicy, cfg: ToyConfig): Promise<ToyEval> {
  const voc = vocabOf(cfg);
  let reward = 0;
  let exact = 0;
  for (let code = 0; code < cfg.codes; code++) {
    const prompt = [voc.M1, code];
    if (cfg.task === 'bandit') {
      const y = (await policy.sample([prompt], { maxNewTokens: 3, seed: 0, greedy: true })).ids[0]!;
      reward += y.filter((t, j) => t === banditTarget(code, j, voc.V)).length / y.length;
      exact++;
      continue;
    }
    const d = (await policy.sample([prompt], { maxNewTokens: 2, seed: 0, greedy: true })).ids[0]!;
    const f = toyFormat(d, cfg);
    if (f.score === 1) exact++;
    if (f.score === 0) continue;
    const c2 = (await policy.sample([[voc.M2, ...f.doc]], { maxNewTokens: 1, seed: 0, greedy: true })).ids[0]![0];
    reward += c2 === code ? 1 : 0;
  }
  return { reward: reward / cfg.codes, formatExact: exact / cfg.codes };
}

const mean = (a: readonly number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN);

/** Train the toy task; deterministic for a given config. */
export async function trainToy(
  partial: Partial<ToyConfig> = {},
  onStep?: (m: ToyStepMetrics) => void,
): Promise<{ history: ToyStepMetrics[]; final: ToyEval; initial: ToyEval; policy: TabularPolicy }> {
  const cfg: ToyConfig = { ...TOY_DEFAULTS, ...partial };
  const voc = vocabOf(cfg);
  const policy = new TabularPolicy(voc.V);
  const opt = new TabularAdamW(policy, { beta1: 0.9, beta2: 0.95 });
  const root = new Rng(cfg.seed);
  const initial = await evalToy(policy, cfg);
  const history: ToyStepMetrics[] = [];
  const buffer = new ReplayBuffer();
  for (let step = 0; step < cfg.steps; step++) {
    const rng = root.split(`step:${step}`);
    const lr = lrAt(step, { peak: cfg.lr, totalSteps: cfg.steps, warmupFrac: cfg.warmupFrac, floorFrac: cfg.floorFrac });
    // rollout with dynamic sampling
    let gi = 0;
    const sampledRewards: number[] = [];
    const filled = await fillBatch<Group>({
      target: cfg.groupsPerStep,
      mode: cfg.dynamicSampling,
      maxAttempts: cfg.maxAttempts,
      rewardsOf: (g) => g.code2doc,
      warn: () => {}, // a partial batch is reported through groupsKept
      sample: async (_attempt, need) => {
        const out: Group[] = [];
        for (let i = 0; i < need; i++, gi++) out.push(await rolloutGroup(policy, cfg, voc, rng.int(cfg.codes), `${step}:${gi}`, rng.u32()));
        for (const g of out) sampledRewards.push(...g.code2doc);
        return out;
      },
    });
    buffer.clear();
    for (const g of filled.groups) for (const t of g.trajectories) if (!(cfg.freezeStage1 && t.stage === 'code2doc')) buffer.add(t);
    const m: ToyStepMetrics = {
      step,
      lr,
      rewardCode2doc: mean(filled.groups.flatMap((g) => g.code2doc)),
      rewardSampled: mean(sampledRewards),
      rewardDoc2code: mean(filled.groups.flatMap((g) => g.doc2code)),
      formatValid: filled.groups.reduce((a, g) => a + g.formatValid, 0) / Math.max(1, filled.groups.length * cfg.k),
      loss: NaN,
      clipFrac: 0,
      approxKl: 0,
      gradNorm: 0,
      groupsKept: filled.groups.length,
      groupsDropped: filled.dropped,
      tokens: 0,
    };
    if (buffer.size > 0) {
      buffer.computeAdvantages({ baseline: cfg.baseline });
      const losses: number[] = [];
      const stats = { clip: 0, kl: 0, tok: 0, norm: 0, n: 0 };
      for (let epoch = 0; epoch < cfg.epochs; epoch++) {
        for (const mb of buffer.minibatches(cfg.minibatchSize, rng.split(`epoch:${epoch}`))) {
          const batch = padBatch(mb, { padId: voc.PAD });
          const pass = await policy.forward(batch);
          const res = clippedSurrogate(
            { logProbs: unpadResponses(pass.logProbs, batch), oldLogProbs: mb.map((t) => t.oldLogProbs), advantages: mb.map((t) => t.advantages!), mask: mb.map((t) => t.mask) },
            { epsLow: cfg.epsLow, epsHigh: cfg.epsHigh },
          );
          opt.zeroGrad();
          await pass.backward(padResponses(res.grad, batch));
          const { gradNorm } = await opt.step(lr, cfg.maxGradNorm);
          losses.push(res.loss);
          stats.clip += res.stats.clipFrac * res.stats.tokens;
          stats.kl += res.stats.approxKl * res.stats.tokens;
          stats.tok += res.stats.tokens;
          stats.norm += gradNorm;
          stats.n++;
        }
      }
      m.loss = mean(losses);
      m.clipFrac = stats.tok ? stats.clip / stats.tok : 0;
      m.approxKl = stats.tok ? stats.kl / stats.tok : 0;
      m.gradNorm = stats.n ? stats.norm / stats.n : 0;
      m.tokens = stats.tok / cfg.epochs;
    }
    history.push(m);
    onStep?.(m);
  }
  return { history, final: await evalToy(policy, cfg), initial, policy };
}
