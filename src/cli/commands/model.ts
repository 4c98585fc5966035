// `batcoder model init|info`: create a randomly initialised model directory in Hugging
// Face layout (config.json + model.safetensors), or describe one.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { getGpu, releaseGpu } from '../../gpu/index.js';
import { PRESETS, checkConfig, countParams, type ModelConfig } from '../../nn/config.js';
import { Transformer } from '../../nn/model.js';
import { readConfig, saveModel } from '../../nn/io.js';

export function register(program: Command): void {
  const model = program.command('model').description('create or inspect model directories (config.json + model.safetensors)');
  model
    .command('init')
    .description('write a randomly initialised model (seeded) to a directory')
    .option('--preset <name>', `architecture preset: ${Object.keys(PRESETS).join(', ')}`, 'tiny')
    .option('--config <file>', 'a Hugging Face config.json to use instead of a preset')
    .option('--seed <n>', 'initialisation seed', '0')
    .requiredOption('--out <dir>', 'output directory (created if missing)')
    .action(async (o: { preset: string; config?: string; seed: string; out: string }) => {
      let config: ModelConfig;
      if (o.config) config = checkConfig(JSON.parse(await readFile(o.config, 'utf8')) as ModelConfig, o.config);
      else {
        const p = PRESETS[o.preset];
        if (!p) throw new Error(`unknown preset '${o.preset}' (have: ${Object.keys(PRESETS).join(', ')})`);
        config = p;
      }
      const n = countParams(checkConfig(config));
      if (n > 2e9) throw new Error(`model init: ${n} parameters is more than this command writes (2e9)`);
      const gpu = await getGpu();
      try {
        const m = Transformer.init(gpu, config, Number(o.seed));
        await saveModel(m, o.out);
        console.log(`wrote ${o.out}/config.json and ${o.out}/model.safetensors (${m.numParameters().toLocaleString('en')} parameters, f32)`);
        m.dispose();
      } finally {
        releaseGpu();
      }
    });
  model
    .command('info')
    .description('print a model directory\'s configuration and parameter count')
    .requiredOption('--model <dir>', 'model directory')
    .action(async (o: { model: string }) => {
      const c = await readConfig(o.model);
      console.log(JSON.stringify(c, null, 2));
      console.log(`parameters: ${countParams(c).toLocaleString('en')}`);
    });
}
