// A small goimports for assembled Go programs whose parts each carry import blocks
// (HumanEval-X: the test preamble and the prompt both import, sometimes the same package,
// sometimes not what the solution uses). All import declarations are merged into one
// block: duplicates dropped, unused ones dropped, and standard packages that the code uses
// but nobody imported added. Only package-qualified identifiers (`strings.Split`) count
// as uses; that is what goimports looks at too.

/** Standard packages a solution may use without importing, by their package name. */
const STD: Record<string, string> = {
  fmt: 'fmt', math: 'math', sort: 'sort', strings: 'strings', strconv: 'strconv', unicode: 'unicode',
  bytes: 'bytes', regexp: 'regexp', time: 'time', md5: 'crypto/md5', hex: 'encoding/hex', rand: 'math/rand',
  reflect: 'reflect', errors: 'errors', utf8: 'unicode/utf8', big: 'math/big', bits: 'math/bits', testing: 'testing',
};

function pkgName(path: string): string {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last;
}

/** Rewrites the imports of a single-file Go program (see the header). */
export function fixGoImports(program: string): string {
  const imports = new Map<string, string>(); // name -> "alias path" or "path"
  const importRe = /^[ \t]*import[ \t]*(?:\(([\s\S]*?)\)|((?:[A-Za-z_.][A-Za-z0-9_]*[ \t]+)?"[^"]+"))[ \t]*;?[ \t]*$/gm;
  const body = program.replace(importRe, (_m, block: string | undefined, single: string | undefined) => {
    const specs = block ? block.split('\n') : [single ?? ''];
    for (const raw of specs) {
      const spec = raw.replace(/\/\/.*$/, '').trim();
      const m = /^(?:([A-Za-z_.][A-Za-z0-9_]*)\s+)?"([^"]+)"$/.exec(spec);
      if (!m) continue;
      const name = m[1] ?? pkgName(m[2]);
      if (!imports.has(name)) imports.set(name, m[1] ? `${m[1]} "${m[2]}"` : `"${m[2]}"`);
    }
    return '';
  });
  const code = body.replace(/"(?:\\.|[^"\\])*"|`[^`]*`|\/\/.*$/gm, '""'); // ignore strings and comments
  const used = (name: string) => name === '_' || name === '.' || new RegExp(`(^|[^A-Za-z0-9_.])${name}\\.[A-Za-z_]`).test(code);
  for (const [name, spec] of [...imports]) if (!used(name) && !/^[_.] /.test(spec)) imports.delete(name);
  for (const [name, path] of Object.entries(STD)) if (!imports.has(name) && used(name)) imports.set(name, `"${path}"`);
  const block = imports.size ? `import (\n${[...imports.values()].map((s) => `\t${s}`).join('\n')}\n)\n` : '';
  const pkg = /^[ \t]*package[ \t]+\w+[^\n]*\n/m.exec(body);
  if (!pkg) return block + body;
  const at = pkg.index + pkg[0].length;
  return body.slice(0, at) + '\n' + block + body.slice(at);
}
