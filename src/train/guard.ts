// Stop a diverging run before it saves a poisoned checkpoint. After every optimizer update
// the trainer reports its loss and whether the update was applied (AdamW refuses a
// non-finite gradient; a non-finite loss is never backpropagated). The run stops with
// an error, and therefore without a checkpoint, when
//   - `maxSkipped` consecutive updates (default 3) were skipped for a non-finite loss or
//     gradient: one bad batch is tolerated, a stuck run is not;
//   - |loss| > `maxLoss`: the loss exploded. Phase 0's cross-entropy starts near
//     ln(vocab) (6.2 nats for 512 tokens) and the clipped surrogate of normalised
//     advantages is O(1), so 100 nats/token (phase 0) or 1000 (phase 1) means the weights
//     have left the region where training makes sense (`--sft-lr 1e30`: weights ~5e29).
// The checkpoint writer also refuses non-finite tensors (src/checkpoint/state.ts).

export class DivergenceGuard {
  private skippedInARow = 0;

  constructor(
    /** what the messages call the phase, e.g. 'phase 0' */
    readonly what: string,
    readonly maxLoss: number,
    readonly maxSkipped = 3,
  ) {}

  /** Record one update; throws when the run must stop. */
  observe(step: number, loss: number, applied: boolean): void {
    if (Number.isFinite(loss) && Math.abs(loss) > this.maxLoss) {
      throw new Error(`${this.what} step ${step}: the loss exploded (${loss.toExponential(2)}, limit ${this.maxLoss}); stopping without a checkpoint. Lower the learning rate.`);
    }
    this.skippedInARow = applied && Number.isFinite(loss) ? 0 : this.skippedInARow + 1;
    if (this.skippedInARow >= this.maxSkipped) {
      throw new Error(`${this.what} step ${step}: ${this.skippedInARow} consecutive updates skipped for a non-finite loss or gradient; stopping without a checkpoint. Lower the learning rate, or resume from the last checkpoint.`);
    }
  }
}
