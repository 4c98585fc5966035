// The pass protocol: trusted test drivers, one per language.
//
// A completion is untrusted code that shares a process with the tests that judge it, so
// "exit status 0" proves nothing: `os._exit(0)`, `sys.exit(0)`, an `atexit` hook or a
// `process.exit(0)` placed before the tests exits 0 without running them. The harness
// therefore runs a checked program as three parts, never as one concatenated file:
//
//   solution  prompt + completion (untrusted)
//   tests     the benchmark's checks (trusted text, but run in the same process)
//   driver    the fixed program below (trusted), started by the sandbox
//
// The parent writes a fresh random nonce (128 bits) on the program's stdin and closes it.
// The driver reads it FIRST, before any untrusted code runs, closes stdin, deletes the
// solution and test files from disk (the completion cannot read the expected answers),
// then loads the solution, runs the tests, and only when every test passed writes the
// nonce to fd 1 through a reference it saved at start, and exits with the saved raw exit
// (no exit hooks run). The parent's verdict (languages.ts):
//
//   passed  <=>  exit status 0  AND  the nonce appears on stdout
//
// so any early exit (status 0 or not), skipped test, or exit hook fails. The nonce is
// never in a file, the environment or argv. Channels closed per language:
//
//   python  SystemExit (sys.exit / raise SystemExit) caught as a failure; os._exit and
//           atexit skip the nonce; sys.excepthook unused (the driver catches everything);
//           settrace/setprofile/signal handlers/gc callbacks/extra threads cleared or
//           refused before the tests and after every call of a solution function; the
//           tests run in their own namespace over a snapshot of the builtins, with every
//           module the completion patched restored; every value a solution function
//           returns must be plain data (exact builtin types, recursively, or an object that
//           compares by identity), so always-equal objects are refused.
//   ruby    the completion is evaluated inside the driver (exit/raise caught, at_exit
//           skipped by exit!), Test::Unit run explicitly (not by its at_exit autorunner);
//           the entry method's results must be plain data with no singleton methods; the
//           comparison, raise and exit methods of the core classes must be the ones present
//           at start, and the completion may not reopen any class that existed before it.
//   js      process.exit / exit handlers skip the nonce (the driver exits with the raw
//           process.reallyExit); the tests get their own `console` (a throwing assert) and
//           `JSON`; the entry function's results must be plain data; the completion may not
//           change any built-in (global object, Object/Array/JSON/Math/... and prototypes).
//   go      a TestMain of the harness (a completion defining its own fails to compile)
//           prints the nonce only when m.Run() returned 0; the test binary is built, the
//           sources deleted, then run. Go has no operator overloading or monkey-patching.
//
// What no in-process driver can stop (stated in docs/sandbox.md): code written to attack
// this protocol specifically, which finds the nonce in the driver's memory (Python frame
// introspection, Ruby ObjectSpace, a Go init() reading stdin before TestMain) or patches a
// standard class the tests rely on in a way the checks above do not cover. The sandbox
// still contains it; only the verdict can be forged.
import type { Lang } from '../lang/parser.js';
export type { CheckedProgram } from '../data/benchmarks.js';

// The Python driver body runs with a private copy of the builtins made before any untrusted
// code, so a completion that patches builtins.all / exec / BaseException cannot change it.
const PY_BODY = String.raw`def _batcoder_main():
    import sys, os, builtins, types, signal, gc, collections, traceback
    nonce = sys.stdin.readline().strip()
    sys.stdin.close()
    os.close(0)
    write, exit_ = os.write, os._exit
    getframe, current_frames = sys._getframe, sys._current_frames
    settrace, setprofile, gettrace, getprofile = sys.settrace, sys.setprofile, sys.gettrace, sys.getprofile
    typ, tga, isfunc = type, type.__getattribute__, types.FunctionType
    dkeys, dvalues = dict.keys, dict.values
    entry = sys.argv[1] if len(sys.argv) > 1 else ''
    def fail(msg):
        write(2, ('batcoder driver: ' + msg + '\n').encode('utf-8', 'replace'))
        exit_(1)
    def read(name):
        with open(name, encoding='utf-8') as f:
            s = f.read()
        os.remove(name)
        return s
    code = compile(read('solution.py'), 'solution.py', 'exec')
    tests = compile(read('tests.py'), 'tests.py', 'exec')
    os.remove(sys.argv[0])
    builtins_snapshot = dict(builtins.__dict__)
    def snapshot():
        return {n: (m, dict(m.__dict__)) for n, m in list(sys.modules.items()) if m is not None}
    def restore(snap, drop_new):
        for n in list(sys.modules):
            if n not in snap and drop_new:
                del sys.modules[n]
        for n, (m, d) in snap.items():
            sys.modules[n] = m
            md = m.__dict__
            md.update(d)
    at_start = snapshot()
    ATOMS = {int, float, complex, bool, str, bytes, type(None)}
    SEQS = {list, tuple, set, frozenset, collections.deque}
    MAPS = {dict, collections.Counter, collections.OrderedDict, collections.defaultdict}
    DUNDERS = ('__eq__', '__ne__', '__lt__', '__le__', '__gt__', '__ge__', '__bool__', '__len__', '__hash__',
               '__add__', '__radd__', '__sub__', '__rsub__', '__mul__', '__rmul__', '__truediv__', '__abs__',
               '__neg__', '__float__', '__int__', '__index__', '__round__', '__contains__', '__iter__',
               '__getitem__', '__str__', '__repr__', '__format__', '__getattribute__', '__getattr__')
    def lookup(t, d):
        try:
            return tga(t, d)
        except AttributeError:
            return None
    OBJ = {d: lookup(object, d) for d in DUNDERS}
    PY_CLASSES = [collections.Counter]  # written in Python, so patchable: checked unchanged
    saved_classes = {c: dict(c.__dict__) for c in PY_CLASSES}
    def plain(v, depth, where):
        if depth > 100:
            raise TypeError(where + ' returned data nested more than 100 deep')
        t = typ(v)
        if t in ATOMS:
            return
        if t in SEQS:
            for x in (v if t is not collections.deque else list(v)):
                plain(x, depth + 1, where)
            return
        if t in MAPS:
            for x in dkeys(v):
                plain(x, depth + 1, where)
            for x in dvalues(v):
                plain(x, depth + 1, where)
            return
        if all(lookup(t, d) is OBJ[d] for d in DUNDERS):
            return  # compares by identity: nothing to forge
        raise TypeError(where + ' returned a ' + t.__qualname__ + ', which defines its own comparison or conversion methods; the harness accepts plain data (builtin types) only')
    def quiet():
        settrace(None)
        setprofile(None)
        f = getframe(0)
        while f is not None:
            f.f_trace = None
            f = f.f_back
        for s in (signal.SIGALRM, signal.SIGVTALRM, signal.SIGPROF, signal.SIGUSR1, signal.SIGUSR2, signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)
        gc.callbacks.clear()
        if hasattr(sys, 'monitoring'):
            for tool in range(6):
                if sys.monitoring.get_tool(tool) is not None:
                    fail('the completion registered a sys.monitoring tool')
        if len(current_frames()) > 1:
            fail('the completion left threads running')
        for c, d in saved_classes.items():
            if dict(c.__dict__) != d:
                fail('the completion modified ' + c.__qualname__)
    def guard(f, name):
        def guarded(*a, **k):
            before = snapshot()
            try:
                r = f(*a, **k)
            finally:
                quiet()
                restore(before, False)
            plain(r, 0, name)
            return r
        guarded.__name__ = name
        return guarded
    g = {'__name__': '__main__', '__builtins__': builtins}
    try:
        exec(code, g)
    except BaseException as e:
        quiet()
        fail('the solution raised ' + typ(e).__name__ + ': ' + str(e)[:300])
    quiet()
    restore(at_start, True)
    ns = {k: v for k, v in g.items() if k not in builtins_snapshot}
    for k, v in g.items():
        if typ(v) is isfunc and v.__code__.co_filename == 'solution.py' and (k not in builtins_snapshot or k == entry):
            ns[k] = guard(v, k)
    ns['__name__'] = '__main__'
    ns['__builtins__'] = builtins_snapshot
    try:
        exec(tests, ns)
    except BaseException as e:
        quiet()
        write(2, ''.join(traceback.format_exception(typ(e), e, e.__traceback__)).encode('utf-8', 'replace'))
        exit_(1)
    if gettrace() is not None or getprofile() is not None:
        fail('a trace or profile function was active during the tests')
    quiet()
    write(1, ('\n' + nonce + '\n').encode())
    exit_(0)
_batcoder_main()
`;

export const PY_DRIVER = `# Trusted test driver of the batcoder harness (src/eval/drivers.ts). Never edit per problem.
import builtins as _b
exec(compile(${JSON.stringify(PY_BODY)}, 'driver.py', 'exec'), {'__builtins__': dict(_b.__dict__), '__name__': '__batcoder_driver__'})
`;

export const RB_DRIVER = String.raw`# Trusted test driver of the batcoder harness (src/eval/drivers.ts). Never edit per problem.
def __batcoder_main
  nonce = $stdin.gets.to_s.strip
  $stdin.close
  bang = Process.method(:exit!)
  syswrite = IO.instance_method(:syswrite)
  out = STDOUT
  err = STDERR
  entry = ARGV[0].to_s
  um_eq = UnboundMethod.instance_method(:==)
  kclass = Kernel.instance_method(:class)
  ksingletons = Kernel.instance_method(:singleton_methods)
  fail_with = lambda { |msg| syswrite.bind_call(err, "batcoder driver: #{msg}\n"); bang.call(1) }
  read = lambda { |n| s = File.read(n); File.delete(n); s }
  code = read.call('solution.rb')
  tests = read.call('tests.rb')
  File.delete(__FILE__)
  core = [BasicObject, Object, Kernel, Comparable, Integer, Float, String, Symbol, NilClass, TrueClass, FalseClass, Array, Hash, Numeric]
  names = %i[== != eql? equal? === <=> hash ! nil? class is_a? kind_of? instance_of? to_s inspect to_a to_ary to_str to_int respond_to? raise fail exit abort]
  mods = ObjectSpace.each_object(Module).to_a
  # a method of solution.rb on any class or module that existed before it (Object aside:
  # top-level defs land there) means the completion reopened a class the tests rely on
  reopened = lambda do
    mods.each do |m|
      [m, m.singleton_class].each do |c|
        next if c.equal?(Object)
        (c.instance_methods(false) + c.private_instance_methods(false)).each do |n|
          loc = (c.instance_method(n).source_location rescue nil)
          fail_with.call("the completion reopened #{m} (#{n})") if loc && loc[0] == 'solution.rb'
        end
      end
    end
  end
  saved = []
  core.each { |c| names.each { |m| saved << [c, m, c.instance_method(m)] if c.method_defined?(m) || c.private_method_defined?(m) } }
  check_core = lambda do
    saved.each do |c, m, um|
      now = (c.instance_method(m) rescue nil)
      fail_with.call("the completion redefined #{c}##{m}") unless now && um_eq.bind_call(now, um)
    end
  end
  plain = [Integer, Float, String, Symbol, NilClass, TrueClass, FalseClass]
  check = lambda do |v, depth|
    fail_with.call("#{entry} returned data nested more than 100 deep") if depth > 100
    k = kclass.bind_call(v)
    unless ksingletons.bind_call(v, true).empty?
      fail_with.call("#{entry} returned an object with singleton methods; the harness accepts plain data only")
    end
    if plain.include?(k) then nil
    elsif k == Array then v.each { |x| check.call(x, depth + 1) }
    elsif k == Hash then v.each { |a, b| check.call(a, depth + 1); check.call(b, depth + 1) }
    else fail_with.call("#{entry} returned a #{k}; the harness accepts plain data (Integer, Float, String, Symbol, nil, true, false, Array, Hash)")
    end
  end
  begin
    TOPLEVEL_BINDING.eval(code, 'solution.rb', 1)
  rescue Exception => e
    fail_with.call("the solution raised #{e.class}: #{e.message.to_s[0, 300]}")
  end
  reopened.call
  check_core.call
  if !entry.empty? && (Object.private_method_defined?(entry) || Object.method_defined?(entry))
    orig = Object.instance_method(entry)
    Object.send(:define_method, entry) do |*a, **kw, &blk|
      r = orig.bind_call(self, *a, **kw, &blk)
      check_core.call
      check.call(r, 0)
      r
    end
  end
  ok = true
  begin
    TOPLEVEL_BINDING.eval(tests, 'tests.rb', 1)
    if defined?(Test::Unit::AutoRunner)
      Test::Unit::AutoRunner.need_auto_run = false
      ok = Test::Unit::AutoRunner.run == true
    end
  rescue Exception => e
    syswrite.bind_call(err, "#{e.class}: #{e.message}\n#{(e.backtrace || []).first(5).join("\n")}\n")
    bang.call(1)
  end
  reopened.call
  check_core.call
  bang.call(1) unless ok
  syswrite.bind_call(out, "\n#{nonce}\n")
  bang.call(0)
end
__batcoder_main
`;

export const JS_DRIVER = String.raw`// Trusted test driver of the batcoder harness (src/eval/drivers.ts). Never edit per problem.
'use strict';
(() => {
  const fs = require('fs');
  const vm = require('vm');
  const nonce = fs.readFileSync(0, 'utf8').trim();
  fs.closeSync(0);
  const writeSync = fs.writeSync;
  const reallyExit = process.reallyExit.bind(process);
  const entry = process.argv[2] || '';
  const fail = (msg) => { writeSync(2, 'batcoder driver: ' + msg + '\n'); reallyExit(1); };
  const read = (n) => { const s = fs.readFileSync(n, 'utf8'); fs.unlinkSync(n); return s; };
  const code = read('solution.js');
  const tests = read('tests.js');
  fs.unlinkSync(__filename);
  const { getOwnPropertyDescriptor, getPrototypeOf, freeze, create } = Object;
  const isArray = Array.isArray;
  const ownKeys = Reflect.ownKeys, apply = Reflect.apply;
  // every built-in the tests could rely on, with each own property's descriptor at start
  const roots = { globalThis, Object, Array, JSON, Math, Number, String, Boolean, Reflect, Symbol, Function, Error, Map, Set,
    'Object.prototype': Object.prototype, 'Array.prototype': Array.prototype, 'String.prototype': String.prototype,
    'Number.prototype': Number.prototype, 'Boolean.prototype': Boolean.prototype, 'Function.prototype': Function.prototype,
    'Error.prototype': Error.prototype, 'Map.prototype': Map.prototype, 'Set.prototype': Set.prototype, console };
  // Only captured functions, index loops and null-prototype records from here on: the
  // completion may have patched Array.prototype, Map or iterators by the time these run.
  const describe = (o) => {
    const m = create(null);
    const keys = ownKeys(o);
    for (let i = 0; i < keys.length; i++) {
      const d = getOwnPropertyDescriptor(o, keys[i]);
      m[keys[i]] = [d.value, d.get, d.set, d.writable, d.configurable];
    }
    return { m, keys };
  };
  const names = ownKeys(roots);
  const saved = [];
  for (let i = 0; i < names.length; i++) saved[i] = [names[i], roots[names[i]], describe(roots[names[i]]), getPrototypeOf(roots[names[i]])];
  const same = (x, y) => x === y || (x !== x && y !== y);
  const checkBuiltins = () => {
    for (let i = 0; i < saved.length; i++) {
      const name = saved[i][0], o = saved[i][1], before = saved[i][2], proto = saved[i][3];
      if (getPrototypeOf(o) !== proto) fail('the completion changed the prototype of ' + name);
      const now = describe(o);
      for (let j = 0; j < now.keys.length; j++) {
        const k = now.keys[j], v = now.m[k], b = before.m[k];
        if (name === 'globalThis' && !b) continue; // new globals (the completion's own names) are fine
        if (!b || !same(b[0], v[0]) || b[1] !== v[1] || b[2] !== v[2] || b[3] !== v[3] || b[4] !== v[4]) fail('the completion modified the built-in ' + name + '.' + String(k));
      }
      for (let j = 0; j < before.keys.length; j++) if (!now.m[before.keys[j]]) fail('the completion deleted the built-in ' + name + '.' + String(before.keys[j]));
    }
  };
  const OP = Object.prototype, AP = Array.prototype;
  const plain = (v, depth) => {
    if (depth > 100) throw new Error(entry + ' returned data nested more than 100 deep');
    const t = typeof v;
    if (v === null || t === 'number' || t === 'string' || t === 'boolean' || t === 'undefined' || t === 'bigint') return;
    if (t !== 'object') throw new Error(entry + ' returned a ' + t + '; the harness accepts plain data only');
    const p = getPrototypeOf(v);
    if (!(isArray(v) ? p === AP : p === OP || p === null)) throw new Error(entry + ' returned an object with its own prototype; the harness accepts plain data only');
    const keys = ownKeys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const d = getOwnPropertyDescriptor(v, k);
      if (typeof k === 'symbol' || d.get || d.set) throw new Error(entry + ' returned an object with accessors or symbol keys; the harness accepts plain data only');
      plain(d.value, depth + 1);
    }
  };
  const stringify = JSON.stringify, parse = JSON.parse;
  const json = JSON;
  const trustedJSON = freeze({ stringify: (...a) => apply(stringify, json, a), parse: (...a) => apply(parse, json, a) });
  const log = console.log.bind(console), error = console.error.bind(console);
  const trustedConsole = freeze({
    log, error, info: log, warn: error,
    assert: (ok, ...msg) => { if (!ok) throw new Error('assertion failed' + (msg.length ? ': ' + msg.join(' ') : '')); },
  });
  try {
    vm.runInThisContext(code, { filename: 'solution.js' });
  } catch (e) {
    fail('the solution threw ' + String(e && e.stack || e).slice(0, 400));
  }
  checkBuiltins();
  const ident = /^[A-Za-z_$][\w$]*$/.test(entry) ? entry : '';
  let fn;
  if (ident) {
    try { fn = vm.runInThisContext(ident); } catch { fn = undefined; }
  }
  const params = ['console', 'JSON'];
  const args = [trustedConsole, trustedJSON];
  if (typeof fn === 'function') {
    const f = fn;
    params.push(ident);
    args.push(function (...a) {
      const r = apply(f, this, a);
      checkBuiltins();
      plain(r, 0);
      return r;
    });
  }
  try {
    const run = vm.runInThisContext('(function (' + params.join(', ') + ') {\n' + tests + '\n})', { filename: 'tests.js', lineOffset: -1 });
    apply(run, undefined, args);
  } catch (e) {
    writeSync(2, String(e && e.stack || e) + '\n');
    reallyExit(1);
  }
  checkBuiltins();
  writeSync(1, '\n' + nonce + '\n');
  reallyExit(0);
})();
`;

/** The TestMain a Go test binary gets (in the program's own package). */
export function goDriver(pkg: string): string {
  return `// Trusted test driver of the batcoder harness (src/eval/drivers.ts). Never edit per problem.
package ${pkg}

import (
	batcoderBufio "bufio"
	batcoderOs "os"
	batcoderTesting "testing"
)

func TestMain(m *batcoderTesting.M) {
	nonce, _ := batcoderBufio.NewReader(batcoderOs.Stdin).ReadString('\\n')
	batcoderOs.Stdin.Close()
	out := batcoderOs.NewFile(1, "stdout")
	code := m.Run()
	if code == 0 && len(nonce) > 1 {
		out.WriteString("\\n" + nonce)
	}
	batcoderOs.Exit(code)
}
`;
}

/** The Go package clause of a test file ("task_test", "main", ...). */
export function goPackage(file: string): string {
  const m = /^\s*package\s+([A-Za-z_]\w*)/m.exec(file);
  if (!m) throw new Error('Go program has no package clause');
  return m[1];
}

/** The file each language's driver is written to, and the solution/tests file names. */
export const DRIVER_FILES: Record<Exclude<Lang, 'go'>, { driver: string; solution: string; tests: string; text: string }> = {
  python: { driver: 'driver.py', solution: 'solution.py', tests: 'tests.py', text: PY_DRIVER },
  ruby: { driver: 'driver.rb', solution: 'solution.rb', tests: 'tests.rb', text: RB_DRIVER },
  javascript: { driver: 'driver.js', solution: 'solution.js', tests: 'tests.js', text: JS_DRIVER },
};
