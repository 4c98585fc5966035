// `batcoder sample`: generate continuations of prompts with a model directory.
//
// Tokenizer: the model directory's tokenizer.json when it has one. Without it, prompts
// are encoded byte-level (each UTF-8 byte is its token id, so the vocabulary must have
// >= 256 entries) and generated ids are decoded the same way (ids >= 256 print as <id>).
// --ids passes token ids directly. --code / --doc wrap the prompt in BatCoder's templates.
import type { Command } from 'commander';
import { getGpu, releaseGpu } from '../../gpu/index.js';
import { generate } from '../../sample/generate.js';
import { loadModel, readConfig } from '../../nn/io.js';
import { LANGS } from '../../lang/parser.js';
import { choiceFlag, intFlag, listFlag, numFlag } from '../flags.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer, encodeSegments, promptSegments, stopStrings } from '../../tokenizer/index.js';

function byteDecode(ids: number[]): string {
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    out += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  for (const id of ids) {
    if (id < 256) bytes.push(id);
    else {
      flush();
      out += `<${id}>`;
    }
  }
  flush();
  return out;
}

export function register(program: Command): void {
  program
    .command('sample')
    .description('generate text with a model directory (its tokenizer.json, else byte-level; or --ids)')
    .requiredOption('--model <dir>', 'model directory (config.json + model.safetensors)')
    .option('--prompt <text...>', 'prompt text(s)')
    .option('--code2doc', "treat prompts as code and ask for its documentation (BatCoder's template)")
    .option('--doc2code', "treat prompts as documentation and ask for the code (BatCoder's template)")
    .option('--lang <lang>', 'language tag of the template', choiceFlag('--lang', LANGS), 'python')
    .option('--ids <list...>', 'prompt(s) as comma-separated token ids', (v: string, prev: number[][] = []) => [...prev, listFlag('--ids', intFlag('--ids', { min: 0 }))(v)])
    .option('--max-new-tokens <n>', "tokens to generate per prompt (prompt + these must fit the model's context)", intFlag('--max-new-tokens', { min: 1, max: 1 << 20 }), 64)
    .option('--temperature <t>', 'sampling temperature (0 = greedy)', numFlag('--temperature', { min: 0, max: 1000 }), 1)
    .option('--top-k <k>', 'keep the k most likely tokens (0 = off)', intFlag('--top-k', { min: 0 }), 0)
    .option('--top-p <p>', 'nucleus sampling mass (1 = off)', numFlag('--top-p', { min: 0, max: 1 }), 1)
    .option('--seed <n>', 'seed (each prompt gets its own stream)', intFlag('--seed', { min: 0, max: 2 ** 32 - 1 }), 0)
    .option('--num <n>', 'samples per prompt', intFlag('--num', { min: 1, max: 4096 }), 1)
    .option('--stop <s...>', 'stop strings')
    .option('--eos <id>', 'end-of-sequence id (default: the config\'s eos_token_id)', intFlag('--eos', { min: 0 }))
    .option('--json', 'print one JSON object per sample (ids, log-probs, text, finish reason)')
    .action(async (o: {
      model: string; prompt?: string[]; ids?: number[][]; maxNewTokens: number; temperature: number; topK: number; topP: number;
      seed: number; num: number; stop?: string[]; eos?: number; json?: boolean; code2doc?: boolean; doc2code?: boolean; lang: string;
    }) => {
      // everything that can be checked is checked before the GPU is touched
      const config = await readConfig(o.model);
      const tokPath = join(o.model, 'tokenizer.json');
      const tok = existsSync(tokPath) ? await Tokenizer.load(tokPath) : null;
      const direction = o.code2doc ? 'code2doc' : o.doc2code ? 'doc2code' : null;
      if (direction && !tok) throw new Error(`sample: --${direction} needs ${tokPath}`);
      const encode = (p: string): number[] =>
        tok ? (direction ? encodeSegments(tok, promptSegments('scratch', direction, p, { lang: o.lang })) : tok.encode(p)) : [...Buffer.from(p, 'utf8')];
      const decode = tok ? (ids: number[]) => tok.decode(ids) : byteDecode;
      const prompts: number[][] = [];
      for (const p of o.prompt ?? []) prompts.push(encode(p));
      for (const ids of o.ids ?? []) prompts.push(ids);
      if (!prompts.length) throw new Error('sample: give --prompt or --ids');
      const bad = prompts.flat().find((id) => id >= config.vocab_size);
      if (bad !== undefined) throw new Error(`sample: token id ${bad} is outside the model's vocabulary (${config.vocab_size} ids)`);
      if (o.eos !== undefined && o.eos >= config.vocab_size) throw new Error(`sample: --eos ${o.eos} is outside the model's vocabulary (${config.vocab_size} ids)`);
      const longest = Math.max(...prompts.map((p) => p.length));
      const context = config.max_position_embeddings;
      if (longest >= context) throw new Error(`sample: the longest prompt has ${longest} tokens; the model's context is ${context}`);
      if (longest + o.maxNewTokens > context) throw new Error(`sample: --max-new-tokens ${o.maxNewTokens} with a ${longest}-token prompt exceeds the model's context of ${context} tokens (at most ${context - longest})`);
      const batch = prompts.flatMap((p) => Array.from({ length: o.num }, () => p));
      const gpu = await getGpu();
      try {
        const model = await loadModel(gpu, o.model);
        if (!tok && o.prompt?.length && model.config.vocab_size < 256) throw new Error(`sample: byte-level prompts need a vocabulary of >= 256 ids (this model has ${model.config.vocab_size}); use --ids`);
        const t0 = performance.now();
        const r = await generate(model, batch, {
          maxNewTokens: o.maxNewTokens, temperature: o.temperature, topK: o.topK, topP: o.topP, seed: o.seed,
          eosId: o.eos ?? (tok ? tok.tokenToId('<|endoftext|>') : undefined), stopStrings: o.stop ?? (direction ? stopStrings('scratch') : undefined), decode,
        });
        const ms = performance.now() - t0;
        batch.forEach((p, i) => {
          if (o.json) {
            console.log(JSON.stringify({ prompt: p, ids: r.ids[i], logProbs: r.logProbs[i], text: r.text[i], finishReason: r.finishReason[i], seed: r.seeds[i] }));
          } else {
            console.log(`--- sample ${i} (${r.finishReason[i]}, ${r.ids[i].length} tokens, sum log-prob ${r.logProbs[i].reduce((a, b) => a + b, 0).toFixed(2)})`);
            console.log(decode(p) + r.text[i]);
          }
        });
        const toks = r.ids.reduce((a, x) => a + x.length, 0);
        const st = r.stats;
        const decodeRate = st.decodeSteps ? ((st.decodeSteps * batch.length) / (st.decodeMs / 1000)).toFixed(1) : 'n/a';
        console.error(`${toks} tokens in ${(ms / 1000).toFixed(2)} s, batch ${batch.length}: prefill ${(st.prefillMs / 1000).toFixed(2)} s, decode ${decodeRate} tokens/s`);
        model.dispose();
      } finally {
        releaseGpu();
      }
    });
}
