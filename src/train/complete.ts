// Completions for a benchmark from one of our model directories (`batcoder eval --model`).
//
// A model trained with BatCoder's templates (the tokenizer has <|doc|>/<|code|>) gets, for
// the built-in tasks, the doc -> code template with the task's documentation and signature;
// for other benchmarks, and for models without those tokens (pretrained checkpoints), the
// benchmark prompt is continued as plain text. Generation stops at the benchmark's stop
// sequences and EOS.
import { join } from 'node:path';
import { getGpu, releaseGpu } from '../gpu/index.js';
import { loadModel } from '../nn/io.js';
import { Tokenizer, encodeSegments, promptSegments, extractOutput } from '../tokenizer/index.js';
import { generate } from '../sample/index.js';
import type { Benchmark } from '../data/benchmarks.js';

export interface CompleteOptions {
  samples: number;
  temperature: number;
  maxNewTokens: number;
  seed: number;
  batch?: number;
}

export async function modelCompletions(dir: string, bench: Benchmark, o: CompleteOptions): Promise<Map<string, string[]>> {
  const gpu = await getGpu();
  const model = await loadModel(gpu, dir);
  const tok = await Tokenizer.load(join(dir, 'tokenizer.json'));
  const templated = bench.problems.every((p) => p.doc && p.signature) && tok.tokenToId('<|doc|>') !== undefined && tok.tokenToId('<|code|>') !== undefined;
  const eos = tok.tokenToId('<|endoftext|>') ?? tok.tokenToId('<|im_end|>');
  const out = new Map<string, string[]>();
  const jobs = bench.problems.flatMap((p) => Array.from({ length: o.samples }, (_, s) => ({ p, s })));
  const B = o.batch ?? 16;
  try {
    for (let i = 0; i < jobs.length; i += B) {
      const chunk = jobs.slice(i, i + B);
      // templated: documentation + signature (as in training), and the benchmark's
      // completion is the function after its signature line
      const prompts = chunk.map(({ p }) => (templated ? encodeSegments(tok, promptSegments('scratch', 'doc2code', `${p.doc}\n\n${p.signature}`, { lang: p.language })) : tok.encode(p.prompt)));
      const r = await generate(model, prompts, {
        maxNewTokens: o.maxNewTokens,
        temperature: o.samples > 1 ? o.temperature : 1,
        greedy: o.samples === 1,
        seed: o.seed + i,
        eosId: eos ?? null,
        stopStrings: templated ? ['<|endoftext|>', '<|code|>', '<|doc|>'] : chunk[0].p.stop,
        decode: (ids) => tok.decode(ids),
      });
      chunk.forEach(({ p }, j) => {
        let text = r.text[j];
        if (templated) {
          const code = extractOutput('scratch', 'doc2code', text);
          text = code.slice(code.indexOf('\n') + 1);
        }
        const list = out.get(p.id) ?? [];
        list.push(text);
        out.set(p.id, list);
      });
      process.stderr.write(`\rgenerated ${Math.min(i + B, jobs.length)}/${jobs.length}`);
    }
    process.stderr.write('\n');
  } finally {
    model.dispose();
    releaseGpu();
  }
  return out;
}
