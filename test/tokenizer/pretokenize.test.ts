// The Qwen2 pre-tokenizer regex under JS: splits, Oniguruma-specific semantics, and the
// tokenizer.json variants we accept or refuse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { QWEN2_PATTERN, GPT2_PATTERN, compilePattern, onigToJs, splitIsolated } from '../../src/tokenizer/pretokenize.js';
import { Tokenizer, buildTokenizerJson, qwen2Pipeline } from '../../src/tokenizer/tokenizer.js';
import { BYTE_TO_CHAR } from '../../src/tokenizer/bytelevel.js';

const qwen = compilePattern(QWEN2_PATTERN);
const split = (text: string, re = qwen) => {
  const out: string[] = [];
  splitIsolated(re, text, out);
  return out;
};

test('Qwen2 splits: contractions, letters with one leading non-letter, single digits, newlines', () => {
  assert.equal(split("I'm don't WE'LL"), ['I', "'m", ' don', "'t", ' WE', "'LL"]);
  assert.equal(split('x=12345'), ['x', '=', '1', '2', '3', '4', '5']);
  assert.equal(split('foo.bar(baz)'), ['foo', '.bar', '(baz', ')']);
  assert.equal(split('  return x\n\n    y'), [' ', ' return', ' x', '\n\n', '   ', ' y']);
  assert.equal(split('a  \n b'), ['a', '  \n', ' b']);
  assert.equal(split('end   '), ['end', '   ']);
  assert.equal(split('a;\r\n'), ['a', ';\r\n']);
  assert.equal(split('中文 text'), ['中文', ' text']);
  // \s+(?!\S): the last space of a run goes with the following word.
  assert.equal(split('a   b'), ['a', '  ', ' b']);
});

test('Oniguruma semantics kept: \\s is White_Space, (?i:) folds like Oniguruma', () => {
  // U+0085 (NEL) is whitespace for Oniguruma (not for JS \s); U+FEFF is not.
  assert.equal(split('a\u0085\u0085b'), ['a', '\u0085', '\u0085b']);
  assert.equal(split('a\ufeffb'), ['a', '\ufeffb']);
  // Case-insensitive contractions; Oniguruma's Unicode folding also matches 'ſ' (U+017F) for 's'.
  assert.equal(split("it'S"), ['it', "'S"]);
  assert.equal(split("x'\u017fa"), ['x', "'\u017f", 'a']);
  assert.is(onigToJs("(?i:'s|'k)"), "(?:'[sS\u017f]|'[kK\u212a])");
  assert.is(onigToJs('[^\\s\\p{L}]\\S'), '[^\\p{White_Space}\\p{L}]\\P{White_Space}');
});

test('unsupported regex constructs are refused with the pattern in the message', () => {
  assert.throws(() => compilePattern('a++'), /possessive quantifiers are not supported: a\+\+/);
  assert.throws(() => compilePattern('(?>ab)'), /atomic groups/);
  assert.throws(() => compilePattern('\\Aab'), /\\A is not supported/);
  assert.throws(() => compilePattern('(a'), /does not compile as JS/);
});

/** A tiny byte-level tokenizer.json with a few merges, for configuration variants. */
function tiny(overrides: Record<string, unknown> = {}, model: Record<string, unknown> = {}): Tokenizer {
  const vocab = [...BYTE_TO_CHAR, 'ab', 'abc', 'Ġa'];
  const json = buildTokenizerJson(vocab, [['a', 'b'], ['ab', 'c'], ['Ġ', 'a']], [
    { id: 259, content: '<|x|>', special: true, single_word: false, lstrip: false, rstrip: false, normalized: false },
  ]);
  return new Tokenizer({ ...json, ...overrides, model: { ...(json['model'] as object), ...model } });
}

test('tokenizer.json variants: merges as pairs, GPT-2 ByteLevel regex, ignore_merges, lstrip/rstrip', () => {
  const t = tiny();
  // ' ab' is one piece: (a, b) has the better rank, so it wins over (Ġ, a).
  assert.equal(t.tokens(t.encode('abc ab a')), ['abc', 'Ġ', 'ab', 'Ġa']);
  // Newer tokenizers versions write merges as ["a", "b"] pairs.
  const pairs = tiny({}, { merges: [['a', 'b'], ['ab', 'c'], ['Ġ', 'a']] });
  assert.equal(pairs.encode('abc ab a'), t.encode('abc ab a'));
  // A duplicated merge takes its last rank (HF and tokenizers.js overwrite): (a, b) now ranks
  // after (Ġ, a), so ' ab' becomes Ġa + b.
  const dup = tiny({}, { merges: ['a b', 'ab c', 'Ġ a', 'a b'] });
  assert.equal(dup.tokens(dup.encode(' ab')), ['Ġa', 'b']);
  // ByteLevel with use_regex (GPT-2 split) and add_prefix_space.
  const gpt2 = tiny({ pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true }, normalizer: null });
  assert.equal(gpt2.tokens(gpt2.encode('a b')), ['Ġa', 'Ġ', 'b']);
  assert.equal(split('x 12 34', compilePattern(GPT2_PATTERN)), ['x', ' 12', ' 34']);
  // ignore_merges: a piece that is itself a vocab token is emitted whole.
  const vocabIgn = tiny({}, { ignore_merges: true, vocab: { ...((tiny().toJSON()['model'] as { vocab: object }).vocab), 'Ġbb': 262 } });
  assert.equal(vocabIgn.tokens(vocabIgn.encode(' bb')), ['Ġbb']);
  // lstrip / rstrip absorb whitespace around an added token.
  // Special-id heuristics look at added tokens only, not at ordinary vocab entries.
  const withS = tiny({}, { vocab: { ...((tiny().toJSON()['model'] as { vocab: object }).vocab), '<s>': 262 } });
  assert.is(withS.tokenToId('<s>'), 262);
  assert.equal(withS.special, { bos: undefined, eos: undefined, pad: undefined });
  const strip = tiny({ added_tokens: [{ id: 259, content: '<|x|>', special: true, single_word: false, lstrip: true, rstrip: true, normalized: false }] });
  assert.equal(strip.tokens(strip.encode('a  <|x|>  b')), ['a', '<|x|>', 'b']);
});

test('unsupported tokenizer.json parts are refused by name', () => {
  assert.throws(() => tiny({ normalizer: { type: 'Lowercase' } }), /normalizer "Lowercase" is not supported/);
  assert.throws(() => tiny({ pre_tokenizer: { type: 'Whitespace' } }), /pre-tokenizer "Whitespace" is not supported/);
  assert.throws(() => tiny({ decoder: { type: 'WordPiece' } }), /decoder "WordPiece" is not supported/);
  assert.throws(() => tiny({}, { type: 'Unigram' }), /model type "Unigram" is not supported/);
  assert.throws(() => tiny({}, { byte_fallback: true }), /byte_fallback/);
  assert.throws(() => tiny({}, { merges: ['a zz'] }), /merge #0 "a zz": "zz" is not in the vocabulary/);
  assert.throws(() => tiny({ pre_tokenizer: { type: 'Split', pattern: { Regex: 'a' }, behavior: 'MergedWithNext', invert: false } }), /Split behavior "MergedWithNext"/);
  // Malformed files: clear messages instead of TypeErrors.
  assert.throws(() => tiny({}, { vocab: [1, 2] }), /model\.vocab is not an object/);
  assert.throws(() => tiny({}, { vocab: { a: 0, b: 0 } }), /id 0 is used by both "a" and "b"/);
  assert.throws(() => tiny({}, { vocab: { a: -1 } }), /vocab id -1 of token "a"/);
  assert.throws(() => tiny({}, { merges: 'a b' }), /model\.merges is not a list/);
  assert.throws(() => tiny({ added_tokens: [{ id: 3 }] }), /added_tokens\[0\] needs a non-empty "content"/);
});

test('the Qwen2 pipeline object is what Qwen2 ships', () => {
  const p = qwen2Pipeline();
  assert.equal(p.normalizer, { type: 'NFC' });
  assert.is(((p.pre_tokenizer['pretokenizers'] as { pattern: { Regex: string } }[])[0]!).pattern.Regex, QWEN2_PATTERN);
});

test.run();
