// The format filter and the task suite must agree: the suite's own documentation (what
// phase 0 teaches the model to write) is exactly in the format (R_doc = 1) in every language.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateTasks } from '../../src/data/tasks/index.js';
import { checkDoc } from '../../src/doc/index.js';
import { LANGS } from '../../src/lang/parser.js';

test('every suite description scores R_doc = 1 against its own code', () => {
  for (const lang of LANGS) {
    const tasks = generateTasks({ seed: 11, count: 200, split: 'train', langs: [lang] });
    for (const t of tasks) {
      const r = checkDoc(t.description, t.code[lang]!, lang);
      assert.is(r.score, 1, `${lang} ${t.id}: ${r.reasons.join('; ')}\n${t.description}`);
    }
  }
});

test('a suite description with its Args header dropped is repaired (0.5), not rejected', () => {
  const [t] = generateTasks({ seed: 12, count: 1, split: 'train', langs: ['python'] });
  const broken = t.description.replace('Args:\n', '');
  const r = checkDoc(broken, t.code.python!, 'python');
  assert.is(r.score, 0.5, r.reasons.join('; '));
  assert.is(checkDoc(r.doc, t.code.python!, 'python').score, 1);
});

test.run();
