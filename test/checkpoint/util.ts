// Small helpers shared by the checkpoint tests.
import * as assert from 'uvu/assert';

/** Assert that `fn` rejects with a message matching `re`; returns the message. */
export async function rejectsWith(fn: () => Promise<unknown>, re: RegExp): Promise<string> {
  let msg: string | undefined;
  try {
    await fn();
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.ok(msg !== undefined, `expected a rejection matching ${re}`);
  assert.match(msg!, re);
  return msg!;
}
