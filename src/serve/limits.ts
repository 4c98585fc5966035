// The server's limits and their defaults, in a module with no imports, so that the CLI can show
// the defaults without loading the environment (parsers, CSSG) until `serve` actually runs.
import { availableParallelism } from 'node:os';

export interface ServeLimits {
  /** request body bytes (413 above) */
  maxBodyBytes: number;
  /** pairs (or queries, or format items) per request (422 above) */
  maxPairs: number;
  /** characters of any code or doc string (422 above) */
  maxCodeChars: number;
  /** one computation on a scoring process; past it the process is replaced and the request gets 504 */
  jobTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServeLimits = { maxBodyBytes: 4 << 20, maxPairs: 4096, maxCodeChars: 32_000, jobTimeoutMs: 10_000 };

/** Scoring processes by default: one core is left to the event loop (and the client, if local). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}
