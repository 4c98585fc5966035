// Public surface of the tokenizer module.
export { Tokenizer, qwen2Pipeline, buildTokenizerJson, type AddedToken, type EncodeOptions, type DecodeOptions, type SpecialIds } from './tokenizer.js';
export { trainBpe, countPieces, type TrainOptions } from './train.js';
export { QWEN2_PATTERN, GPT2_PATTERN, compilePattern, onigToJs } from './pretokenize.js';
export { BYTE_TO_CHAR, bytesToSymbols, symbolsToBytes } from './bytelevel.js';
export * from './templates.js';
