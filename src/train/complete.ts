// Completions for a benchmark from one of our model directories (`batcoder eval --model`).
//
// A model trained with BatCoder's templates (the tokenizer has <|doc|>/<|code|>) gets, for
// problems with a documentation and a signature (the built-in tasks), the stage-2 prompt of
// training: docToCodeInput(doc, signature) in the doc -> code template, and the benchmark's
// completion is the function after its signature line. Other benchmarks, and models without
// those tokens (pretrained checkpoints), continue the benchmark prompt as plain text up to
// the benchmark's stop sequences or EOS. The caller owns the GPU and the policy.
import { generate } from '../sample/index.js';
import type { Benchmark } from '../data/benchmarks.js';
import type { Policy } from './policy.js';
import { docToCodeInput } from './prompts.js';

export interface CompleteOptions {
  samples: number;
  temperature: number;
  maxNewTokens: number;
  seed: number;
  batch?: number;
}

export async function modelCompletions(policy: Policy, bench: Benchmark, o: CompleteOptions): Promise<Map<string, string[]>> {
  const tok = policy.tok;
  const templated = bench.problems.every((p) => p.doc && p.signature) && tok.tokenToId('<|doc|>') !== undefined && tok.tokenToId('<|code|>') !== undefined;
  const out = new Map<string, string[]>();
  const jobs = bench.problems.flatMap((p) => Array.from({ length: o.samples }, (_, s) => ({ p, s })));
  const B = o.batch ?? 16;
  const sampling = (i: number) => ({ maxNewTokens: o.maxNewTokens, temperature: o.samples > 1 ? o.temperature : 1, greedy: o.samples === 1, seed: o.seed + i });
  for (let i = 0; i < jobs.length; i += B) {
    const chunk = jobs.slice(i, i + B);
    let texts: string[];
    if (templated) {
      const prompts = chunk.map(({ p }) => policy.prompt('doc2code', docToCodeInput(p.doc!, p.signature), p.language));
      const r = await policy.generate('doc2code', prompts, sampling(i));
      texts = r.text.map((code) => code.slice(code.indexOf('\n') + 1));
    } else {
      const r = await generate(policy.model, chunk.map(({ p }) => tok.encode(p.prompt)), {
        ...sampling(i),
        eosId: tok.tokenToId('<|endoftext|>') ?? tok.tokenToId('<|im_end|>') ?? null,
        stopStrings: chunk[0].p.stop,
        decode: (ids) => tok.decode(ids),
      });
      texts = r.text;
    }
    chunk.forEach(({ p }, j) => {
      const list = out.get(p.id) ?? [];
      list.push(texts[j]);
      out.set(p.id, list);
    });
    process.stderr.write(`\rgenerated ${Math.min(i + B, jobs.length)}/${jobs.length}`);
  }
  process.stderr.write('\n');
  return out;
}
