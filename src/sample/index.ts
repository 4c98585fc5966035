// Sampling: batched generation with GPU-side token selection, and teacher-forced
// log-probabilities of responses (the RL trainer's policy interface).
export { generate, type GenerateOptions, type GenerateResult, type FinishReason } from './generate.js';
export { sequenceLogProbs, sequenceLogProbsTensor, type ScoreBatch, type ScoreOptions, type ScoredBatch } from './logprobs.js';
export { rowSeeds } from './seeds.js';
