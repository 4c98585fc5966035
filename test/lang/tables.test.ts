// The language tables keyed by node type or token are prototype-less objects (a speed
// choice: src/lang/tables.ts lookupTable). That gives the answers plain objects gave only
// because no node type or token is a name on Object.prototype; both facts are checked here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TABLES, OPERATORS, SYNONYMS } from '../../src/lang/tables.js';
import { canonName } from '../../src/cssg/build.js';
import { LANGS, parserFor } from '../../src/lang/parser.js';

const protoNames = Object.getOwnPropertyNames(Object.prototype);

test('no node type or token of the four grammars is a name on Object.prototype', () => {
  for (const lang of LANGS) {
    const info = (parserFor(lang).getLanguage() as { nodeTypeInfo: { type: string }[] }).nodeTypeInfo;
    assert.ok(info.length > 50, lang);
    for (const t of info) assert.not.ok(protoNames.includes(t.type), `${lang}: ${t.type}`);
  }
});

test('node-type and token tables answer undefined for Object.prototype names', () => {
  for (const lang of LANGS) {
    const t = TABLES[lang];
    for (const table of [t.stmt, t.literal, t.attr, t.defs, t.collection, t.index, OPERATORS]) {
      for (const name of protoNames) assert.is((table as Record<string, unknown>)[name], undefined, `${lang} ${name}`);
    }
  }
  // and the tables still hold what they held
  assert.is(TABLES.python.stmt.if_statement, 'if');
  assert.is(OPERATORS['==='], '==');
});

test('a name of user code that is a name on Object.prototype has no synonym', () => {
  // toString is a real synonym (JavaScript's x.toString() is str(x)); every other is not
  for (const name of protoNames.filter((n) => n !== 'toString')) {
    assert.is(SYNONYMS[name.toLowerCase()], undefined, name);
    assert.is(canonName(name), name.toLowerCase(), name);
  }
  assert.is(canonName('constructor'), 'constructor');
  assert.is(canonName('valueOf'), 'valueof');
  assert.is(canonName('length'), 'len');
  assert.is(canonName('toString'), 'str');
});

test.run();
