// Public surface of the checkpoint module.
export * from '../util/f16.js';
export { assertFinite, firstNonFinite } from './finite.js';
export { writeFileAtomic, writeBytesAtomic, writeJsonAtomic, fsyncDir, isTempFileName } from './atomic.js';
export {
  SafetensorsFile, SafetensorsError, readSafetensors, readSafetensorsMetadata, writeSafetensors, serializeSafetensors,
  parseHeader, numel, DTYPE_SIZE, MAX_HEADER_BYTES,
  type Dtype, type TensorData, type LoadedTensor, type TensorInfo, type TensorInput, type ReadOptions, type WriteOptions,
} from './safetensors.js';
export {
  Checkpoint, loadCheckpointDir, writeCheckpointDir, expectShape, SINGLE_FILE, INDEX_FILE, DEFAULT_METADATA,
  DEFAULT_MAX_SHARD_BYTES, type CheckpointWriteOptions,
} from './checkpoint.js';
export {
  saveTrainingCheckpoint, loadTrainingCheckpoint, checkpointLocation, removeStaleTemps, writeTrainingState, readTrainingState, STATE_FILE, OPTIMIZER_FILE,
  type TrainingState, type TrainingCheckpoint, type LoadedTrainingCheckpoint,
} from './state.js';
