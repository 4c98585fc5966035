import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

/** The repository root (works from src/ under ts-node-like runners and from dist/src/ after tsc). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('batcoder: cannot find the repository root (no package.json above ' + fileURLToPath(import.meta.url) + ')');
}

/** `../shared` beside the project root (evaluation datasets, notes), or $BATCODER_SHARED. */
export function sharedDir(): string {
  return process.env.BATCODER_SHARED ? resolve(process.env.BATCODER_SHARED) : resolve(repoRoot(), '..', 'shared');
}
