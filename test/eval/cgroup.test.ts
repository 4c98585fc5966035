// Run cgroups and concurrent processes: a process that probes the hierarchy removes the
// empty cgroups of dead processes, never a live process's cgroup that is still waiting for
// its first program to join (two test files at once used to make a run fail with
// "cgroup.procs: Directory nonexistent").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryCgroup, memoryHierarchy } from '../../src/eval/cgroup.js';

const cgroupModule = join(dirname(fileURLToPath(import.meta.url)), '../../src/eval/cgroup.js');

/** A pid that no process has now: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

test("another process's probe keeps a live run's empty cgroup and removes a dead one's", () => {
  const h = memoryHierarchy();
  if (!h) return console.log('no writable memory cgroup hierarchy here: skipped');
  const mine = createMemoryCgroup('waiting', 64 << 20);
  assert.ok(mine, 'a run cgroup could be made');
  const orphan = join(dirname(mine!.dir), `batcoder-${deadPid()}-orphan`);
  mkdirSync(orphan);
  try {
    // a second process probes the hierarchy, which sweeps stale cgroups
    execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(cgroupModule)}); m.memoryHierarchy();`]);
    assert.ok(existsSync(mine!.dir), 'the live process keeps its (still empty) cgroup');
    assert.not.ok(existsSync(orphan), "the dead process's empty cgroup is removed");
    // and a program can still join it
    const out = execFileSync(mine!.joinArgv[0], [...mine!.joinArgv.slice(1), '/bin/sh', '-c', 'cat /proc/self/cgroup']).toString();
    assert.ok(out.includes(mine!.dir.split('/').pop()!), out);
  } finally {
    mine!.remove();
    if (existsSync(orphan)) rmdirSync(orphan);
  }
});

test.run();
