import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDoc, docComment, formatDoc, uncomment } from '../../src/data/tasks/index.js';

const good = formatDoc({ summary: 'Return the sum of the even numbers.', args: [{ name: 'nums', text: 'a list of integers.' }, { name: 'k', text: 'a bound.' }], returns: 'The sum.' });

test('formatDoc output passes checkDoc', () => {
  const c = checkDoc(good, ['nums', 'k']);
  assert.ok(c.ok, c.problems.join('; '));
  assert.equal(c.doc!.args.map((a) => a.name), ['nums', 'k']);
  assert.is(c.doc!.returns, 'The sum.');
});

test('problems are named', () => {
  assert.match(checkDoc(good, ['nums']).problems.join(), /'k', which is not a parameter/);
  assert.match(checkDoc(good, ['nums', 'k', 'z']).problems.join(), /'z' is not documented/);
  assert.match(checkDoc(good, ['k', 'nums']).problems.join(), /order/);
  assert.match(checkDoc('Sum things\n\nReturns:\n    x.').problems.join(), /period/);
  assert.match(checkDoc('Sum.\n\nArgs:\n    a: x.\n').problems.join(), /Returns/);
  assert.match(checkDoc('Sum.\nMore summary.\n\nReturns:\n    x.').problems.join(), /single line/);
  assert.match(checkDoc('').problems.join(), /empty/);
  assert.match(checkDoc('Sum.\n\nReturns:\n    x.', ['a']).problems.join(), /Args: section missing/);
  assert.ok(checkDoc('Sum.\n\nReturns:\n    x.', []).ok);
});

test('CRLF and trailing whitespace tolerated; continuation lines joined', () => {
  const c = checkDoc('Do it.  \r\n\r\nArgs:\r\n    a: first\r\n       line two.\r\n\r\nReturns:\r\n    x.\r\n', ['a']);
  assert.ok(c.ok, c.problems.join());
  assert.is(c.doc!.args[0].text, 'first line two.');
});

test('comment wrapping round-trips in every language', () => {
  for (const lang of ['python', 'ruby', 'go', 'javascript'] as const) {
    const indent = lang === 'python' ? '    ' : '';
    assert.is(uncomment(lang, docComment(lang, good, indent)), good, lang);
  }
});

test.run();
