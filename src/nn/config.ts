// Model configuration in Hugging Face's config.json vocabulary (Qwen2 / LLaMA family),
// and the presets: the built-in default (trainable on a CPU through lavapipe) and the
// shapes of real pretrained code models.

export interface ModelConfig {
  model_type: 'qwen2' | 'llama';
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  /** per-head dimension; HF derives hidden_size / num_attention_heads when absent */
  head_dim?: number;
  max_position_embeddings: number;
  rope_theta: number;
  rms_norm_eps: number;
  tie_word_embeddings: boolean;
  /** Qwen2 uses biases on q/k/v projections; LLaMA does not */
  attention_bias?: boolean;
  bos_token_id?: number;
  eos_token_id?: number | number[];
  torch_dtype?: string;
  [extra: string]: unknown;
}

export const PRESETS: Record<string, ModelConfig> = {
  /** The built-in default: ~1.2M parameters with a 512-token BPE vocabulary. */
  tiny: {
    model_type: 'qwen2', vocab_size: 512, hidden_size: 128, intermediate_size: 352, num_hidden_layers: 5,
    num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 512, rope_theta: 10000,
    rms_norm_eps: 1e-6, tie_word_embeddings: true, attention_bias: true,
  },
  /** A few-minute smoke-test model. */
  micro: {
    model_type: 'qwen2', vocab_size: 512, hidden_size: 64, intermediate_size: 176, num_hidden_layers: 2,
    num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 512, rope_theta: 10000,
    rms_norm_eps: 1e-6, tie_word_embeddings: true, attention_bias: true,
  },
  /** Qwen2.5-Coder-0.5B shapes (random weights unless loaded from a checkpoint). */
  'qwen2.5-0.5b': {
    model_type: 'qwen2', vocab_size: 151936, hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24,
    num_attention_heads: 14, num_key_value_heads: 2, max_position_embeddings: 32768, rope_theta: 1000000,
    rms_norm_eps: 1e-6, tie_word_embeddings: true, attention_bias: true,
  },
  'qwen2.5-1.5b': {
    model_type: 'qwen2', vocab_size: 151936, hidden_size: 1536, intermediate_size: 8960, num_hidden_layers: 28,
    num_attention_heads: 12, num_key_value_heads: 2, max_position_embeddings: 32768, rope_theta: 1000000,
    rms_norm_eps: 1e-6, tie_word_embeddings: true, attention_bias: true,
  },
  'qwen2.5-7b': {
    model_type: 'qwen2', vocab_size: 152064, hidden_size: 3584, intermediate_size: 18944, num_hidden_layers: 28,
    num_attention_heads: 28, num_key_value_heads: 4, max_position_embeddings: 32768, rope_theta: 1000000,
    rms_norm_eps: 1e-6, tie_word_embeddings: false, attention_bias: true,
  },
};

export function headDim(c: ModelConfig): number {
  return c.head_dim ?? c.hidden_size / c.num_attention_heads;
}

/** Validate a config (from a preset or a config.json); errors say which field is wrong. */
export function checkConfig(c: ModelConfig, source = 'config'): ModelConfig {
  const need = ['vocab_size', 'hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads'] as const;
  for (const k of need) {
    if (!Number.isInteger(c[k]) || (c[k] as number) <= 0) throw new Error(`${source}: '${k}' must be a positive integer, got ${JSON.stringify(c[k])}`);
  }
  const out: ModelConfig = {
    ...c,
    model_type: c.model_type ?? 'qwen2',
    num_key_value_heads: c.num_key_value_heads ?? c.num_attention_heads,
    max_position_embeddings: c.max_position_embeddings ?? 2048,
    rope_theta: c.rope_theta ?? 10000,
    rms_norm_eps: c.rms_norm_eps ?? 1e-6,
    tie_word_embeddings: c.tie_word_embeddings ?? false,
    attention_bias: c.attention_bias ?? c.model_type !== 'llama',
  };
  if (out.num_attention_heads % out.num_key_value_heads !== 0) {
    throw new Error(`${source}: num_attention_heads (${out.num_attention_heads}) must be a multiple of num_key_value_heads (${out.num_key_value_heads})`);
  }
  const hd = headDim(out);
  if (!Number.isInteger(hd) || hd % 2 !== 0) throw new Error(`${source}: head dimension ${hd} must be an even integer`);
  return out;
}

export function countParams(c: ModelConfig): number {
  const d = c.hidden_size, hd = headDim(c), kv = c.num_key_value_heads * hd, q = c.num_attention_heads * hd;
  const attn = d * q + q + 2 * (d * kv + kv) + q * d;
  const mlp = 3 * d * c.intermediate_size;
  const layer = attn + mlp + 2 * d;
  return c.vocab_size * d * (c.tie_word_embeddings ? 1 : 2) + c.num_hidden_layers * layer + d;
}
