// The command line of the suite CSSG benches (cssg-xlang, cssg-lang, cssg-ruby-validity):
// `--flag value` pairs and bare switches, unknown flags refused by name, the shared
// --tasks / --seed / --metrics / --off parsed and checked in one place (offList also for
// the benches with their own flags: cssg-fingerprint, cssg-retrieval).
import { METRICS, type Metric, type Normalisation } from '../src/cssg/index.js';

export interface SuiteArgs {
  /** the value after `name`, if given */
  opt(name: string): string | undefined;
  /** an integer >= `min` (default 1) after `name`, else `dflt` */
  int(name: string, dflt: number, min?: number): number;
  has(name: string): boolean;
  count: number;
  seed: number;
  metrics: Metric[];
  off: Normalisation[];
}

/** The normalisations named by an `--off a,b` value (none when absent); scoring refuses an unknown name. */
export function offList(value: string | undefined): Normalisation[] {
  return (value?.split(',').filter(Boolean) ?? []) as Normalisation[];
}

export function suiteArgs(argv: string[], extra: string[], defaultMetrics: string): SuiteArgs {
  const known = new Set(['--tasks', '--seed', '--metrics', '--off', ...extra]);
  for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown flag '${a}' (expected ${[...known].join(', ')})`);
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  const int = (name: string, dflt: number, min = 1) => {
    const v = opt(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got '${v}'`);
    return n;
  };
  const metrics = (opt('--metrics') ?? defaultMetrics).split(',') as Metric[];
  for (const m of metrics) if (!METRICS.includes(m)) throw new Error(`unknown metric '${m}' (expected one of ${METRICS.join(', ')})`);
  return {
    opt,
    int,
    has: (name) => argv.includes(name),
    count: int('--tasks', 60),
    seed: int('--seed', 1),
    metrics,
    off: offList(opt('--off')),
  };
}
