import type { Command } from 'commander';
import { getGpu, releaseGpu } from '../../gpu/index.js';
import { DEFAULTS, QUICK, REWARD_KINDS, type TrainConfig } from '../../train/config.js';
import { Trainer } from '../../train/trainer.js';
import { parseLang } from '../../lang/parser.js';
import { parseLowResource } from '../../train/data.js';
import { DYNAMIC_SAMPLING_MODES } from '../../rl/dynamic-sampling.js';

/** flag, config key, help. Every hyperparameter is a flag; defaults come from DEFAULTS. */
const FLAGS: [string, keyof TrainConfig, string][] = [
  ['--out <dir>', 'out', 'run directory'],
  ['--seed <n>', 'seed', 'seed of everything (data order, init, sampling)'],
  ['--preset <name>', 'preset', 'model preset for --from-scratch (tiny, micro, qwen2.5-0.5b, ...)'],
  ['--init <dir>', 'init', 'start from a checkpoint directory (config.json, model.safetensors, tokenizer.json)'],
  ['--langs <list>', 'langs', 'comma-separated languages (python,ruby,go,javascript)'],
  ['--low-resource <spec>', 'lowResource', 'low-resource setting "python:5000,ruby:200": phase 0 on many docs of the first language and few of the second, phase 1 and evaluation on the second'],
  ['--low-resource-code <n>', 'lowResourceCode', 'with --low-resource: undocumented functions of the low-resource language added to phase 0 as code-only examples (what a pretrained code model knows)'],
  ['--sft-steps <n>', 'sftSteps', 'phase 0 steps'],
  ['--sft-batch <n>', 'sftBatch', 'phase 0 batch size (examples)'],
  ['--sft-lr <x>', 'sftLr', 'phase 0 peak learning rate'],
  ['--sft-tasks <n>', 'sftTasks', 'phase 0 tasks drawn from the built-in suite'],
  ['--vocab-size <n>', 'vocabSize', 'BPE vocabulary size when training a tokenizer'],
  ['--max-seq-len <n>', 'maxSeqLen', 'longest supervised example (longer ones are dropped)'],
  ['--steps <n>', 'steps', 'phase 1 (BatCoder) steps'],
  ['--batch-codes <n>', 'batchCodes', 'code snippets per rollout'],
  ['--k <n>', 'k', 'documentation candidates per snippet'],
  ['--epochs <n>', 'epochs', 'passes over each rollout'],
  ['--minibatch <n>', 'minibatch', 'trajectories per update'],
  ['--lr <x>', 'lr', 'phase 1 peak learning rate'],
  ['--warmup-frac <x>', 'warmupFrac', 'warmup fraction of the updates'],
  ['--min-lr-frac <x>', 'minLrFrac', 'cosine floor as a fraction of the peak'],
  ['--max-grad-norm <x>', 'maxGradNorm', 'global gradient-norm clip (0: off)'],
  ['--weight-decay <x>', 'weightDecay', 'AdamW decoupled weight decay'],
  ['--clip-low <x>', 'clipLow', 'ratio clip 1 - eps_low'],
  ['--clip-high <x>', 'clipHigh', 'ratio clip 1 + eps_high'],
  ['--kl-coef <x>', 'klCoef', 'KL penalty coefficient (0: none)'],
  ['--kl <k1|k2|k3>', 'kl', 'KL estimator'],
  ['--baseline <b>', 'baseline', 'none (Reinforce++) | group-mean | leave-one-out | grpo'],
  ['--dynamic-sampling <mode>', 'dynamicSampling', `drop groups without signal: ${DYNAMIC_SAMPLING_MODES.join(' | ')}`],
  ['--max-sampling-attempts <n>', 'maxSamplingAttempts', 'rollouts tried per step to fill the batch'],
  ['--temperature <x>', 'temperature', 'sampling temperature of rollouts'],
  ['--max-doc-tokens <n>', 'maxDocTokens', 'stage 1 generation length'],
  ['--max-code-tokens <n>', 'maxCodeTokens', 'stage 2 generation length'],
  ['--reward <kind>', 'reward', REWARD_KINDS.join(' | ')],
  ['--exec-weight <w>', 'execWeight', "weight of the execution part of --reward cssg+exec-diff, in [0, 1]"],
  ['--eval-every <n>', 'evalEvery', 'held-out evaluation every n steps'],
  ['--eval-tasks <n>', 'evalTasks', 'held-out tasks per evaluation'],
  ['--checkpoint-every <n>', 'checkpointEvery', 'checkpoint every n steps'],
  ['--max-updates <n>', 'maxUpdates', 'phase 1 ends after this many optimizer updates (the schedule runs over them; 0: no budget, --steps ends it)'],
  ['--max-sampled-tokens <n>', 'maxSampledTokens', 'phase 1 ends once this many tokens were sampled (the schedule runs over them; 0: no budget)'],
  ['--sft-baseline-codes <n>', 'sftBaselineCodes', 'with --sft-baseline: phase-1 snippets the start model writes a doc for, once'],
  ['--log-rollouts <n>', 'logRollouts', 'sampled groups per step written to rollouts.jsonl (code, docs, R_doc, reconstructions, S; 0: none)'],
];

const BOOL_FLAGS: [string, keyof TrainConfig, string][] = [
  ['--from-scratch', 'fromScratch', 'train the tokenizer and run phase 0 instead of starting from the shipped warm start'],
  ['--freeze-stage1', 'freezeStage1', 'ablation: stage 1 (code -> doc) receives no gradient'],
  ['--sft-baseline', 'sftBaseline', "ablation (the paper's SFT baseline): the start model writes docs for phase-1 code once, then SFT on those (doc, code) pairs in both directions"],
  ['--rft-baseline', 'rftBaseline', 'ablation: rejection-sampling fine-tuning, each step SFT on the best of K sampled docs per snippet'],
  ['--signature-hint', 'signatureHint', 'give stage 2 the function signature after the doc'],
];

function coerce(key: keyof TrainConfig, v: string): unknown {
  const d = DEFAULTS[key];
  if (key === 'langs') return v.split(',').map((s) => parseLang(s.trim()));
  if (key === 'init' || key === 'lowResource') return v;
  if (typeof d === 'number') {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${key}: not a number: ${v}`);
    return n;
  }
  return v;
}

export function configFrom(opts: Record<string, unknown>): TrainConfig {
  const cfg: TrainConfig = { ...DEFAULTS, ...(opts.quick ? QUICK : {}) };
  for (const [, key] of [...FLAGS, ...BOOL_FLAGS]) {
    const v = opts[key];
    if (v === undefined) continue;
    (cfg as unknown as Record<string, unknown>)[key] = typeof v === 'string' ? coerce(key, v) : v;
  }
  if (opts.quick && opts.out === undefined) cfg.out = 'runs/quick';
  if (cfg.lowResource) cfg.langs = [parseLowResource(cfg.lowResource).low.lang];
  if (!DYNAMIC_SAMPLING_MODES.includes(cfg.dynamicSampling)) throw new Error(`--dynamic-sampling must be one of ${DYNAMIC_SAMPLING_MODES.join(', ')}`);
  if (!(REWARD_KINDS as readonly string[]).includes(cfg.reward)) throw new Error(`--reward must be one of ${REWARD_KINDS.join(', ')}`);
  if (!(cfg.execWeight >= 0 && cfg.execWeight <= 1)) throw new Error(`--exec-weight must be in [0, 1], got ${cfg.execWeight}`);
  return cfg;
}

export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('train with BatCoder: phase 0 warm start (if needed), then Reinforce++ back-translation (the default run: tiny model, built-in tasks)')
    .option('--quick', 'a few-minute smoke run of the whole pipeline')
    .option('--resume <dir>', 'continue the run in this directory from its last checkpoint')
    .option('--data <file>', 'code-only JSONL corpus for phase 1 (CodeSearchNet shape: code, language) instead of the built-in suite')
    .option('--phase0-only', 'stop after phase 0 (and export the model with --export)')
    .option('--export <dir>', 'after training, save the model + tokenizer here (f16)');
  for (const [flag, key, help] of FLAGS) cmd.option(flag, `${help} (default: ${JSON.stringify(DEFAULTS[key])})`);
  for (const [flag, , help] of BOOL_FLAGS) cmd.option(flag, help);
  cmd.action(async (opts: Record<string, unknown>) => {
    if (opts.resume) opts.out = opts.resume;
    const cfg = configFrom(opts);
    const gpu = await getGpu();
    console.log(`device: ${gpu.info.vendor} ${gpu.info.device}${gpu.info.software ? ' (CPU)' : ''}; run directory ${cfg.out}`);
    const trainer = new Trainer(gpu, cfg, { resume: opts.resume as string | undefined, data: opts.data as string | undefined, phase0Only: !!opts.phase0Only });
    const onSig = () => {
      console.log('\ninterrupt: finishing the step and writing a checkpoint (Ctrl-C again to abort)');
      trainer.requestStop();
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', onSig);
    try {
      await trainer.setup();
      await trainer.run();
      if (opts.export) {
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
