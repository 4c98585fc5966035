import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { choiceFlag, intFlag, listFlag, numFlag } from '../../src/cli/flags.js';

function throwsNaming(f: () => unknown, name: string, v: string): void {
  try {
    f();
  } catch (e) {
    const m = (e as Error).message;
    assert.ok(m.includes(name) && m.includes(`'${v}'`), m);
    return;
  }
  assert.unreachable(`${name} accepted '${v}'`);
}

test('intFlag accepts integers in range and refuses the rest, naming the flag', () => {
  const p = intFlag('--k', { min: 1, max: 64 });
  assert.is(p('1'), 1);
  assert.is(p(' 64 '), 64);
  assert.is(p('1e1'), 10);
  for (const bad of ['0', '65', '2.5', 'abc', '', '1e30', 'NaN', 'Infinity', '-1']) throwsNaming(() => p(bad), '--k', bad);
  assert.is(intFlag('--seed')('-3'), -3);
});

test('numFlag accepts finite numbers in range', () => {
  const p = numFlag('--temperature', { min: 0 });
  assert.is(p('0'), 0);
  assert.is(p('0.7'), 0.7);
  for (const bad of ['-1', 'x', '', 'Infinity']) throwsNaming(() => p(bad), '--temperature', bad);
});

test('choiceFlag and listFlag', () => {
  const c = choiceFlag('--split', ['train', 'test'] as const);
  assert.is(c('test'), 'test');
  throwsNaming(() => c('nope'), '--split', 'nope');
  const l = listFlag('--ids', intFlag('--ids', { min: 0 }));
  assert.equal(l('1,2, 3'), [1, 2, 3]);
  throwsNaming(() => l('1,,2'), '--ids', '1,,2');
  throwsNaming(() => l('1,x'), '--ids', 'x');
});

test('as a commander argParser the action never runs on a bad value', async () => {
  let ran = false;
  let err = '';
  const prog = new Command().exitOverride().configureOutput({ writeErr: (s) => (err += s) });
  prog.command('go').option('--parallel <n>', 'p', intFlag('--parallel', { min: 1 }), 2).action(() => { ran = true; });
  await prog.parseAsync(['node', 'x', 'go', '--parallel', 'abc']).catch(() => undefined);
  assert.not.ok(ran);
  assert.ok(err.includes('--parallel') && err.includes('abc'), err);
  await prog.parseAsync(['node', 'x', 'go', '--parallel', '3']);
  assert.ok(ran);
});

test.run();
