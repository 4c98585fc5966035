// CSSG v2 on Ruby (docs/cssg.md, "Ruby"): each Ruby rule makes an equivalent Ruby pair
// meet (S = 1) and the Ruby form meet the Python form of the same code, while a
// one-token mutant (another predicate, operator or constant) does not; with the rule
// switched off (src/cssg/options.ts) the pair no longer meets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { similarity } from '../../src/cssg/index.js';
import { type Normalisation } from '../../src/cssg/options.js';

const rb = (body: string, params = 'a, b') => `def f(${params})\n${body.split('\n').map((l) => '  ' + l).join('\n')}\nend\n`;
const py = (body: string, params = 'a, b') => `def f(${params}):\n${body.split('\n').map((l) => '    ' + l).join('\n')}\n`;

// [name, ruby original, ruby rewrite, ruby one-token mutant of the original, python form (or null), rule]
const CASES: [string, string, string, string, string | null, Normalisation][] = [
  ['each do |x| is the element loop', rb('t = 0\na.each do |x|\n  t += x * b\nend\nt'), rb('t = 0\na.each { |y| t += y * b }\nt'), rb('t = 0\na.each do |x|\n  t += x + b\nend\nt'), py('t = 0\nfor x in a:\n    t += x * b\nreturn t'), 'ruby-loops'],
  ['n.times / (0...n).each / 0.upto(n - 1) are range loops', rb('t = 0\nb.times do |i|\n  t += i * i\nend\nt'), rb('t = 0\n(0...b).each { |i| t += i * i }\nt'), rb('t = 0\nb.times do |i|\n  t += i * 2\nend\nt'), py('t = 0\nfor i in range(b):\n    t += i * i\nreturn t'), 'ruby-loops'],
  ['(1..n).each is range(1, n + 1)', rb('t = 0\n(1..b).each do |i|\n  t += i % 3\nend\nt'), rb('t = 0\n1.upto(b) { |i| t += i % 3 }\nt'), rb('t = 0\n(1...b).each do |i|\n  t += i % 3\nend\nt'), py('t = 0\nfor i in range(1, b + 1):\n    t += i % 3\nreturn t'), 'ruby-loops'],
  ['an index range that only reads xs[i] is the element loop', rb('t = 0\n(0...a.length).each do |i|\n  t += a[i] if a[i] > b\nend\nt'), rb('t = 0\na.each do |x|\n  t += x if x > b\nend\nt'), rb('t = 0\n(0...a.length).each do |i|\n  t += a[i] if a[i] < b\nend\nt'), py('t = 0\nfor i in range(len(a)):\n    if a[i] > b:\n        t += a[i]\nreturn t'), 'ruby-loops'],
  ['adjacent pairs: index range, each_cons(2)', rb('c = 0\n(0...a.length - 1).each do |i|\n  c += 1 if a[i + 1] - a[i] > b\nend\nc'), rb('a.each_cons(2).count { |x, y| y - x > b }'), rb('c = 0\n(0...a.length - 1).each do |i|\n  c += 1 if a[i + 1] - a[i] >= b\nend\nc'), py('return sum(1 for x, y in zip(a, a[1:]) if y - x > b)'), 'ruby-blocks'],
  ['each_with_index with an unused index', rb('a.each_with_index do |x, i|\n  return x if x > b\nend\n0'), rb('a.each do |x|\n  return x if x > b\nend\n0'), rb('a.each_with_index do |x, i|\n  return i if x > b\nend\n0'), py('for x in a:\n    if x > b:\n        return x\nreturn 0'), 'ruby-loops'],
  ['downto is a descending range', rb('(a.length - 1).downto(0) do |i|\n  return i if a[i] == b\nend\n-1'), '', rb('(a.length - 1).downto(1) do |i|\n  return i if a[i] == b\nend\n-1'), py('for i in range(len(a) - 1, -1, -1):\n    if a[i] == b:\n        return i\nreturn -1'), 'ruby-loops'],
  ['select/map chain is the filtered append loop', rb('out = []\na.each do |x|\n  out << x * b if x % 2 == 0\nend\nout'), rb('a.select { |x| x % 2 == 0 }.map { |x| x * b }'), rb('out = []\na.each do |x|\n  out << x * b if x % 3 == 0\nend\nout'), py('return [x * b for x in a if x % 2 == 0]'), 'ruby-blocks'],
  ['reject is a negated filter', rb('out = []\na.each do |x|\n  out.push(x) unless x > b\nend\nout'), rb('a.reject { |x| x > b }'), rb('out = []\na.each do |x|\n  out.push(x) unless x >= b\nend\nout'), py('return [x for x in a if x <= b]'), 'ruby-blocks'],
  ['sum of a chain / sum with a block / inject(0) is the accumulator', rb('t = 0\na.each do |x|\n  t += x * x if x > b\nend\nt'), rb('a.select { |x| x > b }.sum { |x| x * x }'), rb('t = 0\na.each do |x|\n  t += x * b if x > b\nend\nt'), py('return sum(x * x for x in a if x > b)'), 'ruby-blocks'],
  ['inject(0) { |s, x| s + e } is a sum', rb('a.inject(0) { |s, x| s + x * 3 }'), rb('a.sum { |x| x * 3 }'), rb('a.inject(0) { |s, x| s + x * 4 }'), py('s = 0\nfor x in a:\n    s += x * 3\nreturn s'), 'ruby-blocks'],
  ['count with a block is a count loop', rb('c = 0\na.each do |x|\n  c += 1 if x > b\nend\nc'), rb('a.count { |x| x > b }'), rb('c = 0\na.each do |x|\n  c += 1 if x != b\nend\nc'), py('return len([x for x in a if x > b])'), 'ruby-blocks'],
  ['any? is a search loop', rb('a.each do |x|\n  return true if x % b == 0\nend\nfalse'), rb('a.any? { |x| x % b == 0 }'), rb('a.each do |x|\n  return true if x % b == 1\nend\nfalse'), py('return any(x % b == 0 for x in a)'), 'ruby-blocks'],
  ['all? is a search loop', rb('a.each do |x|\n  return false if x >= b\nend\ntrue'), rb('a.all? { |x| x < b }'), rb('a.each do |x|\n  return false if x > b\nend\ntrue'), py('return all(x < b for x in a)'), 'ruby-blocks'],
  ['none? is all of the negation', rb('a.none? { |x| x > b }'), rb('a.all? { |x| x <= b }'), rb('a.none? { |x| x < b }'), py('for x in a:\n    if x > b:\n        return False\nreturn True'), 'ruby-blocks'],
  ['find is a search loop with nil', rb('a.each do |x|\n  return x if x % b == 0\nend\nnil'), rb('a.find { |x| x % b == 0 }'), rb('a.each do |x|\n  return x if x % b == 2\nend\nnil'), py('return next((x for x in a if x % b == 0), None)'), 'ruby-blocks'],
  ['find || d with an element default', rb('a.each do |x|\n  return x if x % 7 == 0\nend\nb'), rb('a.find { |x| x % 7 == 0 } || b'), rb('a.each do |x|\n  return x if x % 7 == 0\nend\n0'), py('return next((x for x in a if x % 7 == 0), b)'), 'ruby-blocks'],
  ['index { } || d is the enumerate search loop', rb('a.each_with_index do |x, i|\n  return i if x * 5 > b\nend\n-1'), rb('a.index { |x| x * 5 > b } || -1'), rb('a.each_with_index do |x, i|\n  return i if x * 5 > b\nend\n0'), py('for i, x in enumerate(a):\n    if x * 5 > b:\n        return i\nreturn -1'), 'ruby-blocks'],
  ['map/join is string accumulation', rb("out = ''\na.each_char do |c|\n  out += c.upcase\nend\nout"), rb('a.chars.map { |c| c.upcase }.join'), rb("out = ''\na.each_char do |c|\n  out += c.downcase\nend\nout"), py("return ''.join(c.upper() for c in a)"), 'ruby-blocks'],
  ['length/size/count are len; out << e is append', rb('out = []\na.each { |x| out << x.length }\nout'), rb('out = []\na.each { |x| out.push(x.size) }\nout'), rb('out = []\na.each { |x| out << x.length + 1 }\nout'), py('out = []\nfor x in a:\n    out.append(len(x))\nreturn out'), 'ruby-calls'],
  ['x.nil? is x is None', rb('return 1 if a.nil? || !b.nil?\n0'), rb('return 1 if a == nil || b != nil\n0'), rb('return 1 if a.nil? || b.nil?\n0'), py('if a is None or b != None:\n    return 1\nreturn 0'), 'ruby-calls'],
  ['an index range to the shorter length is the zip loop', rb('t = 0\n(0...[a.length, b.length].min).each do |i|\n  t += a[i] * b[i]\nend\nt'), '', rb('t = 0\n(0...[a.length, b.length].min).each do |i|\n  t += a[i] + b[i]\nend\nt'), py('t = 0\nfor x, y in zip(a, b):\n    t += x * y\nreturn t'), 'ruby-loops'],
  ['the last expression is the return', rb('t = a * b\nt + 1'), rb('return a * b + 1'), rb('t = a * b\nt - 1'), py('return a * b + 1'), 'ruby-returns'],
  ['a last conditional expression is if/else returns', rb('a > b ? a - b : b * 2'), rb('if a > b\n  a - b\nelse\n  b * 2\nend'), rb('a > b ? a - b : b * 3'), py('return a - b if a > b else b * 2'), 'ruby-returns'],
];

const S = (a: string, b: string, off?: Normalisation[]) => similarity(a, b, 'ruby', off ? { off } : {});
for (const [name, orig, rewrite, mutant, python, rule] of CASES) {
  test(`ruby: ${name}`, () => {
    if (rewrite) assert.is(S(orig, rewrite), 1, `rewrite\n${orig}\n${rewrite}`);
    const m = S(orig, mutant);
    assert.ok(m < 1, `mutant scored ${m}\n${mutant}`);
    if (python) {
      assert.is(similarity(orig, python, 'ruby', { langB: 'python' }), 1, `python form\n${orig}\n${python}`);
      if (rewrite) assert.is(similarity(rewrite, python, 'ruby', { langB: 'python' }), 1, `python form of the rewrite\n${rewrite}\n${python}`);
      assert.ok(similarity(mutant, python, 'ruby', { langB: 'python' }) < 1, 'mutant meets the python form');
      // the rule makes the pair meet: switched off, it does not
      assert.ok(similarity(orig, python, 'ruby', { langB: 'python', off: [rule] }) < 1 || (rewrite && S(orig, rewrite, [rule]) < 1), `${rule} off still meets`);
    }
  });
}
test.run();
