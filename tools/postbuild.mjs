// tsc compiles src/ to dist/src/; the documented entry points are dist/cli.js
// (the `batcoder` bin) and dist/train.js (the main job, same as `batcoder train`).
import { writeFileSync, mkdirSync, chmodSync } from 'node:fs';
mkdirSync('dist', { recursive: true });
const shims = {
  'dist/cli.js': "#!/usr/bin/env node\nimport './src/cli/main.js';\n",
  'dist/train.js': "#!/usr/bin/env node\nprocess.argv.splice(2, 0, 'train');\nimport('./src/cli/main.js');\n",
};
for (const [path, text] of Object.entries(shims)) {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}
