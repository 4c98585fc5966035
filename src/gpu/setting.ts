// A device setting chosen by adapter class: GpuOptions.<key>, else an environment variable,
// else `auto`, which picks one value for software adapters (lavapipe) and another for
// hardware ones. The kernel family (family.ts) and the GPU wait (wait.ts) are two such.

/** The requested value and the setting it came from: the option when given, else the environment variable. */
export function requestedSetting(option: string | undefined, optionName: string, envName: string): [choice: string | undefined, source: string] {
  return option ? [option, optionName] : [process.env[envName], envName];
}

/** `choice` checked against `values` (an unknown name is an error naming the setting); `auto` or empty -> `auto`. */
export function resolveSetting<T extends string>(choice: string | undefined, values: readonly T[], auto: T, source: string, what: string): T {
  const c = (choice ?? '').trim().toLowerCase() || 'auto';
  const all = ['auto', ...values];
  if (!all.includes(c)) throw new RangeError(`${source}: unknown ${what} '${choice}' (want one of ${all.join(', ')})`);
  return c === 'auto' ? auto : (c as T);
}
