// Test helpers: a server on 127.0.0.1 with a free port, and JSON requests to it.
import { startServer, type RunningServer, type ServeOptions } from '../../src/serve/server.js';

export async function withServer<T>(opts: ServeOptions, f: (s: RunningServer) => Promise<T>): Promise<T> {
  const s = await startServer({ host: '127.0.0.1', port: 0, workers: 2, ...opts });
  try {
    return await f(s);
  } finally {
    await s.close(2000);
  }
}

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** POST a JSON value (or raw bytes/text) and parse the JSON answer. */
export async function post(url: string, path: string, body: unknown, raw = false): Promise<Answer> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string | Uint8Array) : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}
