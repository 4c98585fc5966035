// Per-language node tables: which tree-sitter node types play which role for the
// language-neutral graph builder (src/cssg/build.ts). Everything language-specific
// about CSSG lives here; node names checked against each pinned grammar's
// node-types.json (python 0.25.0, ruby 0.23.1, go 0.25.0, javascript 0.25.0).
import type { Lang } from './parser.js';

/** What a statement-level node does, independent of language. */
export type StmtRole =
  | 'function' // named definition: an entry node of its own
  | 'lambda' // anonymous function / block: inlined as a closure node
  | 'class' // container of methods and fields
  | 'decorated' // python decorated_definition: look at its definition
  | 'block' // statement list walked transparently
  | 'if'
  | 'ifmod' // ruby `x if c` / `x unless c`
  | 'while'
  | 'dowhile'
  | 'for' // loop over an iterable, or go's three forms
  | 'cfor' // C-style for (init; cond; update)
  | 'switch'
  | 'try'
  | 'with'
  | 'return'
  | 'break'
  | 'continue'
  | 'throw'
  | 'vardecl' // declarations holding one or more declarators
  | 'expr' // everything else that is a statement: classified by its expression
  | 'label' // labelled statement: walk the inner statement
  | 'assert'
  | 'skip'; // imports, package clauses, pass, type declarations

export interface LangTable {
  stmt: Record<string, StmtRole>;
  /** identifiers that may name locals */
  ident: Set<string>;
  /** identifiers that name members/fields (kept by name, never locals) */
  member: Set<string>;
  /** literal node type -> literal class */
  literal: Record<string, string>;
  /** call node types; `callee` gives the field holding the callee ('method' for ruby) */
  call: Set<string>;
  callee: string[];
  /** attribute access node types -> field of the member name and of the object */
  attr: Record<string, { name: string; object: string }>;
  /** node types that bind names: node type -> fields holding the targets */
  defs: Record<string, string[]>;
  /** of those, the ones that also read their target (x += 1, i++) */
  augmenting: Set<string>;
  /** parameter-list node types */
  params: Set<string>;
  /** subtrees never looked at (types, decorators): node types */
  ignore: Set<string>;
  /** fields never looked at (type annotations) */
  ignoreFields: Set<string>;
  /** collection literal node types -> class */
  collection: Record<string, string>;
  /** conditional expressions (a ? b : c) */
  ternary: Set<string>;
  /** comprehensions */
  comprehension: Set<string>;
  /** subscript / index / slice node types -> feature */
  index: Record<string, string>;
  /** self / this */
  self: Set<string>;
  /** ruby: methods whose block is a loop body (arr.each do |x| ... end) */
  iterMethods: Set<string>;
  /** ruby: the last expression of a body is its value */
  implicitReturn: boolean;
}

const common = {
  ignoreFields: new Set(['type', 'return_type', 'result', 'type_parameters', 'type_arguments', 'decorator']),
};

const python: LangTable = {
  stmt: {
    function_definition: 'function',
    lambda: 'lambda',
    class_definition: 'class',
    decorated_definition: 'decorated',
    module: 'block',
    block: 'block',
    if_statement: 'if',
    while_statement: 'while',
    for_statement: 'for',
    match_statement: 'switch',
    try_statement: 'try',
    with_statement: 'with',
    return_statement: 'return',
    break_statement: 'break',
    continue_statement: 'continue',
    raise_statement: 'throw',
    assert_statement: 'assert',
    expression_statement: 'expr',
    delete_statement: 'expr',
    print_statement: 'expr',
    exec_statement: 'expr',
    import_statement: 'skip',
    import_from_statement: 'skip',
    future_import_statement: 'skip',
    pass_statement: 'skip',
    global_statement: 'skip',
    nonlocal_statement: 'skip',
    type_alias_statement: 'skip',
  },
  ident: new Set(['identifier']),
  member: new Set([]),
  literal: {
    integer: 'int', float: 'float', string: 'str', concatenated_string: 'str', true: 'bool', false: 'bool', none: 'null',
  },
  call: new Set(['call']),
  callee: ['function'],
  attr: { attribute: { name: 'attribute', object: 'object' } },
  defs: {
    assignment: ['left'],
    augmented_assignment: ['left'],
    for_statement: ['left'],
    for_in_clause: ['left'],
    named_expression: ['name'],
    as_pattern: ['alias'],
  },
  augmenting: new Set(['augmented_assignment']),
  params: new Set(['parameters', 'lambda_parameters']),
  ignore: new Set(['decorator', 'type', 'ellipsis']),
  ignoreFields: common.ignoreFields,
  collection: { list: 'list', tuple: 'list', set: 'list', dictionary: 'map' },
  ternary: new Set(['conditional_expression']),
  comprehension: new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']),
  index: { subscript: 'index', slice: 'slice' },
  self: new Set(['self']),
  iterMethods: new Set(),
  implicitReturn: false,
};

const ruby: LangTable = {
  stmt: {
    method: 'function',
    singleton_method: 'function',
    lambda: 'lambda',
    block: 'lambda',
    do_block: 'lambda',
    class: 'class',
    module: 'class',
    singleton_class: 'class',
    program: 'block',
    body_statement: 'block',
    then: 'block',
    do: 'block',
    begin_block: 'block',
    end_block: 'block',
    parenthesized_statements: 'block',
    block_body: 'block',
    if: 'if',
    unless: 'if',
    if_modifier: 'ifmod',
    unless_modifier: 'ifmod',
    while: 'while',
    until: 'while',
    while_modifier: 'ifmod',
    until_modifier: 'ifmod',
    for: 'for',
    case: 'switch',
    case_match: 'switch',
    begin: 'try',
    return: 'return',
    break: 'break',
    next: 'continue',
    redo: 'continue',
    retry: 'continue',
    rescue_modifier: 'expr',
    empty_statement: 'skip',
    undef: 'skip',
    alias: 'skip',
  },
  ident: new Set(['identifier']),
  member: new Set(['instance_variable', 'class_variable', 'global_variable', 'constant']),
  literal: {
    integer: 'int', float: 'float', rational: 'float', complex: 'float', string: 'str', string_array: 'list', symbol_array: 'list',
    simple_symbol: 'str', delimited_symbol: 'str', hash_key_symbol: 'str', character: 'str', chained_string: 'str',
    regex: 'str', heredoc_beginning: 'str', subshell: 'str', true: 'bool', false: 'bool', nil: 'null',
  },
  call: new Set(['call', 'super', 'yield']),
  callee: ['method'],
  attr: {},
  defs: {
    assignment: ['left'],
    operator_assignment: ['left'],
    for: ['pattern'],
    exception_variable: [''],
  },
  augmenting: new Set(['operator_assignment']),
  params: new Set(['method_parameters', 'block_parameters', 'lambda_parameters', 'parameters']),
  ignore: new Set([]),
  ignoreFields: common.ignoreFields,
  collection: { array: 'list', hash: 'map' },
  ternary: new Set(['conditional']),
  comprehension: new Set(),
  index: { element_reference: 'index' },
  self: new Set(['self']),
  iterMethods: new Set([
    'each', 'each_with_index', 'each_index', 'each_char', 'each_with_object', 'each_slice', 'each_cons', 'each_pair',
    'each_key', 'each_value', 'each_line', 'times', 'upto', 'downto', 'step', 'loop', 'each_byte', 'reverse_each',
  ]),
  implicitReturn: true,
};

const go: LangTable = {
  stmt: {
    function_declaration: 'function',
    method_declaration: 'function',
    func_literal: 'lambda',
    source_file: 'block',
    block: 'block',
    statement_list: 'block',
    if_statement: 'if',
    for_statement: 'for',
    expression_switch_statement: 'switch',
    type_switch_statement: 'switch',
    select_statement: 'switch',
    return_statement: 'return',
    break_statement: 'break',
    continue_statement: 'continue',
    goto_statement: 'continue',
    fallthrough_statement: 'skip',
    var_declaration: 'vardecl',
    const_declaration: 'vardecl',
    short_var_declaration: 'expr',
    assignment_statement: 'expr',
    inc_statement: 'expr',
    dec_statement: 'expr',
    expression_statement: 'expr',
    send_statement: 'expr',
    go_statement: 'expr',
    defer_statement: 'expr',
    labeled_statement: 'label',
    package_clause: 'skip',
    import_declaration: 'skip',
    type_declaration: 'skip',
    empty_statement: 'skip',
  },
  ident: new Set(['identifier']),
  member: new Set(['field_identifier', 'package_identifier']),
  literal: {
    int_literal: 'int', float_literal: 'float', imaginary_literal: 'float', interpreted_string_literal: 'str',
    raw_string_literal: 'str', rune_literal: 'str', true: 'bool', false: 'bool', nil: 'null', iota: 'int',
  },
  call: new Set(['call_expression']),
  callee: ['function'],
  attr: { selector_expression: { name: 'field', object: 'operand' } },
  defs: {
    short_var_declaration: ['left'],
    assignment_statement: ['left'],
    var_spec: ['name'],
    const_spec: ['name'],
    range_clause: ['left'],
    inc_statement: [''],
    dec_statement: [''],
    receive_statement: ['left'],
  },
  augmenting: new Set(['inc_statement', 'dec_statement']),
  params: new Set(['parameter_list']),
  ignore: new Set([
    'type_identifier', 'qualified_type', 'pointer_type', 'slice_type', 'array_type', 'map_type', 'channel_type',
    'function_type', 'struct_type', 'interface_type', 'generic_type', 'type_arguments', 'type_conversion_expression',
  ]),
  ignoreFields: common.ignoreFields,
  collection: { composite_literal: 'list' },
  ternary: new Set(),
  comprehension: new Set(),
  index: { index_expression: 'index', slice_expression: 'slice' },
  self: new Set(),
  iterMethods: new Set(),
  implicitReturn: false,
};

const javascript: LangTable = {
  stmt: {
    function_declaration: 'function',
    generator_function_declaration: 'function',
    method_definition: 'function',
    arrow_function: 'lambda',
    function_expression: 'lambda',
    function: 'lambda',
    generator_function: 'lambda',
    class_declaration: 'class',
    class: 'class',
    class_body: 'block',
    program: 'block',
    statement_block: 'block',
    if_statement: 'if',
    while_statement: 'while',
    do_statement: 'dowhile',
    for_statement: 'cfor',
    for_in_statement: 'for',
    switch_statement: 'switch',
    try_statement: 'try',
    return_statement: 'return',
    break_statement: 'break',
    continue_statement: 'continue',
    throw_statement: 'throw',
    lexical_declaration: 'vardecl',
    variable_declaration: 'vardecl',
    expression_statement: 'expr',
    labeled_statement: 'label',
    import_statement: 'skip',
    export_statement: 'block',
    empty_statement: 'skip',
    debugger_statement: 'skip',
    field_definition: 'expr',
    with_statement: 'with',
  },
  ident: new Set(['identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern']),
  member: new Set(['property_identifier', 'private_property_identifier']),
  literal: {
    number: 'num', string: 'str', template_string: 'str', regex: 'str', true: 'bool', false: 'bool', null: 'null', undefined: 'null',
  },
  call: new Set(['call_expression', 'new_expression']),
  callee: ['function', 'constructor'],
  attr: { member_expression: { name: 'property', object: 'object' } },
  defs: {
    variable_declarator: ['name'],
    assignment_expression: ['left'],
    augmented_assignment_expression: ['left'],
    update_expression: ['argument'],
    for_in_statement: ['left'],
    catch_clause: ['parameter'],
  },
  augmenting: new Set(['augmented_assignment_expression', 'update_expression']),
  params: new Set(['formal_parameters']),
  ignore: new Set(['decorator']),
  ignoreFields: common.ignoreFields,
  collection: { array: 'list', object: 'map' },
  ternary: new Set(['ternary_expression']),
  comprehension: new Set(),
  index: { subscript_expression: 'index' },
  self: new Set(['this']),
  iterMethods: new Set(),
  implicitReturn: false,
};

export const TABLES: Record<Lang, LangTable> = { python, ruby, go, javascript };

/**
 * A lookup table keyed by node type or token as a prototype-less object: the builder
 * reads these for nearly every syntax node, and most keys it asks for are absent. On a
 * prototype-less object (a hash table in V8) an absent key is one probe; on a plain
 * object literal it is a search of the object's layout and then of Object.prototype's.
 * The same answers: no node type or token of the four grammars is a name on
 * Object.prototype (test/lang/tables.test.ts).
 */
function lookupTable<V>(r: Record<string, V>): Record<string, V> {
  return Object.assign(Object.create(null) as Record<string, V>, r);
}

for (const t of Object.values(TABLES)) {
  t.stmt = lookupTable(t.stmt);
  t.literal = lookupTable(t.literal);
  t.attr = lookupTable(t.attr);
  t.defs = lookupTable(t.defs);
  t.collection = lookupTable(t.collection);
  t.index = lookupTable(t.index);
}

/**
 * Operator tokens, canonicalised across languages so that `&&` and `and` (or `===`
 * and `==`) carry the same label. Tokens absent here are not operators.
 */
export const OPERATORS: Record<string, string> = lookupTable({
  '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '**': 'pow', '//': '//',
  '==': '==', '===': '==', '!=': '!=', '!==': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=', '<=>': 'cmp',
  '&&': 'and', and: 'and', '||': 'or', or: 'or', '!': 'not', not: 'not',
  in: 'in', is: '==', '&': '&', '|': '|', '^': '^', '<<': '<<', '>>': '>>', '>>>': '>>', '~': '~', '&^': '&^',
  '??': 'or', '..': 'range', '...': 'range', '=~': 'match', '<-': 'recv', instanceof: 'isa', typeof: 'typeof',
  '+=': '+', '-=': '-', '*=': '*', '/=': '/', '%=': '%', '**=': 'pow', '//=': '//', '&=': '&', '|=': '|', '^=': '^',
  '<<=': '<<', '>>=': '>>', '||=': 'or', '&&=': 'and', '++': '+', '--': '-', '??=': 'or', '>>>=': '>>', '&^=': '&^',
});

/**
 * Names kept in labels are canonicalised: the same library operation spelled in four
 * languages maps to one name, so `len(x)`, `x.length`, `x.size` and Go's `len(x)` match.
 * Prototype-less, because its keys are user code's names: on a plain object a name like
 * `constructor` or `valueof` found Object.prototype's function instead of no synonym.
 */
export const SYNONYMS: Record<string, string> = lookupTable({
  length: 'len', size: 'len', len: 'len', count: 'count',
  push: 'append', append: 'append', push_back: 'append', add: 'append',
  print: 'print', puts: 'print', println: 'print', printf: 'print', p: 'print', log: 'log', console: '',
  str: 'str', to_s: 'str', tostring: 'str', string: 'str', sprint: 'str', sprintf: 'format', itoa: 'str', format: 'format',
  int: 'int', to_i: 'int', parseint: 'int', atoi: 'int', number: 'num', float: 'float', to_f: 'float', parsefloat: 'float',
  sorted: 'sort', sort: 'sort', ints: 'sort', strings: 'strings', sort_by: 'sort', slice: 'slice', slicestable: 'sort',
  reversed: 'reverse', reverse: 'reverse',
  strip: 'strip', trim: 'strip', trimspace: 'strip', lower: 'lower', tolowercase: 'lower', downcase: 'lower', tolower: 'lower',
  upper: 'upper', touppercase: 'upper', upcase: 'upper', toupper: 'upper',
  startswith: 'startswith', start_with: 'startswith', hasprefix: 'startswith', endswith: 'endswith', end_with: 'endswith', hassuffix: 'endswith',
  includes: 'contains', include: 'contains', contains: 'contains', has: 'contains', indexof: 'index', index: 'index', find: 'find',
  filter: 'filter', select: 'filter', map: 'map', collect: 'map', reduce: 'reduce', inject: 'reduce',
  some: 'any', any: 'any', every: 'all', all: 'all', each_with_index: 'enumerate', enumerate: 'enumerate', entries: 'enumerate',
  keys: 'keys', values: 'values', items: 'items', abs: 'abs', max: 'max', min: 'min', sqrt: 'sqrt', pow: 'pow',
  floor: 'floor', ceil: 'ceil', round: 'round', sum: 'sum', join: 'join', split: 'split', chars: 'chars', range: 'range',
  math: 'math', zip: 'zip', set: 'set', list: 'list', array: 'list', dict: 'map', hash: 'map', make: 'make', new: 'new',
  isdigit: 'isdigit', isalpha: 'isalpha', replace: 'replace', replaceall: 'replace', gsub: 'replace', sub: 'replace',
  pop: 'pop', shift: 'popfront', unshift: 'pushfront', insert: 'insert', concat: 'concat', extend: 'concat',
  fromcharcode: 'chr', chr: 'chr', ord: 'ord', charcodeat: 'ord', tochar: 'chr', isinteger: 'isint', mod: '%',
  nil: 'null', empty: 'empty', isempty: 'empty',
});
