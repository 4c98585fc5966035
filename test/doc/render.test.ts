// Rendering the documentation format: what formatDoc writes is exactly the format the filter
// scores 1, renderDoc keeps description paragraphs and typed args, and every language's
// comment wrapping round-trips.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDoc, docComment, formatDoc, renderDoc, uncomment } from '../../src/doc/index.js';

const good = formatDoc({ summary: 'Return the sum of the even numbers.', args: [{ name: 'nums', text: 'a list of integers.' }, { name: 'k', text: 'a bound.' }], returns: 'The sum.' });
const code = 'def f(nums, k):\n    return sum(x for x in nums if x % 2 == 0 and x < k)\n';

test('formatDoc writes the canonical layout', () => {
  assert.is(good, 'Return the sum of the even numbers.\n\nArgs:\n    nums: a list of integers.\n    k: a bound.\n\nReturns:\n    The sum.');
  assert.is(formatDoc({ summary: 'Say hi.', args: [], returns: 'None.' }), 'Say hi.\n\nReturns:\n    None.');
});

test('formatDoc output scores 1 in the filter; a missing or extra parameter does not', () => {
  const c = checkDoc(good, code, 'python');
  assert.is(c.score, 1, c.reasons.join('; '));
  assert.is(c.doc, good);
  assert.is.not(checkDoc(good, 'def f(nums):\n    return nums\n', 'python').score, 1);
  assert.is.not(checkDoc(good, 'def f(nums, k, z):\n    return nums\n', 'python').score, 1);
});

test('renderDoc keeps description paragraphs and typed args', () => {
  const s = renderDoc({ summary: 'Sum.', description: [['More words.']], args: [{ name: 'a', type: 'int', text: 'x.' }], returns: ['The', 'sum.'] });
  assert.is(s, 'Sum.\n\nMore words.\n\nArgs:\n    a (int): x.\n\nReturns:\n    The\n    sum.');
});

test('comment wrapping round-trips in every language', () => {
  for (const lang of ['python', 'ruby', 'go', 'javascript'] as const) {
    const indent = lang === 'python' ? '    ' : '';
    assert.is(uncomment(lang, docComment(lang, good, indent)), good, lang);
  }
});

test.run();
