// The frozen reference model of the KL penalty (`--kl-coef > 0`): the model phase 1 starts
// from, saved once as <run>/reference/ so a resumed run penalises against the same model.
// During the rollout, every kept trajectory gets the reference's log-probs of its response
// tokens, refLogProbs[j] = log pi_ref(y_j | prompt, y_<j) at the rollout's temperature (the
// distribution the sampler's log-probs come from), and the advantages subtract
// beta * KL_t (src/rl/advantages.ts, estimator of src/rl/kl.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Gpu } from '../gpu/index.js';
import * as T from '../tensor/index.js';
import { saveModel } from '../nn/io.js';
import { padBatch, unpadResponses, type Trajectory } from '../rl/buffer.js';
import { loadPolicy, type Policy } from './policy.js';

/** The run's reference model: saved from `start` on first use, loaded from <run>/reference/ after. */
export async function referencePolicy(gpu: Gpu, runDir: string, start: Policy, firstStep: boolean): Promise<Policy> {
  const dir = join(runDir, 'reference');
  if (!existsSync(join(dir, 'model.safetensors'))) {
    if (!firstStep) throw new Error(`--kl-coef: ${dir} is missing: the reference model is saved when phase 1 starts, so this run cannot be resumed with a KL penalty`);
    await saveModel(start.model, dir, 'F32');
    await start.tok.save(join(dir, 'tokenizer.json'));
  }
  const ref = await loadPolicy(gpu, dir);
  ref.model.setRequiresGrad(false);
  return ref;
}

/** Fill `refLogProbs` of each trajectory with `ref`'s log-probs of its response, `chunk` rows per forward pass. */
export async function fillReferenceLogProbs(ref: Policy, trajs: Trajectory[], temperature: number, chunk: number): Promise<void> {
  for (let i = 0; i < trajs.length; i += chunk) {
    const part = trajs.slice(i, i + chunk);
    const batch = padBatch(part, { padId: ref.padId, maxLen: ref.model.config.max_position_embeddings });
    const lp = T.noGrad(() => ref.tokenLogProbs(batch, temperature));
    const values = await lp.toFloat32Array();
    lp.dispose();
    unpadResponses(values, batch).forEach((v, b) => (part[b]!.refLogProbs = v));
  }
}
