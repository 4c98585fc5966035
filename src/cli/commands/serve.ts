// `batcoder serve [--host 127.0.0.1] [--port 5000] [--workers N]`: BatCoder's environment over
// HTTP for OpenRLHF and verl (src/serve, docs/serve.md). Stops cleanly on SIGINT/SIGTERM:
// no new connections, requests in flight answered (up to --grace-ms), scoring threads stopped.
import type { Command } from 'commander';
import { startServer, defaultWorkers } from '../../serve/server.js';
import { DEFAULT_LIMITS } from '../../serve/handlers.js';

interface Opts {
  host: string;
  port: string;
  workers?: string;
  maxBodyBytes: string;
  maxPairs: string;
  maxCodeChars: string;
  jobTimeoutMs: string;
  graceMs: string;
  quiet?: boolean;
}

function positiveInt(name: string, s: string, allowZero = false): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`serve: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got '${s}'`);
  return n;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description("serve BatCoder's environment (format filter, stage-2 prompt, similarity, sandbox) over HTTP for OpenRLHF and verl")
    .option('--host <host>', 'address to listen on (keep 127.0.0.1 unless the cluster network is trusted: there is no authentication)', '127.0.0.1')
    .option('--port <n>', 'TCP port (0: any free port)', '5000')
    .option('--workers <n>', `scoring threads (default: cores - 1 = ${defaultWorkers()})`)
    .option('--max-body-bytes <n>', 'largest request body', String(DEFAULT_LIMITS.maxBodyBytes))
    .option('--max-pairs <n>', 'pairs, queries or format items per request', String(DEFAULT_LIMITS.maxPairs))
    .option('--max-code-chars <n>', 'characters per code or doc string', String(DEFAULT_LIMITS.maxCodeChars))
    .option('--job-timeout-ms <n>', 'time limit of one scoring job (the request gets 504, the server keeps serving)', String(DEFAULT_LIMITS.jobTimeoutMs))
    .option('--grace-ms <n>', 'on SIGINT/SIGTERM, how long requests in flight may finish', '10000')
    .option('--quiet', 'no log lines')
    .action(async (o: Opts) => {
      const log = o.quiet ? () => {} : (l: string) => console.error(l);
      const server = await startServer({
        host: o.host,
        port: positiveInt('--port', o.port, true),
        workers: o.workers === undefined ? undefined : positiveInt('--workers', o.workers),
        limits: {
          maxBodyBytes: positiveInt('--max-body-bytes', o.maxBodyBytes),
          maxPairs: positiveInt('--max-pairs', o.maxPairs),
          maxCodeChars: positiveInt('--max-code-chars', o.maxCodeChars),
          jobTimeoutMs: positiveInt('--job-timeout-ms', o.jobTimeoutMs),
        },
        log,
      });
      // one line on stdout that scripts (and the tests) can wait for
      console.log(JSON.stringify({ listening: server.url }));
      const grace = positiveInt('--grace-ms', o.graceMs, true);
      let stopping = false;
      const stop = (sig: string) => {
        if (stopping) return;
        stopping = true;
        log(`batcoder serve: ${sig}, shutting down`);
        server.close(grace).then(
          () => process.exit(0),
          (e) => {
            console.error(e);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
