// The `batcoder` command line. Each subcommand lives in src/cli/commands/<name>.ts
// and exports `register(program)`; they are discovered at start-up so that adding a
// command never touches this file.
import { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const program = new Command();
program
  .name('batcoder')
  .description('WebGPU tensor engine + BatCoder (code <-> documentation back-translation with Reinforce++)')
  .version('0.1.0')
  .option('--adapter <name>', 'WebGPU adapter to use: substring of its vendor/architecture/device/description, or a backend (vulkan, opengles). Same as $BATCODER_ADAPTER')
  .hook('preAction', (cmd) => {
    const opts = cmd.optsWithGlobals();
    if (opts.adapter) process.env.BATCODER_ADAPTER = String(opts.adapter);
  });

const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
for (const f of files) {
  const mod = await import(pathToFileURL(join(dir, f)).href);
  if (typeof mod.register === 'function') mod.register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as Error;
  console.error(`batcoder: ${err.message}`);
  if (process.env.BATCODER_DEBUG) console.error(err.stack);
  process.exitCode = 1;
}
