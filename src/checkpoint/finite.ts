// Weights and optimizer state must be finite: a NaN or Inf that reaches a checkpoint
// poisons every run that loads it (`sample` prints garbage with log-prob NaN, a resumed run
// dies far from the cause). Saving refuses such a tensor and loading rejects it, naming
// the file, the tensor and the first bad element. Integer and raw 16-bit data are not
// checked (they hold no NaN, or are not decoded here).
import { SafetensorsError, type TensorData } from './safetensors.js';

/** Index of the first NaN/Inf in float data, or -1 (non-float data: always -1). */
export function firstNonFinite(data: TensorData): number {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return -1;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/** Throw (naming `file` and `name`) unless every element of float `data` is finite. */
export function assertFinite(data: TensorData, file: string, name: string): void {
  const i = firstNonFinite(data);
  if (i >= 0) throw new SafetensorsError(file, `element ${i} is ${data[i]} (weights and optimizer state must be finite)`, name);
}
