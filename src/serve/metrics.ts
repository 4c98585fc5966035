// The server's counters, rendered in the Prometheus text exposition format (version 0.0.4):
//   # HELP name text
//   # TYPE name counter|gauge|histogram
//   name{label="value"} number
// A histogram is cumulative buckets name_bucket{le="x"} (observations <= x, the last le="+Inf"),
// plus name_sum and name_count. Request latency is one histogram per route.

/** Latency bucket bounds in seconds (1 ms .. 60 s). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Histogram {
  counts: number[]; // per bucket, not cumulative; the last one is +Inf
  sum: number;
  count: number;
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class ServeMetrics {
  private requests = new Map<string, number>(); // route \0 status -> n
  private errors = new Map<string, number>(); // route \0 error code -> n
  private latency = new Map<string, Histogram>();
  pairsScored = 0;
  cacheHits = 0;
  cacheMisses = 0;
  inflight = 0;

  /** Count one finished request and its latency. */
  observe(route: string, status: number, seconds: number, errorCode?: string): void {
    const k = `${route}\u0000${status}`;
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
    if (errorCode !== undefined) {
      const e = `${route}\u0000${errorCode}`;
      this.errors.set(e, (this.errors.get(e) ?? 0) + 1);
    }
    let h = this.latency.get(route);
    if (!h) this.latency.set(route, (h = { counts: new Array(LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 }));
    let i = LATENCY_BUCKETS.findIndex((b) => seconds <= b);
    if (i < 0) i = LATENCY_BUCKETS.length;
    h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  /** Total requests (all routes and statuses). */
  get requestCount(): number {
    let n = 0;
    for (const v of this.requests.values()) n += v;
    return n;
  }

  /** Render everything; `extra` adds gauges/counters owned elsewhere (pool stats). */
  render(extra: { name: string; type: 'counter' | 'gauge'; help: string; value: number }[] = []): string {
    const out: string[] = [];
    const head = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    head('batcoder_serve_requests_total', 'counter', 'HTTP requests answered, by route and status code.');
    for (const [k, v] of this.requests) {
      const [route, status] = k.split('\u0000');
      out.push(`batcoder_serve_requests_total{route="${escapeLabel(route!)}",status="${status}"} ${v}`);
    }
    head('batcoder_serve_errors_total', 'counter', 'Requests answered with an error, by route and error code (the limit or check that refused them).');
    for (const [k, v] of this.errors) {
      const [route, code] = k.split('\u0000');
      out.push(`batcoder_serve_errors_total{route="${escapeLabel(route!)}",error="${escapeLabel(code!)}"} ${v}`);
    }
    head('batcoder_serve_request_duration_seconds', 'histogram', 'Request latency from the first byte read to the last byte written, by route.');
    for (const [route, h] of this.latency) {
      let cum = 0;
      const r = escapeLabel(route);
      LATENCY_BUCKETS.forEach((b, i) => {
        cum += h.counts[i]!;
        out.push(`batcoder_serve_request_duration_seconds_bucket{route="${r}",le="${b}"} ${cum}`);
      });
      cum += h.counts[LATENCY_BUCKETS.length]!;
      out.push(`batcoder_serve_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${cum}`);
      out.push(`batcoder_serve_request_duration_seconds_sum{route="${r}"} ${h.sum}`);
      out.push(`batcoder_serve_request_duration_seconds_count{route="${r}"} ${h.count}`);
    }
    head('batcoder_serve_pairs_scored_total', 'counter', 'Similarity pairs answered (from the cache or computed).');
    out.push(`batcoder_serve_pairs_scored_total ${this.pairsScored}`);
    head('batcoder_serve_cache_hits_total', 'counter', 'Pairs answered from the score cache (keyed by a hash of metric, language and both codes) or joined to an identical pair in flight.');
    out.push(`batcoder_serve_cache_hits_total ${this.cacheHits}`);
    head('batcoder_serve_cache_misses_total', 'counter', 'Pairs sent to a scoring thread.');
    out.push(`batcoder_serve_cache_misses_total ${this.cacheMisses}`);
    head('batcoder_serve_inflight_requests', 'gauge', 'Requests being answered now.');
    out.push(`batcoder_serve_inflight_requests ${this.inflight}`);
    for (const x of extra) {
      head(x.name, x.type, x.help);
      out.push(`${x.name} ${x.value}`);
    }
    return out.join('\n') + '\n';
  }
}
