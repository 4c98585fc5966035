// `batcoder train`: every hyperparameter of src/train/config.ts is a flag, each checked by
// its parser (src/cli/flags.ts) while the command line is read; cross-flag rules and the
// files a run needs (--data, --init, a resumed run's config.json) are checked before the
// GPU is acquired or anything is written, so a bad invocation leaves no run directory.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { getGpu, releaseGpu } from '../../gpu/index.js';
import { DEFAULTS, QUICK, REWARD_KINDS, type TrainConfig } from '../../train/config.js';
import { Trainer } from '../../train/trainer.js';
import { parseLang } from '../../lang/parser.js';
import { parseLowResource } from '../../train/data.js';
import { DYNAMIC_SAMPLING_MODES } from '../../rl/dynamic-sampling.js';
import { ADVANTAGE_NORMS, BASELINES } from '../../rl/advantages.js';
import { KL_ESTIMATORS } from '../../rl/kl.js';
import { PRESETS } from '../../nn/config.js';
import { choiceFlag, intFlag, listFlag, numFlag } from '../flags.js';

type Parser = (v: string) => unknown;

/** A number > 0 (numFlag's ranges are inclusive). */
function positiveFlag(name: string): Parser {
  const num = numFlag(name);
  return (v) => {
    const n = num(v);
    if (!(n > 0)) throw new InvalidArgumentError(`${name}: expected a number > 0, got '${v}'`);
    return n;
  };
}

/** A parser whose own errors (plain Error) are reported as the flag's. */
function wrapFlag(name: string, parse: (v: string) => unknown): Parser {
  return (v) => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError(`${name}: ${(e as Error).message}`);
    }
  };
}

/** flag, config key, help, value parser. Every hyperparameter is a flag; defaults come from DEFAULTS. */
const FLAGS: [string, keyof TrainConfig, string, Parser][] = [
  ['--out <dir>', 'out', 'run directory', String],
  ['--seed <n>', 'seed', 'seed of everything (data order, init, sampling)', intFlag('--seed', { min: 0 })],
  ['--preset <name>', 'preset', `model preset for --from-scratch (${Object.keys(PRESETS).join(', ')})`, choiceFlag('--preset', Object.keys(PRESETS))],
  ['--init <dir>', 'init', 'start from a checkpoint directory (config.json, model.safetensors, tokenizer.json)', String],
  ['--data <file>', 'data', 'code-only JSONL corpus for phase 1 (CodeSearchNet shape: code, language) instead of the built-in suite', String],
  ['--langs <list>', 'langs', 'comma-separated languages (python,ruby,go,javascript)', listFlag('--langs', wrapFlag('--langs', parseLang))],
  ['--low-resource <spec>', 'lowResource', 'low-resource setting "python:5000,ruby:200": phase 0 on many docs of the first language and few of the second, phase 1 and evaluation on the second', wrapFlag('--low-resource', (v) => (parseLowResource(v), v))],
  ['--low-resource-code <n>', 'lowResourceCode', 'with --low-resource: undocumented functions of the low-resource language added to phase 0 as code-only examples (what a pretrained code model knows)', intFlag('--low-resource-code', { min: 0 })],
  ['--sft-steps <n>', 'sftSteps', 'phase 0 steps', intFlag('--sft-steps', { min: 0 })],
  ['--sft-batch <n>', 'sftBatch', 'phase 0 batch size (examples)', intFlag('--sft-batch', { min: 1 })],
  ['--sft-lr <x>', 'sftLr', 'phase 0 peak learning rate', positiveFlag('--sft-lr')],
  ['--sft-tasks <n>', 'sftTasks', 'phase 0 tasks drawn from the built-in suite', intFlag('--sft-tasks', { min: 1 })],
  ['--vocab-size <n>', 'vocabSize', 'BPE vocabulary size when training a tokenizer', intFlag('--vocab-size', { min: 16 })],
  ['--max-seq-len <n>', 'maxSeqLen', 'longest supervised example (longer ones are dropped)', intFlag('--max-seq-len', { min: 8 })],
  ['--steps <n>', 'steps', 'phase 1 (BatCoder) steps', intFlag('--steps', { min: 0 })],
  ['--batch-codes <n>', 'batchCodes', 'code snippets per rollout', intFlag('--batch-codes', { min: 1 })],
  ['--k <n>', 'k', 'documentation candidates per snippet', intFlag('--k', { min: 1 })],
  ['--epochs <n>', 'epochs', 'passes over each rollout', intFlag('--epochs', { min: 1 })],
  ['--minibatch <n>', 'minibatch', 'trajectories per update', intFlag('--minibatch', { min: 1 })],
  ['--lr <x>', 'lr', 'phase 1 peak learning rate', positiveFlag('--lr')],
  ['--warmup-frac <x>', 'warmupFrac', 'warmup fraction of the updates', numFlag('--warmup-frac', { min: 0, max: 1 })],
  ['--min-lr-frac <x>', 'minLrFrac', 'cosine floor as a fraction of the peak', numFlag('--min-lr-frac', { min: 0, max: 1 })],
  ['--max-grad-norm <x>', 'maxGradNorm', 'global gradient-norm clip (0: off)', numFlag('--max-grad-norm', { min: 0 })],
  ['--weight-decay <x>', 'weightDecay', 'AdamW decoupled weight decay', numFlag('--weight-decay', { min: 0 })],
  ['--clip-low <x>', 'clipLow', 'ratio clip 1 - eps_low', numFlag('--clip-low', { min: 0, max: 0.999 })],
  ['--clip-high <x>', 'clipHigh', 'ratio clip 1 + eps_high', numFlag('--clip-high', { min: 0 })],
  ['--kl-coef <x>', 'klCoef', 'KL penalty coefficient against the start model (0: none)', numFlag('--kl-coef', { min: 0 })],
  ['--kl <k1|k2|k3>', 'kl', 'KL estimator (src/rl/kl.ts)', choiceFlag('--kl', KL_ESTIMATORS)],
  ['--baseline <b>', 'baseline', 'none (Reinforce++) | group-mean | leave-one-out | grpo', choiceFlag('--baseline', BASELINES)],
  ['--adv-norm <mode>', 'advNorm', 'advantage normalisation: global (the whole batch, as OpenRLHF) | per-stage', choiceFlag('--adv-norm', ADVANTAGE_NORMS)],
  ['--dynamic-sampling <mode>', 'dynamicSampling', `drop groups without signal: ${DYNAMIC_SAMPLING_MODES.join(' | ')}`, choiceFlag('--dynamic-sampling', DYNAMIC_SAMPLING_MODES)],
  ['--max-sampling-attempts <n>', 'maxSamplingAttempts', 'rollouts tried per step to fill the batch', intFlag('--max-sampling-attempts', { min: 1 })],
  ['--temperature <x>', 'temperature', 'sampling temperature of rollouts', positiveFlag('--temperature')],
  ['--max-doc-tokens <n>', 'maxDocTokens', 'stage 1 generation length', intFlag('--max-doc-tokens', { min: 1 })],
  ['--max-code-tokens <n>', 'maxCodeTokens', 'stage 2 generation length', intFlag('--max-code-tokens', { min: 1 })],
  ['--reward <kind>', 'reward', REWARD_KINDS.join(' | '), choiceFlag('--reward', REWARD_KINDS)],
  ['--exec-weight <w>', 'execWeight', 'weight of the execution part of --reward cssg+exec-diff, in [0, 1]', numFlag('--exec-weight', { min: 0, max: 1 })],
  ['--eval-every <n>', 'evalEvery', 'held-out evaluation every n steps (0: only at the start and the end)', intFlag('--eval-every', { min: 0 })],
  ['--eval-tasks <n>', 'evalTasks', 'held-out tasks per evaluation', intFlag('--eval-tasks', { min: 0 })],
  ['--checkpoint-every <n>', 'checkpointEvery', 'checkpoint every n steps', intFlag('--checkpoint-every', { min: 1 })],
  ['--max-updates <n>', 'maxUpdates', 'phase 1 ends after this many optimizer updates (the schedule runs over them; 0: no budget, --steps ends it)', intFlag('--max-updates', { min: 0 })],
  ['--max-sampled-tokens <n>', 'maxSampledTokens', 'phase 1 ends once this many tokens were sampled (the schedule runs over them; 0: no budget)', intFlag('--max-sampled-tokens', { min: 0 })],
  ['--sft-baseline-codes <n>', 'sftBaselineCodes', 'with --sft-baseline: phase-1 snippets the start model writes a doc for, once', intFlag('--sft-baseline-codes', { min: 1 })],
  ['--log-rollouts <n>', 'logRollouts', 'sampled groups per step written to rollouts.jsonl (code, docs, R_doc, reconstructions, S; 0: none)', intFlag('--log-rollouts', { min: 0 })],
];

const BOOL_FLAGS: [string, keyof TrainConfig, string][] = [
  ['--from-scratch', 'fromScratch', 'train the tokenizer and run phase 0 instead of starting from the shipped warm start'],
  ['--phase0-only', 'phase0Only', 'stop after phase 0 (and export the model with --export); with --init, phase 0 continues on that model'],
  ['--freeze-stage1', 'freezeStage1', 'ablation: stage 1 (code -> doc) receives no gradient'],
  ['--sft-baseline', 'sftBaseline', "ablation (the paper's SFT baseline): the start model writes docs for phase-1 code once, then SFT on those (doc, code) pairs in both directions"],
  ['--rft-baseline', 'rftBaseline', 'ablation: rejection-sampling fine-tuning, each step SFT on the best of K sampled docs per snippet'],
  ['--no-signature-hint', 'signatureHint', 'stage 2 gets the doc alone, in training and evaluation (default: the doc and the function signature)'],
  ['--no-start-eval', 'startEval', 'skip the held-out evaluation of the start model before phase 1 (the final one still runs)'],
];

/** The run's config from parsed options (each value already checked by its flag's parser), and the cross-flag rules. */
export function configFrom(opts: Record<string, unknown>, saved?: Partial<TrainConfig>): TrainConfig {
  // a resumed run starts from its own config.json (--quick included): the flags given again
  // override it (and the trainer refuses those that would make it a different run)
  const cfg: TrainConfig = saved ? { ...DEFAULTS, ...saved } : { ...DEFAULTS, ...(opts.quick ? QUICK : {}) };
  for (const [, key] of [...FLAGS, ...BOOL_FLAGS]) {
    const v = opts[key];
    if (v !== undefined) (cfg as unknown as Record<string, unknown>)[key] = v;
  }
  if (opts.quick && opts.out === undefined) cfg.out = 'runs/quick';
  if (cfg.lowResource) cfg.langs = [parseLowResource(cfg.lowResource).low.lang];
  if (cfg.reward === 'exec' && !cfg.signatureHint) throw new Error('--reward exec runs the tests, which call the function by name: it needs the signature hint (drop --no-signature-hint)');
  if (cfg.data !== null && !existsSync(cfg.data)) throw new Error(`--data ${cfg.data}: no such file${saved ? ' (the resumed run reads it again)' : ''}`);
  if (cfg.init) {
    for (const f of ['config.json', 'tokenizer.json']) if (!existsSync(join(cfg.init, f))) throw new Error(`--init ${cfg.init}: no ${f} there (expected a model directory: config.json, model.safetensors, tokenizer.json)`);
  }
  return cfg;
}

/** The config.json of the run `--resume DIR` continues. */
function savedConfig(dir: string): Partial<TrainConfig> {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new Error(`--resume ${dir}: no config.json there (is this a run directory?)`);
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!saved || typeof saved !== 'object' || Array.isArray(saved)) throw new Error('not a JSON object');
    return saved as Partial<TrainConfig>;
  } catch (e) {
    throw new Error(`${path}: not a run config (${(e as Error).message})`);
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('train with BatCoder: phase 0 warm start (if needed), then Reinforce++ back-translation (the default run: tiny model, built-in tasks)')
    .option('--quick', 'a few-minute smoke run of the whole pipeline')
    .option('--resume <dir>', 'continue the run in this directory from its last checkpoint')
    .option('--export <dir>', 'after training, save the model + tokenizer here (f16)');
  for (const [flag, key, help, parse] of FLAGS) cmd.option(flag, `${help} (default: ${JSON.stringify(DEFAULTS[key])})`, parse);
  for (const [flag, , help] of BOOL_FLAGS) cmd.option(flag, help);
  cmd.action(async (opts: Record<string, unknown>) => {
    let saved: Partial<TrainConfig> | undefined;
    if (opts.resume) {
      saved = savedConfig(String(opts.resume));
      // only what was typed overrides the saved run: commander's defaults (true for a
      // --no-x flag) must not, or `--resume DIR` alone would silently change the run
      for (const [, key] of [...FLAGS, ...BOOL_FLAGS]) if (cmd.getOptionValueSource(key) !== 'cli') delete opts[key];
      opts.out = opts.resume;
    }
    const cfg = configFrom(opts, saved);
    const gpu = await getGpu();
    console.log(`device: ${gpu.info.vendor} ${gpu.info.device}${gpu.info.software ? ' (CPU)' : ''}; run directory ${cfg.out}`);
    const trainer = new Trainer(gpu, cfg, { resume: opts.resume as string | undefined });
    const onSig = () => {
      console.log('\ninterrupt: finishing the step and writing a checkpoint (Ctrl-C again to abort)');
      trainer.requestStop();
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', onSig);
    try {
      await trainer.setup();
      await trainer.run();
      if (trainer.stopped) {
        // an interrupted run is not a trained model: exporting it would let a caller
        // (the experiment runner's phase 0) take it for the finished one
        if (opts.export) console.log(`interrupted: not exporting to ${String(opts.export)}; --resume ${cfg.out} --export ${String(opts.export)} finishes the run and exports`);
        process.exitCode = 130;
      } else if (opts.export) {
        await trainer.exportModel(String(opts.export));
        console.log(`exported the model to ${String(opts.export)}`);
      }
    } finally {
      process.removeListener('SIGINT', onSig);
      trainer.dispose();
      releaseGpu();
    }
  });
}
