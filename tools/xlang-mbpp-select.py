# The seeded selection of the xlang-mbpp set (assets/xlang-mbpp): the coordinator's script,
# unchanged in its rules. From sanitized MBPP, keep the problems with one top-level function,
# no imports, >= 3 lines, and every test of the form `assert name(literal args) == literal`
# with JSON-expressible homogeneous literals; shuffle with random.Random(2611); the first 50
# (sorted) are the tune split, the next 50 (sorted) the held split, the 50 after those
# (sorted) the tune2 split (a second tuning split by other hands, added after the fourth
# round of rules had been read off tune), the 50 after those (sorted) the held2 split (a
# second held-out split, translated during the fifth round and scored once after it), and
# the remaining 35 (sorted) the held3 split (a third held-out split, translated during the
# sixth round and scored once after it).
# Usage: python3 tools/xlang-mbpp-select.py [MBPP_JSON] [--check]
#   prints the count and the five id lists; --check exits 1 unless they equal
#   assets/xlang-mbpp/split.json.
import json, ast, random, os, sys
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = [a for a in sys.argv[1:] if a != '--check']
path = args[0] if args else os.path.join(root, '..', 'shared', 'datasets', 'sanitized-mbpp.json')
rows = json.load(open(path))
def jsonable(node):
    try: v = ast.literal_eval(node)
    except Exception: return False
    def ok(x):
        if isinstance(x, bool) or x is None: return x is not None
        if isinstance(x, (int, str)): return True
        if isinstance(x, float): return True
        if isinstance(x, (list, tuple)): return all(ok(y) for y in x) and len(set(type(y).__name__ for y in x)) <= 1
        return False
    return ok(v)
good = []
for r in rows:
    if r['test_imports']: continue
    try: tree = ast.parse(r['code'])
    except Exception: continue
    fns = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if len(fns) != 1: continue
    if any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(tree)): continue
    name = fns[0].name
    nl = len(r['code'].strip().splitlines())
    if nl < 3: continue
    okall = True
    for t in r['test_list']:
        try: a = ast.parse(t).body[0]
        except Exception: okall = False; break
        if not (isinstance(a, ast.Assert) and isinstance(a.test, ast.Compare) and isinstance(a.test.ops[0], ast.Eq)): okall=False; break
        call = a.test.left
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == name): okall=False; break
        if call.keywords or not all(jsonable(x) for x in call.args) or not jsonable(a.test.comparators[0]): okall=False; break
    if okall: good.append(r['task_id'])
print(len(good))
random.Random(2611).shuffle(good)
tune, held, tune2, held2, held3 = sorted(good[:50]), sorted(good[50:100]), sorted(good[100:150]), sorted(good[150:200]), sorted(good[200:])
print('tune', tune); print('held', held); print('tune2', tune2); print('held2', held2); print('held3', held3)
if '--check' in sys.argv[1:]:
    want = json.load(open(os.path.join(root, 'assets', 'xlang-mbpp', 'split.json')))
    same = want == {'tune': tune, 'held': held, 'tune2': tune2, 'held2': held2, 'held3': held3}
    print('split.json', 'matches' if same else 'DIFFERS')
    sys.exit(0 if same else 1)
