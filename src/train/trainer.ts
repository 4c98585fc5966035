// The BatCoder trainer: phase 0 (supervised warm start, when there is no checkpoint to
// start from) then phase 1 (Reinforce++ over the two-stage back-translation loop).
//
// A run directory holds: config.json (every hyperparameter), metrics.jsonl (one line per
// step), checkpoint/ (model, optimizer moments, training_state.json, tokenizer.json),
// replaced atomically every --checkpoint-every steps and on SIGINT. `--resume DIR`
// continues from there: data order and sampling seeds are functions of (seed, step), and
// the generators' states are restored, so the continuation is the run that would have been.
//
// Compute accounting (what ablation arms are compared at): every phase-1 step logs the
// optimizer updates it took and the tokens it sampled, and their running totals
// (`updates`, `sampled_tokens`, `total_updates`, `total_sampled_tokens`). --max-updates /
// --max-sampled-tokens end phase 1 when the budget is spent and size the learning-rate
// schedule from it. The arms: BatCoder (default), --freeze-stage1, --sft-baseline (the
// start model's docs for phase-1 code, generated once, then SFT in both directions) and
// --rft-baseline (best-of-K rejection-sampling fine-tuning, resampled every step).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gpu } from '../gpu/index.js';
import * as T from '../tensor/index.js';
import { Transformer } from '../nn/model.js';
import { PRESETS, countParams } from '../nn/config.js';
import { configJson, modelTensors, saveModel } from '../nn/io.js';
import { AdamW } from '../optim/adamw.js';
import { trainBpe, SCRATCH_SPECIAL_TOKENS } from '../tokenizer/index.js';
import { checkpointLocation, loadTrainingCheckpoint, removeStaleTemps, saveTrainingCheckpoint, writeJsonAtomic, type TensorInput } from '../checkpoint/index.js';
import { ReplayBuffer, padBatch, type PaddedBatch } from '../rl/buffer.js';
import { fillBatch } from '../rl/dynamic-sampling.js';
import { estimatedTotalUpdates, lrAt } from '../rl/schedule.js';
import type { AdvantageOptions } from '../rl/advantages.js';
import { Rng } from '../util/rng.js';
import { MetricsLogger, ProgressReporter, readMetrics, truncateMetrics } from './metrics.js';
import { formatTrend, rewardTrend, windowStat } from './trend.js';
import { repoRoot } from '../util/paths.js';
import { DEFAULTS, RESUME_LOCKED, type TrainConfig } from './config.js';
import { Policy, clippedSurrogateLoss, loadPolicy, sftLoss } from './policy.js';
import { corpusCode, corpusLeakage, evalTasks, lowResourcePairs, suiteCode, warmupPairs, type CodeItem, type Pair } from './data.js';
import { groupRewards, meanRewards, rollout, trajectories, type Group } from './rollout.js';
import { evaluate, flattenEval, summariseEval, type EvalResult } from './evaluate.js';
import { buildExamples, corpusTexts, lengthBucket, packSft, type SftExample } from './sft.js';
import { checkDoc } from '../doc/index.js';
import { signatureLine } from './prompts.js';
import { DivergenceGuard } from './guard.js';
import { fillReferenceLogProbs, referencePolicy } from './reference.js';

export interface TrainOptions {
  resume?: string;
  log?: (msg: string) => void;
}

/** The shipped warm start: a phase-0 model + tokenizer, produced by `batcoder warmstart`. */
export function warmStartDir(): string {
  return join(repoRoot(), 'assets', 'warmstart');
}

interface RunState {
  phase: 0 | 1;
  step: number;
  rng: ReturnType<Rng['state']>;
  generator: T.GeneratorState;
  optimizerStep: number;
  elapsedSec: number;
  /** phase 1 so far: optimizer updates taken and tokens sampled (absent in older checkpoints) */
  updates?: number;
  sampledTokens?: number;
}

/** What one policy update over a step's batch did (means over its applied optimizer steps). */
interface UpdateStats {
  loss: number;
  clipFrac: number;
  kl: number;
  gradNorm: number;
  /** optimizer steps taken */
  applied: number;
  /** optimizer steps skipped for a non-finite loss or gradient */
  skipped: number;
}

const NO_UPDATE: UpdateStats = { loss: NaN, clipFrac: NaN, kl: NaN, gradNorm: NaN, applied: 0, skipped: 0 };

/** A step without a rollout (the SFT baseline after its one generation). */
const NO_ROLLOUT: Collected = { groups: [], sampled: [], attempts: 0, dropped: 0, generatedTokens: 0, sampleSeconds: 0, rewardSeconds: 0 };

/** A step's batch after dynamic sampling: the kept groups and every group sampled. */
interface Collected {
  groups: Group[];
  sampled: Group[];
  attempts: number;
  dropped: number;
  generatedTokens: number;
  sampleSeconds: number;
  rewardSeconds: number;
}

/** How the trainer's advantages are computed from its config (Reinforce++, src/rl/advantages.ts). */
export function advantageOptions(cfg: Pick<TrainConfig, 'baseline' | 'klCoef' | 'kl' | 'advNorm'>): AdvantageOptions {
  return { baseline: cfg.baseline, beta: cfg.klCoef, kl: cfg.kl, normalizeBy: cfg.advNorm };
}

/** Phase 0's cross-entropy starts near ln(vocab); the surrogate loss is O(1) (see guard.ts). */
const MAX_SFT_LOSS = 100;
const MAX_RL_LOSS = 1000;
/** A checkpointed weight beyond this is a run that blew up (trained weights are O(1)). */
const MAX_WEIGHT = 1e4;

export class Trainer {
  private stopRequested = false;
  private readonly log: (msg: string) => void;
  private metrics!: MetricsLogger;
  private policy!: Policy;
  private opt!: AdamW;
  private state!: RunState;
  private items: CodeItem[] = [];
  /** --sft-baseline: the supervised examples of the start model's pairs, length-sorted */
  private sftExamples: SftExample[] | null = null;
  /** tokens sampled outside a step's rollout (the SFT baseline's generation), counted at the next step */
  private pendingSampledTokens = 0;
  /** the frozen start model of the KL penalty (--kl-coef > 0) */
  private reference?: Policy;
  /** the phase-1 schedule's length in updates (estimatedTotalUpdates, before each step's updates) */
  private scheduleTotal = 1;

  constructor(
    readonly gpu: Gpu,
    readonly cfg: TrainConfig,
    readonly opts: TrainOptions = {},
  ) {
    this.log = opts.log ?? ((m) => console.log(m));
  }

  get dir(): string {
    return this.cfg.out;
  }

  // ------------------------------------------------------------------ setup

  async setup(): Promise<void> {
    const cfg = this.cfg;
    const arms = (['freezeStage1', 'sftBaseline', 'rftBaseline'] as const).filter((k) => cfg[k]);
    if (arms.length > 1) throw new Error(`choose one ablation arm, not ${arms.map((k) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()).replace(/(\d)/, '-$1')).join(' and ')}`);
    if (cfg.maxUpdates > 0 && cfg.maxSampledTokens > 0) throw new Error('--max-updates and --max-sampled-tokens: hold one quantity equal, not both');
    await mkdir(cfg.out, { recursive: true });
    // a save that never finished (killed while writing) left a temp directory: never read, removed
    for (const t of await removeStaleTemps(join(cfg.out, 'checkpoint'))) this.log(`removed ${t}, an unfinished checkpoint save`);
    if (this.opts.resume) await this.resume();
    else await this.start();
    this.policy.model.setRequiresGrad(true);
    this.metrics = new MetricsLogger(join(cfg.out, 'metrics.jsonl'));
    this.items = cfg.data ? corpusCode(cfg.data, cfg.langs, (m) => this.log(`warning: ${m}`)) : suiteCode(cfg.seed, 2000, cfg.langs);
    if (cfg.data) this.log(corpusLeakage(cfg.data, this.items, evalTasks(cfg.seed, cfg.evalTasks, cfg.langs)));
  }


  /** A new run: config.json, then the model from --init, the shipped warm start, or a fresh one (phase 0 first). */
  private async start(): Promise<void> {
    const cfg = this.cfg;
    await writeJsonAtomic(join(cfg.out, 'config.json'), cfg);
    this.state = { phase: 1, step: 0, rng: new Rng(cfg.seed).state(), generator: { seed: cfg.seed, counter: 0 }, optimizerStep: 0, elapsedSec: 0 };
    T.manualSeed(cfg.seed);
    if (cfg.init) {
      this.policy = await loadPolicy(this.gpu, cfg.init);
      // --init with --phase0-only: more supervised training of that model (its tokenizer kept),
      // e.g. a longer warm start continued from the shipped one
      if (cfg.phase0Only) this.state.phase = 0;
      this.log(`initialised from ${cfg.init}${cfg.phase0Only ? ': phase 0 continues on it' : ''}`);
    } else if (!cfg.fromScratch && !cfg.quick && !cfg.lowResource && existsSync(join(warmStartDir(), 'model.safetensors'))) {
      this.policy = await loadPolicy(this.gpu, warmStartDir());
      this.log(`starting from the shipped warm start (${warmStartDir()}); --from-scratch runs phase 0 instead`);
    } else {
      const pairs = this.phase0Pairs().slice(0, 16000);
      const t0 = performance.now();
      const tok = trainBpe(corpusTexts(pairs), { vocabSize: cfg.vocabSize, specialTokens: [...SCRATCH_SPECIAL_TOKENS] });
      this.log(`trained a ${tok.vocabSize}-token BPE vocabulary in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const preset = PRESETS[cfg.preset];
      if (!preset) throw new Error(`unknown preset '${cfg.preset}' (known: ${Object.keys(PRESETS).join(', ')})`);
      const config = { ...preset, vocab_size: tok.vocabSize, max_position_embeddings: Math.max(preset.max_position_embeddings, cfg.maxSeqLen) };
      this.policy = new Policy(Transformer.init(this.gpu, config, cfg.seed), tok);
      this.log(`model: preset ${cfg.preset}, ${countParams(config).toLocaleString()} parameters`);
      this.state.phase = 0;
    }
    this.makeOptimizer();
  }

  /** Continue from the run directory's checkpoint: model, optimizer moments, generators, logs cut back to it. */
  private async resume(): Promise<void> {
    const cfg = this.cfg;
    const where = await this.checkResumable();
    const ck = await loadTrainingCheckpoint(where);
    this.policy = await loadPolicy(this.gpu, ck.dir);
    this.makeOptimizer();
    this.state = ck.state as unknown as RunState;
    if (ck.optimizer) {
      const tensors = new Map([...ck.optimizer].map(([k, t]) => [k, { shape: t.shape, data: t.data as Float32Array }]));
      try {
        this.opt.loadState({ step: this.state.optimizerStep, tensors });
      } catch (e) {
        throw new Error(`${ck.dir}/optimizer.safetensors: ${(e as Error).message}`);
      }
    } else this.opt.step = this.state.optimizerStep;
    T.setGeneratorState(this.state.generator);
    // drop what was logged after the checkpoint (it will be redone): earlier phases stay
    const { phase, step } = this.state;
    truncateMetrics(join(cfg.out, 'metrics.jsonl'), (r) => (r.phase as number) < phase || ((r.phase as number) === phase && r.step <= step));
    if (existsSync(join(cfg.out, 'rollouts.jsonl'))) truncateMetrics(join(cfg.out, 'rollouts.jsonl'), (r) => phase === 1 && r.step <= step);
    this.log(`resumed ${cfg.out} at phase ${this.state.phase}, step ${this.state.step}`);
  }

  /** Phase 0 (code, doc) pairs: the suite in --langs, or the low-resource mix. */
  private phase0Pairs(): Pair[] {
    const cfg = this.cfg;
    return cfg.lowResource ? lowResourcePairs(cfg.seed, cfg.lowResource, cfg.lowResourceCode) : warmupPairs(cfg.seed, cfg.sftTasks, cfg.langs);
  }

  private makeOptimizer(): void {
    this.opt?.dispose();
    this.opt = new AdamW(this.policy.model.params, { beta1: 0.9, beta2: 0.95, weightDecay: this.cfg.weightDecay });
  }

  /** The checkpoint to resume from, after checking the run's config.json allows it. */
  private async checkResumable(): Promise<string> {
    const path = join(this.cfg.out, 'config.json');
    const loc = await checkpointLocation(join(this.cfg.out, 'checkpoint'));
    if (!loc) throw new Error(`--resume ${this.cfg.out}: no checkpoint/ in that run directory`);
    if (loc.fallback) this.log(`--resume: no checkpoint/ (a save was interrupted between its two renames): falling back to the last complete checkpoint, ${loc.dir}`);
    let saved: TrainConfig;
    try {
      saved = JSON.parse(await readFile(path, 'utf8')) as TrainConfig;
      if (!saved || typeof saved !== 'object') throw new Error('not a JSON object');
    } catch (e) {
      throw new Error(`${path}: not a run config (${(e as Error).message})`);
    }
    for (const k of RESUME_LOCKED) {
      // a key the saved config lacks (a run from before the option existed) had the default
      if (JSON.stringify(saved[k] ?? DEFAULTS[k]) !== JSON.stringify(this.cfg[k])) {
        throw new Error(`--resume: '${k}' was ${JSON.stringify(saved[k])} in ${path}, now ${JSON.stringify(this.cfg[k])}: that would be a different run`);
      }
    }
    return loc.dir;
  }

  // ------------------------------------------------------------------ running

  /** Ask the loop to stop after the current step (SIGINT); it checkpoints first. */
  requestStop(): void {
    this.stopRequested = true;
  }

  /** True once a stop was requested: the run is unfinished (checkpointed, resumable), not done. */
  get stopped(): boolean {
    return this.stopRequested;
  }

  async run(): Promise<{ phase0?: EvalResult; final?: EvalResult }> {
    const out: { phase0?: EvalResult; final?: EvalResult } = {};
    if (this.state.phase === 0) {
      await this.phase0();
      if (this.stopRequested) {
        await this.checkpoint();
        this.log(`stopped in phase 0 at step ${this.state.step}; continue with --resume ${this.cfg.out}`);
        return out;
      }
      out.phase0 = await this.evaluate('phase0');
      if (this.cfg.phase0Only) return out;
      this.state.phase = 1;
      this.state.step = 0;
      this.state.optimizerStep = 0;
      this.makeOptimizer();
      await this.checkpoint();
    }
    // the model BatCoder starts from, evaluated once (for the before/after comparison)
    if (this.state.step === 0 && !out.phase0 && this.cfg.evalTasks > 0 && this.cfg.startEval) out.phase0 = await this.evaluate('start');
    await this.phase1();
    if (!this.stopRequested) out.final = await this.evaluate('final');
    return out;
  }

  /** Phase 0: next-token cross-entropy on (code -> doc) and (doc -> code) examples. */
  private async phase0(): Promise<void> {
    const cfg = this.cfg;
    const pairs = this.phase0Pairs();
    // sorted by length: a batch is a random window of neighbours, so padding wastes
    // little compute (random batches padded to their longest row wasted ~40%)
    const examples = buildExamples(this.policy, pairs, cfg.maxSeqLen).sort((a, b) => a.ids.length - b.ids.length);
    const codeOnly = pairs.filter((p) => !p.doc).length;
    this.log(`phase 0: ${examples.length} supervised examples (${pairs.length - codeOnly} code/doc pairs, both directions${codeOnly ? `, ${codeOnly} code-only` : ''}), ${cfg.sftSteps} steps of ${cfg.sftBatch}`);
    const rng = new Rng(cfg.seed).split('phase0');
    const progress = new ProgressReporter();
    const guard = new DivergenceGuard('phase 0', MAX_SFT_LOSS);
    const t0 = performance.now();
    let tokens = 0;
    const firstStep = this.state.step; // a resumed phase 0's clock starts here
    for (let step = this.state.step; step < cfg.sftSteps && !this.stopRequested; step++) {
      const srng = rng.split(step);
      const batch = lengthBucket(examples, cfg.sftBatch, srng);
      const { tokens: ids, targets, B, T: Tn } = packSft(batch, this.policy.padId);
      const lr = lrAt(step, { peak: cfg.sftLr, totalSteps: cfg.sftSteps, warmupFrac: 0.05, floorFrac: cfg.minLrFrac });
      const loss = T.tidy(() => {
        const l = sftLoss(this.policy, ids, targets, B, Tn);
        l.backward();
        return l;
      });
      const lossV = await loss.item();
      loss.dispose();
      const r = await this.opt.stepAsync(lr, cfg.maxGradNorm);
      this.opt.zeroGrad();
      if (!r.applied || !Number.isFinite(lossV)) {
        this.log(`phase 0 step ${step}: non-finite ${!Number.isFinite(lossV) ? 'loss' : 'gradient'} (${r.nonFinite.join(', ') || 'loss'}): update skipped`);
      }
      guard.observe(step, lossV, r.applied);
      tokens += targets.reduce((a, t) => a + (t >= 0 ? 1 : 0), 0);
      this.state.step = step + 1;
      const el = (performance.now() - t0) / 1000;
      this.metrics.log({ step: step + 1, phase: 0, loss: lossV, lr, grad_norm: r.gradNorm, tokens_per_s: tokens / el, gpu_bytes: T.memoryStats().storageBytes });
      progress.update({ step: step + 1, total: cfg.sftSteps, elapsedSec: el, fromStep: firstStep, loss: lossV, tokensPerSec: tokens / el, gpuBytes: T.memoryStats().storageBytes });
      if ((step + 1) % (cfg.checkpointEvery * 10) === 0) await this.checkpoint();
    }
    progress.done();
  }

  /** The phase-1 learning rate at the next optimizer update: warmup + cosine over the run's updates (scheduleTotal). */
  private phase1Lr(): number {
    const cfg = this.cfg;
    const sched = { peak: cfg.lr, warmupFrac: cfg.warmupFrac, floorFrac: cfg.minLrFrac };
    // a budget: the schedule runs over it (the real updates, or the fraction of tokens sampled)
    if (cfg.maxUpdates > 0) return lrAt(Math.min(this.state.updates ?? 0, cfg.maxUpdates - 1), { ...sched, totalSteps: cfg.maxUpdates });
    if (cfg.maxSampledTokens > 0) {
      const grid = 10_000;
      return lrAt(Math.min(grid - 1, Math.floor((grid * (this.state.sampledTokens ?? 0)) / cfg.maxSampledTokens)), { ...sched, totalSteps: grid });
    }
    const total = this.scheduleTotal;
    return lrAt(Math.min(this.state.optimizerStep, total - 1), { ...sched, totalSteps: total });
  }

  /** Before a step's `updates` optimizer updates: the schedule's length from the updates really taken. */
  private planUpdates(step: number, updates: number): void {
    this.scheduleTotal = estimatedTotalUpdates(this.state.optimizerStep, updates, step, this.cfg.steps);
  }

  /** Whether a phase-1 budget is spent (never, without one). */
  private budgetSpent(): boolean {
    const cfg = this.cfg;
    return (cfg.maxUpdates > 0 && (this.state.updates ?? 0) >= cfg.maxUpdates) || (cfg.maxSampledTokens > 0 && (this.state.sampledTokens ?? 0) >= cfg.maxSampledTokens);
  }

  /** One optimizer update done (counted towards --max-updates). */
  private countUpdate(): void {
    this.state.updates = (this.state.updates ?? 0) + 1;
  }

  /** Phase 1: BatCoder with Reinforce++, one step = rollout -> rewards -> advantages -> update. */
  private async phase1(): Promise<void> {
    const cfg = this.cfg;
    const progress = new ProgressReporter();
    const t0 = performance.now() - this.state.elapsedSec * 1000;
    const arm = cfg.sftBaseline ? ', SFT baseline (pairs written once by the start model)' : cfg.rftBaseline ? ', RFT baseline (best-of-K fine-tuning)' : cfg.freezeStage1 ? ', stage 1 frozen' : '';
    const budget = cfg.maxUpdates > 0 ? `, until ${cfg.maxUpdates} optimizer updates` : cfg.maxSampledTokens > 0 ? `, until ${cfg.maxSampledTokens} sampled tokens` : '';
    this.log(`phase 1: BatCoder, at most ${cfg.steps} steps of ${cfg.batchCodes} snippets x K=${cfg.k}${budget}, reward ${cfg.reward}, dynamic sampling ${cfg.dynamicSampling}${arm}`);
    if (cfg.klCoef > 0) this.reference = await referencePolicy(this.gpu, cfg.out, this.policy, this.state.step === 0);
    if (cfg.sftBaseline) await this.sftBaselinePairs();
    const guard = new DivergenceGuard('phase 1', cfg.sftBaseline || cfg.rftBaseline ? MAX_SFT_LOSS : MAX_RL_LOSS);
    const recent: { d2c: number; c2d: number; fmt: number }[] = []; // the last 5 steps' policy rewards
    for (let step = this.state.step; step < cfg.steps && !this.budgetSpent() && !this.stopRequested; step++) {
      const stepStart = performance.now();
      const srng = new Rng(cfg.seed).split(`phase1/${step}`);
      const batch = cfg.sftBaseline ? NO_ROLLOUT : await this.collect(step, srng);
      const sampledTokens = batch.generatedTokens + this.pendingSampledTokens;
      this.pendingSampledTokens = 0;
      this.state.sampledTokens = (this.state.sampledTokens ?? 0) + sampledTokens;
      const u0 = performance.now();
      let upd: UpdateStats & { lr: number; lrLast: number; refKl: number };
      if (cfg.sftBaseline || cfg.rftBaseline) {
        this.planUpdates(step, 1);
        const lr = this.phase1Lr();
        const u = cfg.sftBaseline ? await this.sftBaselineUpdate(srng, step, guard) : await this.rftUpdate(batch.groups, srng, step, guard);
        upd = { ...u, lr, lrLast: lr, refKl: NaN };
      } else {
        const adv = await this.advantages(batch.groups);
        this.planUpdates(step, cfg.epochs * Math.ceil(adv.buffer.size / cfg.minibatch));
        const lr = this.phase1Lr();
        const u = await this.update(adv.buffer, srng, step, guard);
        upd = { ...u, lr, lrLast: u.lrLast ?? lr, refKl: adv.refKl };
      }
      const updateSec = (performance.now() - u0) / 1000;
      const el = (performance.now() - t0) / 1000;
      this.state.step = step + 1;
      this.state.elapsedSec = el;
      const row = this.stepRow(step + 1, batch, upd, sampledTokens, { stepSeconds: (performance.now() - stepStart) / 1000, updateSeconds: updateSec });
      const last = step + 1 === cfg.steps || this.budgetSpent();
      this.metrics.log(row);
      this.logRollouts(step + 1, batch.sampled, new Set(batch.groups));
      // the progress line and the trend show the policy's rewards (every sampled group)
      recent.push({ d2c: row.sampled_reward_doc2code, c2d: row.sampled_reward_code2doc, fmt: row.sampled_format_valid });
      if (recent.length > 5) recent.shift();
      const avg = (f: (x: (typeof recent)[number]) => number) => windowStat(recent.map(f)).mean;
      progress.update({
        step: step + 1, total: cfg.steps, elapsedSec: el, rewardDoc2code: row.sampled_reward_doc2code, rewardCode2doc: row.sampled_reward_code2doc, formatValid: row.sampled_format_valid,
        recent: { steps: recent.length, rewardDoc2code: avg((x) => x.d2c), rewardCode2doc: avg((x) => x.c2d), formatValid: avg((x) => x.fmt) },
        loss: upd.loss, kl: upd.kl, tokensPerSec: row.tokens_per_s, gpuBytes: row.gpu_bytes,
      });
      if ((step + 1) % cfg.checkpointEvery === 0 || last) await this.checkpoint();
      if (cfg.evalEvery > 0 && (step + 1) % cfg.evalEvery === 0 && !last) {
        progress.done();
        await this.evaluate(`step${step + 1}`);
      }
    }
    progress.done();
    if (this.stopRequested) {
      await this.checkpoint();
      this.log(`stopped at step ${this.state.step}; continue with --resume ${this.cfg.out}`);
    } else {
      this.log(`phase 1: ${this.state.step} steps, ${this.state.updates ?? 0} optimizer updates, ${this.state.sampledTokens ?? 0} sampled tokens`);
      if ((cfg.maxUpdates > 0 || cfg.maxSampledTokens > 0) && !this.budgetSpent()) this.log(`warning: --steps ${cfg.steps} ended phase 1 before its budget was spent`);
      // read back from the log so a resumed run summarises all of its steps
      const rows = readMetrics(join(cfg.out, 'metrics.jsonl'), (m) => this.log(`warning: ${m}`)).filter((r) => r.phase === 1 && r.eval === undefined);
      if (rows.length >= 6) this.log(`reward trend of the sampled rollouts, first vs last ${Math.floor(rows.length / 3)} steps (mean±se): ${formatTrend(rewardTrend(rows))}`);
    }
  }

  /**
   * Rollout and rewards: groups of K docs (and their reconstructions) for random snippets,
   * scored, until dynamic sampling has `batchCodes` groups with signal or gives up.
   */
  private async collect(step: number, srng: Rng): Promise<Collected> {
    const cfg = this.cfg;
    const out: Collected = { groups: [], sampled: [], attempts: 0, dropped: 0, generatedTokens: 0, sampleSeconds: 0, rewardSeconds: 0 };
    const filled = await fillBatch<Group>({
      target: cfg.batchCodes,
      mode: cfg.dynamicSampling,
      maxAttempts: cfg.maxSamplingAttempts,
      onExhausted: 'partial',
      warn: (m) => this.log(`step ${step}: ${m}`),
      rewardsOf: groupRewards,
      sample: async (attempt, need) => {
        const arng = srng.split(`attempt/${attempt}`);
        const items = Array.from({ length: need }, () => this.items[arng.int(this.items.length)]);
        const r = await rollout(this.policy, items, cfg, arng, `${step}/${attempt}`);
        out.generatedTokens += r.stats.generatedTokens;
        out.sampleSeconds += r.stats.sampleSeconds;
        out.rewardSeconds += r.stats.rewardSeconds;
        // every group sampled, also those dynamic sampling drops: their rewards are the
        // policy's (the kept batch is biased towards groups with signal)
        out.sampled.push(...r.groups);
        return r.groups;
      },
    });
    return { ...out, groups: filled.groups, attempts: filled.attempts, dropped: filled.dropped };
  }

  /**
   * Advantages: the kept groups' trajectories (with the reference model's log-probs when
   * there is a KL penalty) in a replay buffer, Reinforce++ advantages filled in.
   */
  private async advantages(groups: Group[]): Promise<{ buffer: ReplayBuffer; refKl: number }> {
    const cfg = this.cfg;
    const trajs = groups.flatMap((g) => trajectories(g, cfg.freezeStage1));
    if (this.reference) await fillReferenceLogProbs(this.reference, trajs, cfg.temperature, cfg.minibatch);
    const buffer = new ReplayBuffer();
    buffer.addAll(trajs);
    if (buffer.size === 0) return { buffer, refKl: NaN };
    const r = buffer.computeAdvantages(advantageOptions(cfg));
    return { buffer, refKl: this.reference ? r.kl.reduce((a, b) => a + b, 0) / r.kl.length : NaN };
  }

  /** Update: epochs x shuffled minibatches of the clipped surrogate, one optimizer step each. */
  private async update(buffer: ReplayBuffer, srng: Rng, step: number, guard: DivergenceGuard): Promise<UpdateStats & { lrLast?: number }> {
    const cfg = this.cfg;
    if (buffer.size === 0) return NO_UPDATE;
    let lossSum = 0, clipSum = 0, klSum = 0, gnSum = 0, n = 0, skipped = 0, lrLast: number | undefined;
    const mrng = srng.split('minibatches');
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      for (const mb of buffer.minibatches(cfg.minibatch, mrng)) {
        if (cfg.maxUpdates > 0 && this.budgetSpent()) break; // the budget holds exactly
        const batch = padBatch(mb, { padId: this.policy.padId, maxLen: this.policy.model.config.max_position_embeddings });
        lrLast = this.phase1Lr();
        const r = await this.lossStep(batch, lrLast);
        guard.observe(step, r.loss, r.applied);
        if (!r.applied) {
          skipped++;
          this.log(`step ${step}: update skipped: non-finite ${r.what} (${r.names.join(', ')})`);
          continue;
        }
        this.state.optimizerStep++;
        this.countUpdate();
        lossSum += r.loss;
        clipSum += r.clipFrac;
        klSum += r.kl;
        gnSum += r.gradNorm;
        n++;
      }
    }
    buffer.clear();
    // no applied update: NaN, which the progress line shows as "no update"
    const mean = (x: number) => (n ? x / n : NaN);
    return { loss: mean(lossSum), clipFrac: mean(clipSum), kl: mean(klSum), gradNorm: mean(gnSum), applied: n, skipped, lrLast };
  }

  private async lossStep(batch: PaddedBatch, lr: number): Promise<{ applied: boolean; what?: string; names: string[]; loss: number; clipFrac: number; kl: number; gradNorm: number }> {
    const res = T.tidy(() => clippedSurrogateLoss(this.policy.tokenLogProbs(batch, this.cfg.temperature), batch, this.cfg.clipLow, this.cfg.clipHigh));
    const [loss, clipFrac, kl] = await Promise.all([res.loss.item(), res.clipFrac.item(), res.approxKl.item()]);
    if (!Number.isFinite(loss)) {
      for (const t of [res.loss, res.clipFrac, res.approxKl]) t.dispose();
      return { applied: false, what: 'loss', names: ['loss'], loss, clipFrac, kl, gradNorm: NaN };
    }
    T.tidy(() => res.loss.backward());
    for (const t of [res.loss, res.clipFrac, res.approxKl]) t.dispose();
    const r = await this.opt.stepAsync(lr, this.cfg.maxGradNorm);
    this.opt.zeroGrad();
    return { applied: r.applied, what: 'gradient', names: r.nonFinite, loss, clipFrac, kl, gradNorm: r.gradNorm };
  }

  /** --rft-baseline: one supervised update on this step's best usable doc per snippet (rejection sampling). */
  private async rftUpdate(groups: Group[], srng: Rng, step: number, guard: DivergenceGuard): Promise<UpdateStats> {
    const pairs: Pair[] = [];
    for (const g of groups) {
      let best = -1;
      g.code2doc.forEach((r, j) => {
        if (g.rDoc[j] > 0 && (best < 0 || r > g.code2doc[best])) best = j;
      });
      if (best >= 0) pairs.push({ code: g.item.code, doc: g.rewritten[best], lang: g.item.lang });
    }
    if (!pairs.length) return NO_UPDATE;
    const ex = buildExamples(this.policy, pairs, this.cfg.maxSeqLen);
    srng.shuffle(ex);
    return this.sftUpdate(ex, step, guard);
  }

  /**
   * --sft-baseline's data, made once: the start model writes one greedy doc for each of
   * `sftBaselineCodes` phase-1 snippets (a seeded draw from the phase-1 pool); the usable
   * ones (R_doc > 0, as the filter rewrote them) become (doc, code) pairs, saved to
   * sft-pairs.json so that a resumed run reuses them. The tokens sampled count towards
   * the run's sampled tokens at the first step.
   */
  private async sftBaselinePairs(): Promise<void> {
    const cfg = this.cfg;
    const path = join(cfg.out, 'sft-pairs.json');
    let pairs: Pair[];
    if (existsSync(path)) {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { tokens: number; pairs: Pair[] };
      pairs = saved.pairs;
      if (this.state.step === 0) this.pendingSampledTokens = saved.tokens;
      this.log(`SFT baseline: ${pairs.length} (doc, code) pairs from ${path}`);
    } else {
      const rng = new Rng(cfg.seed).split('sft-baseline');
      const items = Array.from({ length: cfg.sftBaselineCodes }, () => this.items[rng.int(this.items.length)]);
      pairs = [];
      let tokens = 0;
      for (let i = 0; i < items.length; i += 32) {
        const chunk = items.slice(i, i + 32);
        const g = await this.policy.generate('code2doc', chunk.map((it) => this.policy.prompt('code2doc', it.code, it.lang)), { maxNewTokens: cfg.maxDocTokens, temperature: 1, seed: 0, greedy: true });
        tokens += g.ids.reduce((a, x) => a + x.length, 0);
        chunk.forEach((it, j) => {
          const c = checkDoc(g.text[j], it.code, it.lang);
          if (c.score > 0 && c.doc) pairs.push({ code: it.code, doc: c.doc, lang: it.lang, signature: signatureLine(it.code, it.lang, it.task) ?? undefined });
        });
      }
      if (!pairs.length) throw new Error(`--sft-baseline: the start model wrote no usable doc for ${items.length} snippets, so there is nothing to fine-tune on`);
      await writeJsonAtomic(path, { tokens, pairs });
      this.pendingSampledTokens = tokens;
      this.log(`SFT baseline: the start model wrote ${items.length} greedy docs once (${tokens} tokens); ${pairs.length} usable (doc, code) pairs, trained in both directions`);
    }
    this.sftExamples = buildExamples(this.policy, pairs, cfg.maxSeqLen).sort((a, b) => a.ids.length - b.ids.length);
  }

  /** --sft-baseline: one supervised update on `minibatch` examples of the fixed pairs. */
  private async sftBaselineUpdate(srng: Rng, step: number, guard: DivergenceGuard): Promise<UpdateStats> {
    if (!this.sftExamples) throw new Error('SFT baseline: no pairs (sftBaselinePairs was not run)');
    return this.sftUpdate(lengthBucket(this.sftExamples, Math.min(this.cfg.minibatch, this.sftExamples.length), srng.split('sft')), step, guard);
  }

  /** One optimizer update of next-token cross-entropy on `ex` (the baselines' update). */
  private async sftUpdate(ex: SftExample[], step: number, guard: DivergenceGuard): Promise<UpdateStats> {
    if (this.cfg.maxUpdates > 0 && this.budgetSpent()) return NO_UPDATE;
    const lr = this.phase1Lr();
    const { tokens, targets, B, T: Tn } = packSft(ex, this.policy.padId);
    const loss = T.tidy(() => {
      const l = sftLoss(this.policy, tokens, targets, B, Tn);
      l.backward();
      return l;
    });
    const lv = await loss.item();
    loss.dispose();
    const r = await this.opt.stepAsync(lr, this.cfg.maxGradNorm);
    this.opt.zeroGrad();
    guard.observe(step, lv, r.applied);
    this.state.optimizerStep++;
    if (r.applied) this.countUpdate();
    return { loss: lv, clipFrac: 0, kl: 0, gradNorm: r.gradNorm, applied: r.applied ? 1 : 0, skipped: r.applied ? 0 : 1 };
  }

  /** One metrics.jsonl line of a phase-1 step. */
  private stepRow(step: number, b: Collected, upd: UpdateStats & { lr: number; lrLast: number; refKl: number }, sampledTokens: number, t: { stepSeconds: number; updateSeconds: number }) {
    const kept = meanRewards(b.groups);
    // the policy's rewards: every sampled group, also those dynamic sampling dropped
    const policyR = meanRewards(b.sampled);
    return {
      // lr at the step's first and last update; ref_kl: mean KL to the reference (--kl-coef)
      step, phase: 1, lr: upd.lr, lr_last: upd.lrLast, ref_kl: upd.refKl,
      reward_doc2code: kept.doc2code, reward_code2doc: kept.code2doc, format_valid: kept.formatValid, format_exact: kept.formatExact,
      sampled_reward_doc2code: policyR.doc2code, sampled_reward_code2doc: policyR.code2doc, sampled_format_valid: policyR.formatValid,
      groups: b.groups.length, sampled_groups: b.sampled.length, attempts: b.attempts, dropped_groups: b.dropped,
      loss: upd.loss, clip_frac: upd.clipFrac, approx_kl: upd.kl, grad_norm: upd.gradNorm, skipped_updates: upd.skipped,
      // compute, what ablation arms are held equal at: this step's and the run's totals
      updates: upd.applied, total_updates: this.state.updates ?? 0,
      sampled_tokens: sampledTokens, total_sampled_tokens: this.state.sampledTokens ?? 0,
      tokens_per_s: b.generatedTokens / t.stepSeconds, step_seconds: t.stepSeconds,
      // where the step went: sampling both stages, CSSG rewards (CPU), the policy update
      sample_seconds: b.sampleSeconds, reward_seconds: b.rewardSeconds, update_seconds: t.updateSeconds,
      gpu_bytes: T.memoryStats().storageBytes,
    };
  }

  /** What the policy wrote: the first `logRollouts` groups sampled this step, to rollouts.jsonl. */
  private logRollouts(step: number, sampled: Group[], kept: Set<Group>): void {
    const n = Math.min(this.cfg.logRollouts, sampled.length);
    if (n <= 0) return;
    const lines = sampled.slice(0, n).map((g) =>
      JSON.stringify({
        step, group: g.groupId, kept: kept.has(g), lang: g.item.lang, code: g.item.code,
        docs: g.docs.map((d, j) => ({ doc: d, rDoc: g.rDoc[j], rewritten: g.rewritten[j] !== d ? g.rewritten[j] : undefined, reconstruction: g.reconstructions[j], similarity: g.similarity[j] })),
      }),
    );
    appendFileSync(join(this.cfg.out, 'rollouts.jsonl'), lines.join('\n') + '\n');
  }

  async evaluate(tag: string): Promise<EvalResult> {
    const r = await evaluate(this.policy, this.cfg);
    await writeJsonAtomic(join(this.cfg.out, `eval-${tag}.json`), r);
    this.metrics.log({ step: this.state.step, phase: this.state.phase, eval: tag, ...flattenEval(r) });
    this.log(`eval ${tag}: ${summariseEval(r)}`);
    return r;
  }

  /** Atomic checkpoint of everything needed to continue. */
  async checkpoint(): Promise<void> {
    const model = await modelTensors(this.policy.model);
    for (const [name, t] of model) {
      const d = t.data as Float32Array;
      for (let i = 0; i < d.length; i++) {
        if (!(Math.abs(d[i]) <= MAX_WEIGHT)) throw new Error(`refusing to write a checkpoint: weight '${name}'[${i}] is ${d[i]} (the run diverged; lower the learning rate)`);
      }
    }
    this.state.generator = T.getGeneratorState();
    this.state.optimizerStep = this.opt.step;
    await saveTrainingCheckpoint(join(this.cfg.out, 'checkpoint'), {
      model,
      optimizer: await optimizerTensors(this.opt),
      state: { ...this.state },
      json: { 'config.json': configJson(this.policy.model), 'tokenizer.json': this.policy.tok.toJSON() },
    });
  }

  /** Save the model and tokenizer alone (f16 for the shipped warm start). */
  async exportModel(dir: string, dtype: 'F32' | 'F16' = 'F16'): Promise<void> {
    await saveModel(this.policy.model, dir, dtype);
    await this.policy.tok.save(join(dir, 'tokenizer.json'));
  }

  dispose(): void {
    this.opt?.dispose();
    this.policy?.model.dispose();
    this.reference?.model.dispose();
  }
}

/** AdamW's state (step aside) as checkpoint tensors: `<param>.exp_avg` / `<param>.exp_avg_sq`. */
async function optimizerTensors(opt: AdamW): Promise<Map<string, TensorInput>> {
  const st = await opt.state();
  return new Map([...st.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data) }]));
}

export { DEFAULTS };
