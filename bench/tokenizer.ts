// Tokenizer throughput: BPE training time on a few MB of code, encode and decode MB/s (cold
// piece cache and warm), and, when tokenizers.js is installed somewhere (TOKREF=/tmp/tokref, see
// tools/gen-tokenizer-fixture.mjs), the same encode with it as a baseline in the same run.
// Run: node dist/bench/tokenizer.js [--mb 4] [--vocab 8192]
import { Bench } from 'tinybench';
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, sharedDir } from '../src/util/paths.js';
import { trainBpe, SCRATCH_SPECIAL_TOKENS } from '../src/tokenizer/index.js';

/** Code and prose: the shared datasets, then TypeScript's own compiler source up to `mb` MB. */
export function codeCorpus(mb: number): string[] {
  const ds = join(sharedDir(), 'datasets');
  const texts: string[] = [];
  const add = (name: string) => {
    const p = join(ds, name);
    if (!existsSync(p)) return;
    const raw = name.endsWith('.gz') ? gunzipSync(readFileSync(p)).toString('utf8') : readFileSync(p, 'utf8');
    texts.push(...raw.split('\n').filter(Boolean));
  };
  for (const f of ['mbpp.jsonl', 'multiple-humaneval-go.jsonl', 'multiple-humaneval-rb.jsonl', 'HumanEval.jsonl.gz', 'humaneval-x_go.jsonl.gz', 'humaneval-x_js.jsonl.gz']) add(f);
  // JSON lines are fine as text (escaped code); real source with newlines makes up the rest.
  const ts = join(repoRoot(), 'node_modules', 'typescript', 'lib', 'typescript.js');
  let have = texts.reduce((a, t) => a + t.length, 0);
  if (existsSync(ts)) {
    const src = readFileSync(ts, 'utf8');
    let off = 0;
    while (have < mb * 1e6 && off < src.length) {
      const chunk = src.slice(off, off + 20_000);
      texts.push(chunk);
      have += chunk.length;
      off += 20_000;
    }
  }
  return texts;
}

export async function benchTokenizer(mb = 4, vocab = 8192): Promise<Record<string, number>> {
  const corpus = codeCorpus(mb);
  const bytes = corpus.reduce((a, t) => a + Buffer.byteLength(t), 0);
  const t0 = performance.now();
  const tok = trainBpe(corpus, { vocabSize: vocab, specialTokens: [...SCRATCH_SPECIAL_TOKENS] });
  const trainS = (performance.now() - t0) / 1000;

  // Held-out text: TypeScript source beyond what training saw.
  const tsPath = join(repoRoot(), 'node_modules', 'typescript', 'lib', 'typescript.js');
  const sample = existsSync(tsPath) ? readFileSync(tsPath, 'utf8').slice(8_000_000, 9_000_000) : corpus.join('\n').slice(0, 1_000_000);
  const sampleBytes = Buffer.byteLength(sample);
  const ids = tok.encode(sample);
  const out: Record<string, number> = {
    'corpus MB': bytes / 1e6,
    'train s': trainS,
    'vocab': tok.vocabSize,
    'held-out bytes/token': sampleBytes / ids.length,
  };

  const bench = new Bench({ iterations: 5, warmupIterations: 1, time: 0 });
  bench
    .add('encode cold cache', () => {
      tok.clearCache();
      tok.encode(sample);
    })
    .add('encode warm cache', () => {
      tok.encode(sample);
    })
    .add('decode', () => {
      tok.decode(ids);
    });
  let ref: { encode: (t: string, o: object) => unknown } | undefined;
  const refDir = process.env.TOKREF;
  if (refDir) {
    const mod = await import(pathToFileURL(join(refDir, 'node_modules', '@huggingface', 'tokenizers', 'dist', 'tokenizers.mjs')).href);
    ref = new mod.Tokenizer(tok.toJSON(), { clean_up_tokenization_spaces: false });
    bench.add('tokenizers.js encode (baseline)', () => {
      ref!.encode(sample, { add_special_tokens: false });
    });
  }
  await bench.run();
  for (const t of bench.tasks) {
    const ms = t.result?.latency?.mean ?? (t.result as unknown as { mean: number })?.mean ?? NaN;
    out[`${t.name} MB/s`] = sampleBytes / 1e6 / (ms / 1000);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  const r = await benchTokenizer(arg('--mb', 4), arg('--vocab', 8192));
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(40)} ${v.toFixed(2).padStart(10)}`);
}
