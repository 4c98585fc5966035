// A byte-level BPE tokenizer that reads and writes Hugging Face `tokenizer.json`.
//
// Pipeline, as in `tokenizers` (encode without a post-processor, i.e. add_special_tokens=False):
//   1. split out added tokens (special tokens such as <|endoftext|>): matched leftmost-longest
//      on the raw text (normalized: false) or on the normalized text (normalized: true);
//   2. normalize the rest (NFC etc.);
//   3. pre-tokenize: regex split (Qwen2 / GPT-2 / Llama 3 patterns), then ByteLevel;
//   4. BPE each piece (cached per piece).
// Decoding maps ids to tokens, turns byte-level strings back into bytes (added tokens contribute
// their text) and decodes UTF-8 leniently (U+FFFD for invalid sequences, like HF's
// from_utf8_lossy). decodeBytes/encodeBytes work on raw bytes and round-trip ANY byte string.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeBytesAtomic } from '../checkpoint/atomic.js';
import { BpeModel } from './bpe.js';
import { bytesToSymbols, symbolsToBytes, utf8Encode } from './bytelevel.js';
import { GPT2_PATTERN, QWEN2_PATTERN, compilePattern, escapeRegExp, splitIsolated, splitRemoved } from './pretokenize.js';

/** An added token, with Hugging Face's fields. */
export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
}

type Json = Record<string, unknown>;
type Step = (pieces: string[]) => string[];

export interface EncodeOptions {
  /** Recognise added/special tokens in the text (default true, as HF does). With false, "<|endoftext|>" is encoded as plain text. */
  specials?: boolean;
}

export interface DecodeOptions {
  /** Drop special added tokens (HF's skip_special_tokens). */
  skipSpecial?: boolean;
}

/** Ids a model needs; undefined when the tokenizer has no such token. */
export interface SpecialIds {
  bos: number | undefined;
  eos: number | undefined;
  pad: number | undefined;
}

const BYTELEVEL_DEFAULT = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };

/** The tokenizer.json parts we reproduce, for a Qwen2-style tokenizer. */
export function qwen2Pipeline(): { normalizer: Json; pre_tokenizer: Json; post_processor: Json; decoder: Json } {
  return {
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: QWEN2_PATTERN }, behavior: 'Isolated', invert: false },
        { ...BYTELEVEL_DEFAULT },
      ],
    },
    post_processor: { ...BYTELEVEL_DEFAULT },
    decoder: { ...BYTELEVEL_DEFAULT },
  };
}

export class Tokenizer {
  readonly model: BpeModel;
  readonly addedTokens: readonly AddedToken[];
  private readonly addedById = new Map<number, AddedToken>();
  private readonly addedByContent = new Map<string, AddedToken>();
  private readonly rawAddedRe: RegExp | undefined;
  private readonly normAddedRe: RegExp | undefined;
  private readonly normalize: (s: string) => string;
  private readonly preSteps: Step[];
  private readonly prefixSpace: boolean;
  private readonly cache = new Map<string, number[]>();
  private idBytes: (Uint8Array | undefined)[] | undefined;
  private readonly scratch = new Uint8Array(4096);
  /** Special ids (see constructor heuristics; override with setSpecialIds). */
  special: SpecialIds;

  /**
   * Build from a parsed tokenizer.json. Supports model BPE (byte-level), normalizers
   * NFC/NFD/NFKC/NFKD/Sequence/null, pre-tokenizers Split (Isolated/Removed) / ByteLevel /
   * Sequence, decoders ByteLevel/null. Anything else is refused with a message naming it, rather
   * than silently tokenizing differently from the reference.
   */
  constructor(readonly json: Json) {
    const model = json['model'] as Json | undefined;
    if (!model || model['type'] !== 'BPE') throw new Error(`tokenizer.json: model type ${JSON.stringify(model?.['type'])} is not supported (only BPE)`);
    if (model['dropout'] != null && model['dropout'] !== 0) throw new Error('tokenizer.json: BPE dropout is not supported');
    if (model['continuing_subword_prefix'] || model['end_of_word_suffix']) throw new Error('tokenizer.json: subword prefixes/suffixes are not supported (not a byte-level BPE)');
    if (model['byte_fallback']) throw new Error('tokenizer.json: byte_fallback BPE (SentencePiece style) is not supported');
    const vocab = model['vocab'];
    if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab)) throw new Error('tokenizer.json: model.vocab is not an object');
    const idToToken: (string | undefined)[] = [];
    const tokenToId = new Map<string, number>();
    for (const [tok, id] of Object.entries(vocab as Record<string, unknown>)) {
      if (!Number.isSafeInteger(id) || (id as number) < 0 || (id as number) >= 2 ** 21) throw new Error(`tokenizer.json: vocab id ${JSON.stringify(id)} of token ${JSON.stringify(tok)} is not an integer in [0, 2^21)`);
      if (idToToken[id as number] !== undefined) throw new Error(`tokenizer.json: id ${id} is used by both ${JSON.stringify(idToToken[id as number])} and ${JSON.stringify(tok)}`);
      tokenToId.set(tok, id as number);
      idToToken[id as number] = tok;
    }
    if (model['merges'] !== undefined && !Array.isArray(model['merges'])) throw new Error('tokenizer.json: model.merges is not a list');
    if (json['added_tokens'] !== undefined && json['added_tokens'] !== null && !Array.isArray(json['added_tokens'])) throw new Error('tokenizer.json: added_tokens is not a list');
    const merges = ((model['merges'] as unknown[]) ?? []).map((m, i): [string, string] => {
      if (Array.isArray(m) && m.length === 2) return [String(m[0]), String(m[1])];
      if (typeof m === 'string') {
        const sp = m.indexOf(' ', 1);
        if (sp > 0) return [m.slice(0, sp), m.slice(sp + 1)];
      }
      throw new Error(`tokenizer.json: merge #${i} ${JSON.stringify(m)} is not "a b" or ["a", "b"]`);
    });
    this.model = new BpeModel(idToToken, tokenToId, merges, { ignoreMerges: Boolean(model['ignore_merges']) });

    const added = ((json['added_tokens'] as Json[]) ?? []).map((t, i) => {
      if (typeof t !== 'object' || t === null || typeof t['content'] !== 'string' || t['content'] === '' || !Number.isSafeInteger(t['id']) || (t['id'] as number) < 0) {
        throw new Error(`tokenizer.json: added_tokens[${i}] needs a non-empty "content" and a non-negative integer "id"`);
      }
      return t;
    }).map((t) => ({
      id: Number(t['id']),
      content: String(t['content']),
      special: Boolean(t['special']),
      single_word: Boolean(t['single_word']),
      lstrip: Boolean(t['lstrip']),
      rstrip: Boolean(t['rstrip']),
      normalized: Boolean(t['normalized']),
    }));
    this.addedTokens = added;
    for (const t of added) {
      this.addedById.set(t.id, t);
      this.addedByContent.set(t.content, t);
    }
    this.rawAddedRe = addedRegex(added.filter((t) => !t.normalized));
    this.normAddedRe = addedRegex(added.filter((t) => t.normalized));
    this.normalize = buildNormalizer(json['normalizer'] as Json | null | undefined);
    const pre = buildPreTokenizer(json['pre_tokenizer'] as Json | null | undefined);
    this.preSteps = pre.steps;
    this.prefixSpace = pre.addPrefixSpace;
    const dec = json['decoder'] as Json | null | undefined;
    if (dec && dec['type'] !== 'ByteLevel') throw new Error(`tokenizer.json: decoder ${JSON.stringify(dec['type'])} is not supported (only ByteLevel)`);
    // Only added tokens count: "<s>" may well be an ordinary vocab entry (it is in Qwen2's).
    const find = (...names: string[]) => names.map((n) => this.addedByContent.get(n)?.id).find((id) => id !== undefined);
    const eos = find('<|endoftext|>', '</s>', '<|end_of_text|>', '<eos>');
    this.special = { bos: find('<|bos|>', '<s>', '<|begin_of_text|>', '<bos>'), eos, pad: find('<|pad|>', '<pad>') ?? eos };
  }

  /** Load tokenizer.json from disk. */
  static async load(path: string): Promise<Tokenizer> {
    let json: Json;
    try {
      json = JSON.parse(await readFile(path, 'utf8')) as Json;
    } catch (e) {
      throw new Error(`${path}: cannot read tokenizer.json (${(e as Error).message})`);
    }
    try {
      return new Tokenizer(json);
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`);
    }
  }

  /** tokenizer.json content for this tokenizer (HF format; `tokenizers` can load it). */
  toJSON(): Json {
    const vocab: Record<string, number> = {};
    this.model.idToToken.forEach((t, id) => {
      if (t !== undefined) vocab[t] = id;
    });
    const merges = this.model.merges.map(([a, b]) => `${this.model.idToToken[a]} ${this.model.idToToken[b]}`);
    const model = { ...(this.json['model'] as Json), vocab, merges };
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      ...this.json,
      added_tokens: this.addedTokens.map((t) => ({
        id: t.id, content: t.content, single_word: t.single_word, lstrip: t.lstrip, rstrip: t.rstrip, normalized: t.normalized, special: t.special,
      })),
      model,
    };
  }

  /** Write tokenizer.json atomically. */
  async save(path: string): Promise<void> {
    await writeBytesAtomic(path, JSON.stringify(this.toJSON(), null, 2) + '\n');
  }

  /**
   * tokenizer_config.json for transformers' AutoTokenizer (PreTrainedTokenizerFast): names the
   * bos/eos/pad tokens and lists the added tokens. `extra` is merged in (e.g. chat_template,
   * model_max_length).
   */
  tokenizerConfig(extra: Record<string, unknown> = {}): Json {
    const name = (id: number | undefined) => (id === undefined ? null : this.idToToken(id) ?? null);
    const decoder: Record<string, unknown> = {};
    for (const t of this.addedTokens) {
      decoder[String(t.id)] = { content: t.content, lstrip: t.lstrip, normalized: t.normalized, rstrip: t.rstrip, single_word: t.single_word, special: t.special };
    }
    return {
      tokenizer_class: 'PreTrainedTokenizerFast',
      bos_token: name(this.special.bos),
      eos_token: name(this.special.eos),
      pad_token: name(this.special.pad),
      unk_token: null,
      add_bos_token: false,
      clean_up_tokenization_spaces: false,
      added_tokens_decoder: decoder,
      ...extra,
    };
  }

  /** Write tokenizer.json and tokenizer_config.json into a model directory. */
  async saveDir(dir: string, config: Record<string, unknown> = {}): Promise<void> {
    await mkdir(dir, { recursive: true });
    await this.save(join(dir, 'tokenizer.json'));
    await writeBytesAtomic(join(dir, 'tokenizer_config.json'), JSON.stringify(this.tokenizerConfig(config), null, 2) + '\n');
  }

  /** Number of ids (max id + 1, counting added tokens). */
  get vocabSize(): number {
    let n = this.model.idToToken.length;
    for (const t of this.addedTokens) n = Math.max(n, t.id + 1);
    return n;
  }

  tokenToId(token: string): number | undefined {
    return this.addedByContent.get(token)?.id ?? this.model.tokenToId.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.addedById.get(id)?.content ?? this.model.idToToken[id];
  }

  /** Whether every byte has a single-byte token, i.e. encodeBytes/decodeBytes round-trip everything. */
  get coversAllBytes(): boolean {
    return this.model.byteId.every((id) => id >= 0);
  }

  isSpecial(id: number): boolean {
    return this.addedById.get(id)?.special ?? false;
  }

  setSpecialIds(ids: Partial<SpecialIds>): void {
    this.special = { ...this.special, ...ids };
  }

  /** Drop the per-piece BPE cache (it is bounded; this is for benchmarks and memory pressure). */
  clearCache(): void {
    this.cache.clear();
  }

  /** Text -> ids. */
  encode(text: string, opts: EncodeOptions = {}): number[] {
    const out: number[] = [];
    const specials = opts.specials ?? true;
    this.splitAdded(specials ? this.rawAddedRe : undefined, text, out, (chunk) => {
      const norm = this.normalize(chunk);
      this.splitAdded(specials ? this.normAddedRe : undefined, norm, out, (plain) => this.encodePlain(plain, out));
    });
    return out;
  }

  /**
   * Bytes -> ids for ANY byte string (invalid UTF-8 included): valid UTF-8 stretches are encoded
   * like text but without normalization (so the bytes come back unchanged), each invalid byte
   * becomes its own byte token. decodeBytes(encodeBytes(b)) equals b whenever coversAllBytes.
   */
  encodeBytes(bytes: Uint8Array, opts: EncodeOptions = {}): number[] {
    const out: number[] = [];
    const specials = opts.specials ?? true;
    const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let i = 0;
    while (i < bytes.length) {
      let j = i;
      while (j < bytes.length) {
        const len = utf8SeqLen(bytes, j);
        if (len === 0) break;
        j += len;
      }
      if (j > i) {
        const text = dec.decode(bytes.subarray(i, j));
        this.splitAdded(specials ? this.rawAddedRe : undefined, text, out, (chunk) =>
          this.splitAdded(specials ? this.normAddedRe : undefined, chunk, out, (plain) => this.encodePlain(plain, out)));
      }
      if (j < bytes.length) {
        const id = this.model.byteId[bytes[j]!]!;
        if (id >= 0) out.push(id);
        j++;
      }
      i = j;
    }
    return out;
  }

  /** Ids -> bytes (added tokens contribute their UTF-8 text). */
  decodeBytes(ids: readonly number[], opts: DecodeOptions = {}): Uint8Array {
    let total = 0;
    const parts: Uint8Array[] = new Array(ids.length);
    let n = 0;
    for (const id of ids) {
      if (opts.skipSpecial && this.addedById.get(id)?.special) continue;
      const b = this.bytesOf(id);
      parts[n++] = b;
      total += b.length;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (let i = 0; i < n; i++) {
      out.set(parts[i]!, o);
      o += parts[i]!.length;
    }
    return out;
  }

  /** The bytes one id decodes to (table built on first use). */
  private bytesOf(id: number): Uint8Array {
    if (!this.idBytes) {
      // HF's ByteLevel decoder: a token made only of byte-level characters is bytes, otherwise text.
      const enc = new TextEncoder();
      this.idBytes = Array.from({ length: this.vocabSize }, (_, i) => {
        const tok = this.idToToken(i);
        return tok === undefined ? undefined : symbolsToBytes(tok) ?? enc.encode(tok);
      });
    }
    const b = this.idBytes[id];
    if (!b) throw new Error(`decode: id ${id} is not in the vocabulary (size ${this.vocabSize})`);
    return b;
  }

  /** Ids -> text; invalid UTF-8 (e.g. a sequence cut inside a character) becomes U+FFFD. */
  decode(ids: readonly number[], opts: DecodeOptions = {}): string {
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(this.decodeBytes(ids, opts));
  }

  /**
   * Incremental decoding for generation: push ids as they are sampled, get back the text they
   * complete. A character split across tokens comes out once its last byte arrives (never as
   * U+FFFD midway), so stop strings can be matched on the text as it grows. The concatenation of
   * everything returned (plus end()) equals decode(allIds).
   */
  decodeStream(opts: DecodeOptions = {}): { push(id: number): string; end(): string } {
    const dec = new TextDecoder('utf-8', { ignoreBOM: true });
    return {
      push: (id: number) => {
        if (opts.skipSpecial && this.addedById.get(id)?.special) return '';
        return dec.decode(this.bytesOf(id), { stream: true });
      },
      end: () => dec.decode(),
    };
  }

  /** The token strings of an encoding (byte-level form, added tokens as their text). */
  tokens(ids: readonly number[]): string[] {
    return ids.map((id) => this.idToToken(id) ?? `<unk:${id}>`);
  }

  /** Split `text` around added-token matches; matches go to `out`, the rest to `rest`. */
  private splitAdded(re: RegExp | undefined, text: string, out: number[], rest: (s: string) => void): void {
    if (!re) {
      if (text) rest(text);
      return;
    }
    re.lastIndex = 0;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const tok = this.addedByContent.get(m[0])!;
      let s = m.index;
      let e = s + m[0].length;
      if (tok.single_word && (isWordChar(text, s - 1) || isWordChar(text, e))) {
        re.lastIndex = s + 1;
        continue;
      }
      if (tok.lstrip) while (s > last && /\s/u.test(text[s - 1]!)) s--;
      if (tok.rstrip) while (e < text.length && /\s/u.test(text[e]!)) e++;
      if (s > last) rest(text.slice(last, s));
      out.push(tok.id);
      last = e;
      re.lastIndex = e;
    }
    if (last < text.length) rest(text.slice(last));
  }

  /** Pre-tokenize and BPE a stretch of text containing no added tokens. */
  private encodePlain(text: string, out: number[]): void {
    if (this.prefixSpace && text.length > 0 && !/^\s/u.test(text)) text = ' ' + text;
    let pieces = [text];
    for (const step of this.preSteps) pieces = step(pieces);
    for (const p of pieces) this.encodePiece(p, out);
  }

  private encodePiece(piece: string, out: number[]): void {
    const hit = this.cache.get(piece);
    if (hit) {
      for (const id of hit) out.push(id);
      return;
    }
    const buf = piece.length * 3 <= this.scratch.length ? this.scratch : new Uint8Array(piece.length * 3);
    const n = utf8Encode(piece, buf);
    const ids: number[] = [];
    this.model.encodeBytes(buf, n, ids, this.model.opts.ignoreMerges ? bytesToSymbols(buf.subarray(0, n)) : undefined);
    // Long pieces are rare and would bloat the cache; short ones repeat constantly.
    if (piece.length <= 64) {
      if (this.cache.size >= 200_000) this.cache.clear();
      this.cache.set(piece, ids);
    }
    for (const id of ids) out.push(id);
  }
}

/** Length of the valid UTF-8 sequence starting at i, or 0 if the bytes there are not one. */
function utf8SeqLen(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number) => i + k < b.length && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const c1 = b[i + 1]!;
    if (c === 0xe0 && c1 < 0xa0) return 0; // overlong
    if (c === 0xed && c1 >= 0xa0) return 0; // surrogate
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const c1 = b[i + 1]!;
    if (c === 0xf0 && c1 < 0x90) return 0; // overlong
    if (c === 0xf4 && c1 >= 0x90) return 0; // > U+10FFFF
    return 4;
  }
  return 0;
}

function isWordChar(text: string, i: number): boolean {
  return i >= 0 && i < text.length && /[\p{L}\p{N}_]/u.test(text[i]!);
}

/** Leftmost-longest matcher for added tokens: alternatives sorted longest first. */
function addedRegex(tokens: AddedToken[]): RegExp | undefined {
  if (tokens.length === 0) return undefined;
  const sorted = [...tokens].sort((a, b) => b.content.length - a.content.length);
  return new RegExp(sorted.map((t) => escapeRegExp(t.content)).join('|'), 'gu');
}

function buildNormalizer(n: Json | null | undefined): (s: string) => string {
  if (!n) return (s) => s;
  switch (n['type']) {
    case 'NFC': return (s) => s.normalize('NFC');
    case 'NFD': return (s) => s.normalize('NFD');
    case 'NFKC': return (s) => s.normalize('NFKC');
    case 'NFKD': return (s) => s.normalize('NFKD');
    case 'Sequence': {
      const fs = ((n['normalizers'] as Json[]) ?? []).map(buildNormalizer);
      return (s) => fs.reduce((acc, f) => f(acc), s);
    }
    default:
      throw new Error(`tokenizer.json: normalizer ${JSON.stringify(n['type'])} is not supported`);
  }
}

function buildPreTokenizer(p: Json | null | undefined): { steps: Step[]; addPrefixSpace: boolean } {
  if (!p) return { steps: [], addPrefixSpace: false };
  switch (p['type']) {
    case 'Sequence': {
      const parts = ((p['pretokenizers'] as Json[]) ?? []).map(buildPreTokenizer);
      return { steps: parts.flatMap((x) => x.steps), addPrefixSpace: parts.some((x) => x.addPrefixSpace) };
    }
    case 'ByteLevel': {
      // The byte mapping itself happens inside the BPE step; only the optional GPT-2 split is a step.
      const steps: Step[] = p['use_regex'] === false ? [] : [splitStep(compilePattern(GPT2_PATTERN), 'Isolated')];
      return { steps, addPrefixSpace: Boolean(p['add_prefix_space']) };
    }
    case 'Split': {
      const pat = p['pattern'] as Json;
      if (p['invert']) throw new Error('tokenizer.json: Split with invert: true is not supported');
      const re = typeof pat['Regex'] === 'string'
        ? compilePattern(pat['Regex'])
        : typeof pat['String'] === 'string'
          ? new RegExp(escapeRegExp(pat['String']), 'gu')
          : (() => { throw new Error(`tokenizer.json: Split pattern ${JSON.stringify(pat)} is not {Regex} or {String}`); })();
      return { steps: [splitStep(re, String(p['behavior']))], addPrefixSpace: false };
    }
    default:
      throw new Error(`tokenizer.json: pre-tokenizer ${JSON.stringify(p['type'])} is not supported`);
  }
}

function splitStep(re: RegExp, behavior: string): Step {
  const split = behavior === 'Isolated' ? splitIsolated : behavior === 'Removed' ? splitRemoved : undefined;
  if (!split) throw new Error(`tokenizer.json: Split behavior ${JSON.stringify(behavior)} is not supported (Isolated, Removed)`);
  return (pieces) => {
    const out: string[] = [];
    for (const p of pieces) split(re, p, out);
    return out;
  };
}

/** Build a byte-level tokenizer.json object from parts (used by training). */
export function buildTokenizerJson(
  vocab: readonly string[],
  merges: readonly (readonly [string, string])[],
  added: readonly AddedToken[],
  pipeline = qwen2Pipeline(),
): Json {
  const v: Record<string, number> = {};
  vocab.forEach((t, i) => (v[t] = i));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added.map((t) => ({ id: t.id, content: t.content, single_word: t.single_word, lstrip: t.lstrip, rstrip: t.rstrip, normalized: t.normalized, special: t.special })),
    ...pipeline,
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
      fuse_unk: false, byte_fallback: false, ignore_merges: false,
      vocab: v,
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

