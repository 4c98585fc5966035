// Every knob of a training run, with its default. The CLI exposes each as a flag and the
// run directory's config.json records the values used, so a run can be reproduced (and
// resumed) from that file alone.
import { HYBRID_WEIGHT, SIMILARITY_REWARDS } from '../eval/diffexec.js';
import type { Lang } from '../lang/parser.js';
import type { DynamicSampling } from '../rl/dynamic-sampling.js';
import type { AdvantageNorm, Baseline, KlEstimator } from '../rl/advantages.js';

/**
 * The reconstruction reward S(c, c'): 'cssg' (CSSG v2, static), 'cssg-v1' (the previous
 * CSSG, for comparison), 'wl' / 'tokens' (baselines), 'exec' (c' passes the task's tests),
 * 'exec-diff' (c and c' agree on generated inputs), 'cssg+exec-diff' (the hybrid,
 * weight --exec-weight on the execution part). See docs/cssg.md.
 */
export const REWARD_KINDS = [...SIMILARITY_REWARDS, 'exec'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

export interface TrainConfig {
  /** run directory (checkpoints, metrics.jsonl, config.json) */
  out: string;
  seed: number;
  /** model preset for --from-scratch */
  preset: string;
  /** start from this checkpoint directory (config.json + model.safetensors + tokenizer.json) */
  init: string | null;
  /** ignore the shipped warm start: train the tokenizer and run phase 0 first */
  fromScratch: boolean;
  /** stop after phase 0 (how a warm start is made); kept in config.json so a resume stays phase 0 only */
  phase0Only: boolean;
  /** code-only JSONL corpus for phase 1 instead of the built-in suite; kept so a resume reads it again */
  data: string | null;
  langs: Lang[];
  /**
   * The paper's low-resource setting, e.g. "python:5000,ruby:200": phase 0 sees many
   * documented functions of the first language and few of the second; phase 1 and the
   * evaluation use the second (code only). Implies a phase 0 (from scratch).
   */
  lowResource: string | null;
  /**
   * With --low-resource: undocumented functions of the low-resource language added to phase 0
   * as code-only examples (doc -> code with an empty doc). The paper starts from a model
   * pretrained on code, which knows the language's syntax but has seen few of its docs; a
   * from-scratch model needs this to write the language at all. 0: pairs only.
   */
  lowResourceCode: number;

  // phase 0: supervised warm-up on (code, doc) pairs in both directions
  sftSteps: number;
  sftBatch: number;
  sftLr: number;
  sftTasks: number;
  /** BPE vocabulary size when training a tokenizer */
  vocabSize: number;
  maxSeqLen: number;

  // phase 1: BatCoder
  steps: number;
  /** code snippets per rollout batch */
  batchCodes: number;
  /** documentation candidates per snippet (K) */
  k: number;
  epochs: number;
  minibatch: number;
  lr: number;
  warmupFrac: number;
  minLrFrac: number;
  maxGradNorm: number;
  weightDecay: number;
  clipLow: number;
  clipHigh: number;
  klCoef: number;
  kl: KlEstimator;
  baseline: Baseline;
  /** advantage normalisation over the whole batch ('global', OpenRLHF's REINFORCE++) or per stage */
  advNorm: AdvantageNorm;
  dynamicSampling: DynamicSampling;
  maxSamplingAttempts: number;
  temperature: number;
  maxDocTokens: number;
  maxCodeTokens: number;
  /**
   * Give stage 2 the function signature after the doc (HumanEval style), in training
   * rollouts and in evaluation alike (one prompt: src/train/prompts.ts). On by default:
   * evaluation runs the task's tests, which call the function by its name, and the
   * paper's doc -> code benchmarks (HumanEval, MBPP) give the signature too.
   */
  signatureHint: boolean;
  reward: RewardKind;
  /** weight of S_exec in the 'cssg+exec-diff' reward */
  execWeight: number;
  freezeStage1: boolean;
  /**
   * ablation, the paper's SFT baseline: the start model writes one greedy doc for each of
   * `sftBaselineCodes` phase-1 snippets, once; then supervised training on those (doc, code)
   * pairs in both directions, one optimizer update of `minibatch` examples per step
   */
  sftBaseline: boolean;
  /** snippets the SFT baseline writes docs for (120: what 30 default BatCoder steps draw) */
  sftBaselineCodes: number;
  /**
   * ablation: rejection-sampling fine-tuning: each step samples K docs per snippet as
   * BatCoder does and takes one supervised update on the best usable doc of each snippet
   */
  rftBaseline: boolean;
  /**
   * compute budgets of phase 1 (0: none). With one set, phase 1 ends when the budget is spent
   * (or after `steps` steps, whichever comes first) and the learning-rate schedule runs over
   * the budget: over the updates themselves, or over the fraction of the tokens sampled.
   * An update that would exceed --max-updates is not taken, so arms hold it exactly.
   */
  maxUpdates: number;
  maxSampledTokens: number;

  // bookkeeping
  evalEvery: number;
  evalTasks: number;
  /**
   * evaluate the start model before phase 1 (eval-start.json); off for an experiment's
   * non-BatCoder arms, whose start model and tasks are BatCoder's of the same seed
   */
  startEval: boolean;
  checkpointEvery: number;
  logEvery: number;
  /** groups per step written to rollouts.jsonl (code, docs, R_doc, reconstructions, S; 0: none) */
  logRollouts: number;
  quick: boolean;
}

export const DEFAULTS: TrainConfig = {
  out: 'runs/default',
  seed: 1,
  preset: 'tiny',
  init: null,
  fromScratch: false,
  phase0Only: false,
  data: null,
  langs: ['python'],
  lowResource: null,
  lowResourceCode: 5000,
  sftSteps: 600,
  sftBatch: 16,
  sftLr: 3e-3,
  sftTasks: 20000,
  vocabSize: 512,
  maxSeqLen: 256,
  steps: 30,
  batchCodes: 4,
  k: 8,
  epochs: 2,
  minibatch: 16,
  // 5e-5: with 2e-4 the default run's held-out round trip rose to 0.199 at step 20 and fell to
  // 0.112 at step 30; with 5e-5 it ended at 0.178 (start 0.158) and the sampled rewards rose
  // by 2-2.5 standard errors from the first to the last 10 steps (README, "The default run")
  lr: 5e-5,
  warmupFrac: 0.03,
  minLrFrac: 0.1,
  maxGradNorm: 1.0,
  weightDecay: 0,
  clipLow: 0.2,
  clipHigh: 0.2,
  klCoef: 0,
  kl: 'k3',
  baseline: 'none',
  advNorm: 'global',
  dynamicSampling: 'zero',
  maxSamplingAttempts: 2,
  temperature: 1.0,
  maxDocTokens: 128,
  maxCodeTokens: 112,
  signatureHint: true,
  reward: 'cssg',
  execWeight: HYBRID_WEIGHT,
  freezeStage1: false,
  sftBaseline: false,
  sftBaselineCodes: 120,
  rftBaseline: false,
  maxUpdates: 0,
  maxSampledTokens: 0,
  evalEvery: 10,
  evalTasks: 32,
  startEval: true,
  checkpointEvery: 10,
  logEvery: 1,
  logRollouts: 2,
  quick: false,
};

/** --quick: a few-minute smoke run of the whole pipeline. */
export const QUICK: Partial<TrainConfig> = {
  preset: 'micro',
  sftSteps: 30,
  sftBatch: 8,
  sftTasks: 400,
  steps: 3,
  batchCodes: 2,
  k: 4,
  epochs: 1,
  minibatch: 8,
  maxDocTokens: 24,
  maxCodeTokens: 32,
  evalEvery: 3,
  evalTasks: 4,
  checkpointEvery: 2,
  quick: true,
};

/** Keys whose change makes a resumed run a different run (refused on --resume). */
export const RESUME_LOCKED: (keyof TrainConfig)[] = ['seed', 'data', 'preset', 'langs', 'lowResource', 'lowResourceCode', 'k', 'batchCodes', 'reward', 'execWeight', 'freezeStage1', 'sftBaseline', 'sftBaselineCodes', 'rftBaseline', 'maxUpdates', 'maxSampledTokens', 'vocabSize', 'advNorm', 'signatureHint', 'klCoef'];
