// Batched autoregressive generation with the KV cache: one prefill pass over the
// left-padded prompts, then one token per step for every row. Token selection runs on
// the GPU (kernels/sampling.ts); each step reads back only B ids and B log-probs.
//
// The log-probabilities returned are those of the chosen tokens under the TEMPERED
// model distribution over the full vocabulary:
//     logProbs[b][t] = log_softmax(logits / temperature)[id]
// (not renormalised over the top-k / top-p survivors; with temperature 0 or greedy
// without a temperature, temperature 1). sequenceLogProbs(model, batch, {temperature})
// recomputes exactly this quantity by teacher forcing.
import type { Transformer } from '../nn/model.js';
import { headDim } from '../nn/config.js';
import { KVCache } from '../nn/kv-cache.js';
import * as T from '../tensor/index.js';
import { sampleTokens } from '../kernels/sampling.js';
import { checkIds, leftPad, lmHead } from './layout.js';
import { philoxKeys, rowSeeds, seedFromGenerator } from './seeds.js';

export type FinishReason = 'eos' | 'stop' | 'length';

export interface GenerateOptions {
  /** generate at most this many tokens per row (EOS included) */
  maxNewTokens: number;
  /** > 0 samples from softmax(logits / temperature); 0 means greedy (default 1) */
  temperature?: number;
  /** keep only the k most likely tokens (0 = off) */
  topK?: number;
  /** keep the smallest top set with probability mass >= topP (1 = off), applied after top-k */
  topP?: number;
  /** pick the argmax (lowest id on ties) */
  greedy?: boolean;
  /**
   * One seed for the batch (row r gets rowSeeds(seed, B)[r]), or one seed per row.
   * Default: drawn from the tensor generator (T.manualSeed makes it reproducible).
   */
  seed?: number | number[];
  /** end-of-sequence id(s); default the config's eos_token_id; null: none */
  eosId?: number | number[] | null;
  /** stop a row once its decoded text contains one of these (needs `decode`) */
  stopStrings?: string[];
  /** ids -> text; without it `text` is empty strings */
  decode?: (ids: number[]) => string;
  /** id used for padding (default: the first EOS id, else 0); it never reaches the output */
  padId?: number;
}

export interface GenerateResult {
  /**
   * Generated ids per row (prompt excluded). A row that ended with EOS keeps the EOS id
   * as its last token; a row stopped by a stop string keeps the token that completed it.
   */
  ids: number[][];
  /** log_softmax(logits / temperature) of each generated id (see the file comment) */
  logProbs: number[][];
  /** decode(ids without a final EOS), cut just before the first stop string */
  text: string[];
  finishReason: FinishReason[];
  /** the temperature that defines logProbs (1 when sampling greedily without one) */
  temperature: number;
  /** the row seeds used (pass them back to reproduce a row alone) */
  seeds: number[];
  /** wall-clock split: the prefill step (prompt pass + first selection + readback) and the rest */
  stats: { prefillMs: number; decodeMs: number; decodeSteps: number };
}

function eosList(model: Transformer, opt: GenerateOptions['eosId']): number[] {
  if (opt === null) return [];
  const v = opt ?? model.config.eos_token_id;
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Earliest index in `text` where one of `stops` begins, or -1. */
function findStop(text: string, stops: readonly string[]): number {
  let at = -1;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

export async function generate(model: Transformer, prompts: number[][], opts: GenerateOptions): Promise<GenerateResult> {
  const c = model.config;
  const gpu = model.gpu;
  const V = c.vocab_size;
  const B = prompts.length;
  const maxNew = opts.maxNewTokens;
  if (!Number.isInteger(maxNew) || maxNew < 0) throw new Error(`generate: maxNewTokens must be a non-negative integer, got ${maxNew}`);
  checkIds('generate: prompts', prompts, V, false);
  const t0 = opts.temperature ?? 1;
  if (!(t0 >= 0) || !Number.isFinite(t0)) throw new Error(`generate: temperature must be >= 0, got ${t0}`);
  const greedy = !!opts.greedy || t0 === 0;
  const temperature = t0 === 0 ? 1 : t0;
  const topK = opts.topK ?? 0;
  const topP = opts.topP ?? 1;
  if (!Number.isInteger(topK) || topK < 0) throw new Error(`generate: topK must be a non-negative integer, got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new Error(`generate: topP must be in (0, 1], got ${topP}`);
  const stops = opts.stopStrings ?? [];
  if (stops.length && !opts.decode) throw new Error('generate: stopStrings need a decode function');
  const eos = eosList(model, opts.eosId);
  const padId = opts.padId ?? eos[0] ?? 0;
  if (!Number.isInteger(padId) || padId < 0 || padId >= V) throw new Error(`generate: padId ${padId} is not a token id in [0, ${V})`);
  let seeds: number[];
  if (Array.isArray(opts.seed)) {
    if (opts.seed.length !== B) throw new Error(`generate: ${opts.seed.length} seeds for ${B} prompts`);
    seeds = [...opts.seed];
  } else seeds = rowSeeds(opts.seed ?? seedFromGenerator(), B);

  const out: GenerateResult = {
    ids: prompts.map(() => []),
    logProbs: prompts.map(() => []),
    text: prompts.map(() => ''),
    finishReason: prompts.map(() => 'length' as FinishReason),
    temperature,
    seeds,
    stats: { prefillMs: 0, decodeMs: 0, decodeSteps: 0 },
  };
  if (B === 0 || maxNew === 0) return out;

  const lay = leftPad(prompts, padId);
  const { Lp } = lay;
  const cache = new KVCache(gpu, c.num_hidden_layers, B, c.num_key_value_heads, Lp + maxNew, headDim(c));
  const seedT = T.keep(T.tensor(gpu, philoxKeys(seeds), [2 * B], 'u32'));
  const result = gpu.alloc(8 * B);
  const done = new Array<boolean>(B).fill(false);
  try {
    let ids = lay.ids;
    let positions = lay.positions;
    let keyValid = lay.mask;
    let Tn = Lp;
    let t0 = performance.now();
    for (let step = 0; step < maxNew; step++) {
      T.tidy(() =>
        T.noGrad(() => {
          // compact cache: a token's row is its position among its sequence's real tokens
          // (padding is never stored), so decode steps use the fused decode-attention kernel
          const cacheRows = Tn > 1 ? Int32Array.from(keyValid, (m, i) => (m ? positions[i] : -1)) : Int32Array.from(positions);
          const h = model.forward(ids, B, Tn, { cache, keyValid: Tn > 1 ? keyValid : undefined, positions, hiddenOnly: true, cacheRows });
          const last = Tn > 1 ? T.slice(h, 1, Tn - 1, Tn) : h;
          const logits = lmHead(model, last).realise();
          const lc = logits.isContiguous ? logits : logits.contiguousCopy();
          sampleTokens(gpu, {
            logits: lc.storage!.buffer, offset: lc.offset, rowStride: V, rows: B, vocab: V,
            seeds: seedT.storage!.buffer, step, temperature, greedy, topK, topP, out: result,
          });
        }),
      );
      const raw = await gpu.read(result, 0, 8 * B);
      const got = new Int32Array(raw, 0, B);
      const lps = new Float32Array(raw, 4 * B, B);
      const t1 = performance.now();
      if (step === 0) out.stats.prefillMs = t1 - t0;
      else {
        out.stats.decodeMs += t1 - t0;
        out.stats.decodeSteps++;
      }
      t0 = t1;
      for (let b = 0; b < B; b++) {
        if (done[b]) continue;
        const id = got[b];
        out.ids[b].push(id);
        out.logProbs[b].push(lps[b]);
        if (eos.includes(id)) {
          done[b] = true;
          out.finishReason[b] = 'eos';
        } else if (stops.length) {
          const text = opts.decode!(out.ids[b]);
          const at = findStop(text, stops);
          if (at >= 0) {
            done[b] = true;
            out.finishReason[b] = 'stop';
            out.text[b] = text.slice(0, at);
          }
        }
      }
      if (done.every(Boolean) || step === maxNew - 1) break;
      // next step: one new token per row at position (prompt length + step)
      const kv = new Float32Array(B * (Lp + step + 1));
      for (let b = 0; b < B; b++) {
        kv.set(keyValid.subarray(b * (Lp + step), (b + 1) * (Lp + step)), b * (Lp + step + 1));
        kv[b * (Lp + step + 1) + Lp + step] = 1;
      }
      keyValid = kv;
      ids = Int32Array.from({ length: B }, (_, b) => (done[b] ? padId : got[b]));
      positions = Float32Array.from({ length: B }, (_, b) => lay.lengths[b] + step);
      Tn = 1;
    }
  } finally {
    cache.dispose();
    seedT.dispose();
    gpu.free(result);
  }
  if (opts.decode) {
    for (let b = 0; b < B; b++) {
      if (out.finishReason[b] === 'stop') continue;
      const ids = out.finishReason[b] === 'eos' ? out.ids[b].slice(0, -1) : out.ids[b];
      out.text[b] = opts.decode(ids);
    }
  }
  return out;
}
