// `batcoder sample`: generate continuations of prompts with a model directory.
//
// Tokenizer: the model directory's tokenizer.json when it has one. Without it, prompts
// are encoded byte-level (each UTF-8 byte is its token id, so the vocabulary must have
// >= 256 entries) and generated ids are decoded the same way (ids >= 256 print as <id>).
// --ids passes token ids directly. --code / --doc wrap the prompt in BatCoder's templates.
import type { Command } from 'commander';
import { getGpu, releaseGpu } from '../../gpu/index.js';
import { generate } from '../../sample/generate.js';
import { loadModel } from '../../nn/io.js';
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

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`expected an integer, got '${v}'`);
  return n;
};
const num = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`expected a number, got '${v}'`);
  return n;
};

export function register(program: Command): void {
  program
    .command('sample')
    .description('generate text with a model directory (its tokenizer.json, else byte-level; or --ids)')
    .requiredOption('--model <dir>', 'model directory (config.json + model.safetensors)')
    .option('--prompt <text...>', 'prompt text(s)')
    .option('--code2doc', "treat prompts as code and ask for its documentation (BatCoder's template)")
    .option('--doc2code', "treat prompts as documentation and ask for the code (BatCoder's template)")
    .option('--lang <lang>', 'language tag of the template', 'python')
    .option('--ids <list...>', 'prompt(s) as comma-separated token ids')
    .option('--max-new-tokens <n>', 'tokens to generate per prompt', int, 64)
    .option('--temperature <t>', 'sampling temperature (0 = greedy)', num, 1)
    .option('--top-k <k>', 'keep the k most likely tokens (0 = off)', int, 0)
    .option('--top-p <p>', 'nucleus sampling mass (1 = off)', num, 1)
    .option('--seed <n>', 'seed (each prompt gets its own stream)', int, 0)
    .option('--num <n>', 'samples per prompt', int, 1)
    .option('--stop <s...>', 'stop strings')
    .option('--eos <id>', 'end-of-sequence id (default: the config\'s eos_token_id)', int)
    .option('--json', 'print one JSON object per sample (ids, log-probs, text, finish reason)')
    .action(async (o: {
      model: string; prompt?: string[]; ids?: string[]; maxNewTokens: number; temperature: number; topK: number; topP: number;
      seed: number; num: number; stop?: string[]; eos?: number; json?: boolean; code2doc?: boolean; doc2code?: boolean; lang: string;
    }) => {
      const tokPath = join(o.model, 'tokenizer.json');
      const tok = existsSync(tokPath) ? await Tokenizer.load(tokPath) : null;
      const direction = o.code2doc ? 'code2doc' : o.doc2code ? 'doc2code' : null;
      if (direction && !tok) throw new Error(`sample: --${direction} needs ${tokPath}`);
      const encode = (p: string): number[] =>
        tok ? (direction ? encodeSegments(tok, promptSegments('scratch', direction, p, { lang: o.lang })) : tok.encode(p)) : [...Buffer.from(p, 'utf8')];
      const decode = tok ? (ids: number[]) => tok.decode(ids) : byteDecode;
      const prompts: number[][] = [];
      for (const p of o.prompt ?? []) prompts.push(encode(p));
      for (const s of o.ids ?? []) prompts.push(s.split(',').filter(Boolean).map(int));
      if (!prompts.length) throw new Error('sample: give --prompt or --ids');
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
