// `batcoder serve`: BatCoder's environment over HTTP, for distributed RL frameworks (OpenRLHF,
// verl) that sample with vLLM on GPU clusters and need our format filter, stage-2 prompt,
// similarity reward and sandbox. Endpoints are listed in handlers.ts and docs/serve.md.
//
// Why node:http and not a framework: the surface is a few JSON routes over POST plus two GETs,
// and what matters is control over the edges (refusing a body by its Content-Length before
// reading it, counting bytes as they arrive, rejecting invalid UTF-8, closing cleanly on
// SIGTERM), which node:http gives directly; a framework would add a dependency to the project's
// seven (package.json) for routing we can write in a switch.
//
// A request's life: read the body (413 past max_body_bytes, 400 on invalid UTF-8 or JSON), route,
// validate (400 naming the field, 422 naming the limit), compute (format and similarity on the
// scoring processes, 504 if the job timed out), answer JSON. Every answer is counted in /metrics.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkerPool, JobTimeoutError } from './pool.js';
import { Scorer } from './scorer.js';
import { ServeMetrics } from './metrics.js';
import { HttpError, tooLarge } from './errors.js';
import { exec, format, getReward, similarity, stage1, stage2, type Env } from './handlers.js';
import { DEFAULT_LIMITS, defaultWorkers, type ServeLimits } from './limits.js';
import { SIMILARITY_METRICS, TEMPLATE_STYLES } from './env.js';

export interface ServeOptions {
  host?: string;
  port?: number;
  /** scoring processes (default: cores - 1, at least 1) */
  workers?: number;
  limits?: Partial<ServeLimits>;
  /** score cache entries (default 65,536) */
  cacheSize?: number;
  /** logs one line per event (default: none) */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  metrics: ServeMetrics;
  /** Stop accepting, finish the requests in flight (up to `graceMs`), stop the scoring processes. */
  close(graceMs?: number): Promise<void>;
}

type Route = (body: unknown, env: Env) => unknown;
const POST_ROUTES: Record<string, Route> = {
  '/get_reward': getReward,
  '/v1/format': format,
  '/v1/similarity': similarity,
  '/v1/stage1-prompt': stage1,
  '/v1/stage2-prompt': stage2,
  '/v1/exec': exec,
};

/** Read the whole body, refusing it past `max` bytes (by Content-Length, else as it arrives). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      reject(tooLarge('max_body_bytes', max, declared, 'the request body'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > max) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge('max_body_bytes', max, size, 'the request body'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => refused || resolve(Buffer.concat(chunks)));
    req.on('error', (e) => refused || reject(e));
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(buf: Buffer): unknown {
  let s: string;
  try {
    s = utf8.decode(buf);
  } catch {
    throw new HttpError(400, 'invalid_utf8', 'the request body is not valid UTF-8');
  }
  if (s.trim() === '') throw new HttpError(400, 'invalid_json', 'the request body is empty (expected a JSON object)');
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new HttpError(400, 'invalid_json', `the request body is not valid JSON: ${(e as Error).message}`);
  }
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Lingering close, as nginx and Apache do it. A 413 goes out while the client is still sending
 * the body; if the server then closed the socket with unread bytes in its receive buffer, the
 * kernel would answer with a reset, and a reset can reach the client before it has read the 413
 * (it then sees "connection reset" instead of the refusal that names the limit). So the rest of
 * the body is read and dropped, and the connection stays usable afterwards; a client that keeps
 * sending past `maxBytes` more bytes or `ms` milliseconds has its connection cut.
 */
const LINGER_FACTOR = 16; // bytes drained after a refusal, in units of max_body_bytes
const LINGER_MS = 5_000;
function lingerOn(req: IncomingMessage, maxBytes: number, ms: number): void {
  if (req.readableEnded) return;
  let drained = 0;
  const cut = (): void => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(cut, ms);
  timer.unref();
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > maxBytes) cut();
  });
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

export async function startServer(opts: ServeOptions = {}): Promise<RunningServer> {
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isFinite(v) || v <= 0) throw new Error(`serve: the limit ${k} must be a positive number, got ${v}`);
  }
  const log = opts.log ?? (() => {});
  const metrics = new ServeMetrics();
  const pool = new WorkerPool(opts.workers ?? defaultWorkers(), limits.jobTimeoutMs);
  await pool.ready();
  const env: Env = { limits, pool, scorer: new Scorer(pool, metrics, opts.cacheSize) };
  const started = Date.now();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const t0 = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const route = req.method === 'POST' && Object.hasOwn(POST_ROUTES, path) ? path : req.method === 'GET' && (path === '/health' || path === '/metrics') ? path : 'other';
    metrics.inflight++;
    let status = 200;
    let errorCode: string | undefined;
    try {
      if (route === '/health') {
        send(res, 200, JSON.stringify({ status: 'ok', workers: pool.size, backlog: pool.backlog, uptime_s: (Date.now() - started) / 1000, metrics: SIMILARITY_METRICS, styles: TEMPLATE_STYLES, limits }), 'application/json');
      } else if (route === '/metrics') {
        send(res, 200, metrics.render([
          { name: 'batcoder_serve_job_timeouts_total', type: 'counter', help: 'Scoring jobs stopped at job_timeout_ms (their process was replaced).', value: pool.stats.timeouts },
          { name: 'batcoder_serve_worker_restarts_total', type: 'counter', help: 'Scoring processes replaced after a timeout or a crash.', value: pool.stats.restarts },
          { name: 'batcoder_serve_worker_backlog', type: 'gauge', help: 'Scoring jobs queued or running.', value: pool.backlog },
        ]), 'text/plain; version=0.0.4; charset=utf-8');
      } else if (route === 'other') {
        const known = Object.hasOwn(POST_ROUTES, path) || path === '/health' || path === '/metrics';
        throw known
          ? new HttpError(405, 'method_not_allowed', `${req.method} ${path}: use ${Object.hasOwn(POST_ROUTES, path) ? 'POST' : 'GET'}`)
          : new HttpError(404, 'not_found', `no endpoint ${path}; see /health and docs/serve.md`);
      } else {
        const body = parseJson(await readBody(req, limits.maxBodyBytes));
        const answer = await POST_ROUTES[route]!(body, env);
        send(res, 200, JSON.stringify(answer), 'application/json');
      }
    } catch (e) {
      const err =
        e instanceof HttpError ? e
        : e instanceof JobTimeoutError ? new HttpError(504, 'job_timeout_ms', e.message, { limit: 'job_timeout_ms', max: limits.jobTimeoutMs })
        : new HttpError(500, 'internal', `internal error: ${(e as Error)?.message ?? String(e)}`);
      if (err.status === 500) log(`serve: 500 on ${path}: ${(e as Error)?.stack ?? e}`);
      status = err.status;
      errorCode = err.code;
      send(res, err.status, JSON.stringify(err.body()), 'application/json');
      // a refused body may still be arriving: read and drop the rest before the connection can close
      if (err.code === 'max_body_bytes') lingerOn(req, LINGER_FACTOR * limits.maxBodyBytes, LINGER_MS);
    } finally {
      metrics.inflight--;
      metrics.observe(route, status, (performance.now() - t0) / 1000, errorCode);
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 5000, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`batcoder serve: listening on ${url} (${pool.size} scoring processes; POST /get_reward /v1/format /v1/similarity /v1/stage1-prompt /v1/stage2-prompt /v1/exec, GET /health /metrics)`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    metrics,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await done;
        clearTimeout(timer);
        await pool.close();
        log('batcoder serve: stopped');
      })();
      return closing;
    },
  };
}
