/**
 * Differential tests of src/python/semantics.ts against CPython.
 *
 * Every expected value below was obtained by running the same expression in CPython 3.11.7
 * (`python3`, Unicode 14.0) by hand and is written here as a literal: the tests never run Python.
 * Rows are [inputs..., expected]; an expected `{ raises, msg }` is the exception CPython raised,
 * `{ v }` the value it returned. Generated from the interpreter's output, so spellings such as
 * "\u00df" are the escapes of the exact strings Python produced.
 */
import { describe, expect, it } from 'vitest';
import type { Json, PyType } from '../src/ast/types.js';
import {
  PyError,
  pyCasefold,
  pyCompare,
  pyEq,
  pyFloat,
  pyFloatRepr,
  pyFnmatch,
  pyIn,
  pyInt,
  pyIsInstance,
  pyLen,
  pyLower,
  pyReplace,
  pyRepr,
  pyReTest,
  pyRsplit,
  pySplit,
  pyStr,
  pyStrip,
  pyTruthy,
  pyUpper,
  type OrderOp,
} from '../src/python/semantics.js';
import { evalAtomOn, pyEq as missingEq, pyIsInstance as missingIsInstance, pyTruthy as missingTruthy } from '../src/targets/common/missing.js';
import type { Atom } from '../src/targets/common/nnf.js';

type Out = { v: unknown } | { float: string } | { raises: string; msg: string };

/** What the call returned or raised, in the shape the rows use. */
function run(f: () => unknown): Out {
  try {
    const v = f();
    if (typeof v === 'number' && !Number.isFinite(v)) return { float: Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf' };
    return { v };
  } catch (e) {
    if (!(e instanceof PyError)) throw e;
    return { raises: e.type, msg: e.message };
  }
}

// --- checked against CPython 3.11: bool(v)
const TRUTHY: [Json, boolean][] = [
  [null, false],
  [false, false],
  [true, true],
  [0, false],
  [0.0, false],
  [-0.0, false],
  [1, true],
  [-1, true],
  [0.5, true],
  ["", false],
  [" ", true],
  ["0", true],
  ["False", true],
  [[], false],
  [[0], true],
  [[null], true],
  [{}, false],
  [{"": null}, true],
];

// --- checked against CPython 3.11: a == b (dict key order, [1] == [True], 1 == 1.0 == True)
const EQ: [Json, Json, boolean][] = [
  [1, 1.0, true],
  [1, true, true],
  [0, false, true],
  [2, true, false],
  [1.0, true, true],
  ["1", 1, false],
  ["True", true, false],
  [null, null, true],
  [null, 0, false],
  [null, "", false],
  [null, false, false],
  [[1], [true], true],
  [[1, "a"], [1.0, "a"], true],
  [{"a": 1, "b": 2}, {"b": 2, "a": 1}, true],
  [{"a": [1, {"x": null}]}, {"a": [true, {"x": null}]}, true],
  [[1, 2], [2, 1], false],
  ["", [], false],
  [[], {}, false],
  [[[]], [{}], false],
  [{"a": null}, {}, false],
  [{}, {"a": null}, false],
  [{"a": 1}, {"a": 1, "b": 2}, false],
  ["a", "a", true],
  ["\u00e9", "\u00e9", true],
  ["e\u0301", "\u00e9", false],
  [[null], [null], true],
  [{"constructor": 1}, {"toString": 1}, false],
  [{"a": 0}, {"a": false}, true],
  [0.30000000000000004, 0.3, false],
  [[0], [false, null], false],
];

// --- checked against CPython 3.11: a < b, a <= b, a > b, a >= b
const ORDER: [OrderOp, Json, Json, Out][] = [
  ["lt", 1, 2, {"v": true}],
  ["le", 1, 2, {"v": true}],
  ["gt", 1, 2, {"v": false}],
  ["ge", 1, 2, {"v": false}],
  ["lt", 2, 1.5, {"v": false}],
  ["le", 2, 1.5, {"v": false}],
  ["gt", 2, 1.5, {"v": true}],
  ["ge", 2, 1.5, {"v": true}],
  ["lt", true, 2, {"v": true}],
  ["le", true, 2, {"v": true}],
  ["gt", true, 2, {"v": false}],
  ["ge", true, 2, {"v": false}],
  ["lt", false, 0, {"v": false}],
  ["le", false, 0, {"v": true}],
  ["gt", false, 0, {"v": false}],
  ["ge", false, 0, {"v": true}],
  ["lt", true, 1, {"v": false}],
  ["le", true, 1, {"v": true}],
  ["gt", true, 1, {"v": false}],
  ["ge", true, 1, {"v": true}],
  ["lt", 1.0, 1, {"v": false}],
  ["le", 1.0, 1, {"v": true}],
  ["gt", 1.0, 1, {"v": false}],
  ["ge", 1.0, 1, {"v": true}],
  ["lt", "Z", "a", {"v": true}],
  ["le", "Z", "a", {"v": true}],
  ["gt", "Z", "a", {"v": false}],
  ["ge", "Z", "a", {"v": false}],
  ["lt", "a", "ab", {"v": true}],
  ["le", "a", "ab", {"v": true}],
  ["gt", "a", "ab", {"v": false}],
  ["ge", "a", "ab", {"v": false}],
  ["lt", "", "", {"v": false}],
  ["le", "", "", {"v": true}],
  ["gt", "", "", {"v": false}],
  ["ge", "", "", {"v": true}],
  ["lt", "\uffff", "\ud83d\ude00", {"v": true}],
  ["le", "\uffff", "\ud83d\ude00", {"v": true}],
  ["gt", "\uffff", "\ud83d\ude00", {"v": false}],
  ["ge", "\uffff", "\ud83d\ude00", {"v": false}],
  ["lt", "b", "abc", {"v": false}],
  ["le", "b", "abc", {"v": false}],
  ["gt", "b", "abc", {"v": true}],
  ["ge", "b", "abc", {"v": true}],
  ["lt", [1, 2], [1, 3], {"v": true}],
  ["le", [1, 2], [1, 3], {"v": true}],
  ["gt", [1, 2], [1, 3], {"v": false}],
  ["ge", [1, 2], [1, 3], {"v": false}],
  ["lt", [1, 2], [1, 2], {"v": false}],
  ["le", [1, 2], [1, 2], {"v": true}],
  ["gt", [1, 2], [1, 2], {"v": false}],
  ["ge", [1, 2], [1, 2], {"v": true}],
  ["lt", [1], [1, 0], {"v": true}],
  ["le", [1], [1, 0], {"v": true}],
  ["gt", [1], [1, 0], {"v": false}],
  ["ge", [1], [1, 0], {"v": false}],
  ["lt", [], [], {"v": false}],
  ["le", [], [], {"v": true}],
  ["gt", [], [], {"v": false}],
  ["ge", [], [], {"v": true}],
  ["lt", [1, "a"], [1, 2], {"raises": "TypeError", "msg": "'<' not supported between instances of 'str' and 'int'"}],
  ["le", [1, "a"], [1, 2], {"raises": "TypeError", "msg": "'<=' not supported between instances of 'str' and 'int'"}],
  ["gt", [1, "a"], [1, 2], {"raises": "TypeError", "msg": "'>' not supported between instances of 'str' and 'int'"}],
  ["ge", [1, "a"], [1, 2], {"raises": "TypeError", "msg": "'>=' not supported between instances of 'str' and 'int'"}],
  ["lt", [1], [1, "a"], {"v": true}],
  ["le", [1], [1, "a"], {"v": true}],
  ["gt", [1], [1, "a"], {"v": false}],
  ["ge", [1], [1, "a"], {"v": false}],
  ["lt", [0, "a"], [1, 2], {"v": true}],
  ["le", [0, "a"], [1, 2], {"v": true}],
  ["gt", [0, "a"], [1, 2], {"v": false}],
  ["ge", [0, "a"], [1, 2], {"v": false}],
  ["lt", [true], [1], {"v": false}],
  ["le", [true], [1], {"v": true}],
  ["gt", [true], [1], {"v": false}],
  ["ge", [true], [1], {"v": true}],
  ["lt", null, 1, {"raises": "TypeError", "msg": "'<' not supported between instances of 'NoneType' and 'int'"}],
  ["le", null, 1, {"raises": "TypeError", "msg": "'<=' not supported between instances of 'NoneType' and 'int'"}],
  ["gt", null, 1, {"raises": "TypeError", "msg": "'>' not supported between instances of 'NoneType' and 'int'"}],
  ["ge", null, 1, {"raises": "TypeError", "msg": "'>=' not supported between instances of 'NoneType' and 'int'"}],
  ["lt", 1, null, {"raises": "TypeError", "msg": "'<' not supported between instances of 'int' and 'NoneType'"}],
  ["le", 1, null, {"raises": "TypeError", "msg": "'<=' not supported between instances of 'int' and 'NoneType'"}],
  ["gt", 1, null, {"raises": "TypeError", "msg": "'>' not supported between instances of 'int' and 'NoneType'"}],
  ["ge", 1, null, {"raises": "TypeError", "msg": "'>=' not supported between instances of 'int' and 'NoneType'"}],
  ["lt", null, null, {"raises": "TypeError", "msg": "'<' not supported between instances of 'NoneType' and 'NoneType'"}],
  ["le", null, null, {"raises": "TypeError", "msg": "'<=' not supported between instances of 'NoneType' and 'NoneType'"}],
  ["gt", null, null, {"raises": "TypeError", "msg": "'>' not supported between instances of 'NoneType' and 'NoneType'"}],
  ["ge", null, null, {"raises": "TypeError", "msg": "'>=' not supported between instances of 'NoneType' and 'NoneType'"}],
  ["lt", "a", 1, {"raises": "TypeError", "msg": "'<' not supported between instances of 'str' and 'int'"}],
  ["le", "a", 1, {"raises": "TypeError", "msg": "'<=' not supported between instances of 'str' and 'int'"}],
  ["gt", "a", 1, {"raises": "TypeError", "msg": "'>' not supported between instances of 'str' and 'int'"}],
  ["ge", "a", 1, {"raises": "TypeError", "msg": "'>=' not supported between instances of 'str' and 'int'"}],
  ["lt", 1, "a", {"raises": "TypeError", "msg": "'<' not supported between instances of 'int' and 'str'"}],
  ["le", 1, "a", {"raises": "TypeError", "msg": "'<=' not supported between instances of 'int' and 'str'"}],
  ["gt", 1, "a", {"raises": "TypeError", "msg": "'>' not supported between instances of 'int' and 'str'"}],
  ["ge", 1, "a", {"raises": "TypeError", "msg": "'>=' not supported between instances of 'int' and 'str'"}],
  ["lt", {}, {}, {"raises": "TypeError", "msg": "'<' not supported between instances of 'dict' and 'dict'"}],
  ["le", {}, {}, {"raises": "TypeError", "msg": "'<=' not supported between instances of 'dict' and 'dict'"}],
  ["gt", {}, {}, {"raises": "TypeError", "msg": "'>' not supported between instances of 'dict' and 'dict'"}],
  ["ge", {}, {}, {"raises": "TypeError", "msg": "'>=' not supported between instances of 'dict' and 'dict'"}],
  ["lt", [1], 1, {"raises": "TypeError", "msg": "'<' not supported between instances of 'list' and 'int'"}],
  ["le", [1], 1, {"raises": "TypeError", "msg": "'<=' not supported between instances of 'list' and 'int'"}],
  ["gt", [1], 1, {"raises": "TypeError", "msg": "'>' not supported between instances of 'list' and 'int'"}],
  ["ge", [1], 1, {"raises": "TypeError", "msg": "'>=' not supported between instances of 'list' and 'int'"}],
  ["lt", "a", ["a"], {"raises": "TypeError", "msg": "'<' not supported between instances of 'str' and 'list'"}],
  ["le", "a", ["a"], {"raises": "TypeError", "msg": "'<=' not supported between instances of 'str' and 'list'"}],
  ["gt", "a", ["a"], {"raises": "TypeError", "msg": "'>' not supported between instances of 'str' and 'list'"}],
  ["ge", "a", ["a"], {"raises": "TypeError", "msg": "'>=' not supported between instances of 'str' and 'list'"}],
  ["lt", [{}], [{}], {"v": false}],
  ["le", [{}], [{}], {"v": true}],
  ["gt", [{}], [{}], {"v": false}],
  ["ge", [{}], [{}], {"v": true}],
  ["lt", [{}], [1], {"raises": "TypeError", "msg": "'<' not supported between instances of 'dict' and 'int'"}],
  ["le", [{}], [1], {"raises": "TypeError", "msg": "'<=' not supported between instances of 'dict' and 'int'"}],
  ["gt", [{}], [1], {"raises": "TypeError", "msg": "'>' not supported between instances of 'dict' and 'int'"}],
  ["ge", [{}], [1], {"raises": "TypeError", "msg": "'>=' not supported between instances of 'dict' and 'int'"}],
  ["lt", [[1, 2]], [[1, 3]], {"v": true}],
  ["le", [[1, 2]], [[1, 3]], {"v": true}],
  ["gt", [[1, 2]], [[1, 3]], {"v": false}],
  ["ge", [[1, 2]], [[1, 3]], {"v": false}],
];

// --- checked against CPython 3.11: needle in hay (substring, element, key)
const IN: [Json, Json, Out][] = [
  ["a", "abc", {"v": true}],
  ["", "abc", {"v": true}],
  ["", "", {"v": true}],
  ["bc", "abc", {"v": true}],
  ["A", "abc", {"v": false}],
  [1, "abc", {"raises": "TypeError", "msg": "'in <string>' requires string as left operand, not int"}],
  [null, "abc", {"raises": "TypeError", "msg": "'in <string>' requires string as left operand, not NoneType"}],
  [["a"], "abc", {"raises": "TypeError", "msg": "'in <string>' requires string as left operand, not list"}],
  [1, [true], {"v": true}],
  [true, [1.0], {"v": true}],
  [[1], [[true]], {"v": true}],
  [{"a": 1}, [{"a": true}], {"v": true}],
  [null, [null], {"v": true}],
  ["ab", ["abc"], {"v": false}],
  ["a", [], {"v": false}],
  ["a", {"a": 1}, {"v": true}],
  ["A", {"a": 1}, {"v": false}],
  [1, {"1": 1}, {"v": false}],
  [null, {"a": 1}, {"v": false}],
  [[1], {"a": 1}, {"raises": "TypeError", "msg": "unhashable type: 'list'"}],
  [{}, {"a": 1}, {"raises": "TypeError", "msg": "unhashable type: 'dict'"}],
  ["constructor", {}, {"v": false}],
  ["a", null, {"raises": "TypeError", "msg": "argument of type 'NoneType' is not iterable"}],
  ["a", 1, {"raises": "TypeError", "msg": "argument of type 'int' is not iterable"}],
  ["a", true, {"raises": "TypeError", "msg": "argument of type 'bool' is not iterable"}],
  [1, 1.5, {"raises": "TypeError", "msg": "argument of type 'float' is not iterable"}],
];

// --- checked against CPython 3.11: isinstance(v, t) (t: str int float bool list dict type(None))
const ISINSTANCE: [Json, PyType, boolean][] = [
  [null, "str", false],
  [null, "int", false],
  [null, "float", false],
  [null, "bool", false],
  [null, "list", false],
  [null, "dict", false],
  [null, "none", true],
  [true, "str", false],
  [true, "int", true],
  [true, "float", false],
  [true, "bool", true],
  [true, "list", false],
  [true, "dict", false],
  [true, "none", false],
  [false, "str", false],
  [false, "int", true],
  [false, "float", false],
  [false, "bool", true],
  [false, "list", false],
  [false, "dict", false],
  [false, "none", false],
  [0, "str", false],
  [0, "int", true],
  [0, "float", false],
  [0, "bool", false],
  [0, "list", false],
  [0, "dict", false],
  [0, "none", false],
  [1, "str", false],
  [1, "int", true],
  [1, "float", false],
  [1, "bool", false],
  [1, "list", false],
  [1, "dict", false],
  [1, "none", false],
  [-3, "str", false],
  [-3, "int", true],
  [-3, "float", false],
  [-3, "bool", false],
  [-3, "list", false],
  [-3, "dict", false],
  [-3, "none", false],
  [1.5, "str", false],
  [1.5, "int", false],
  [1.5, "float", true],
  [1.5, "bool", false],
  [1.5, "list", false],
  [1.5, "dict", false],
  [1.5, "none", false],
  ["", "str", true],
  ["", "int", false],
  ["", "float", false],
  ["", "bool", false],
  ["", "list", false],
  ["", "dict", false],
  ["", "none", false],
  ["x", "str", true],
  ["x", "int", false],
  ["x", "float", false],
  ["x", "bool", false],
  ["x", "list", false],
  ["x", "dict", false],
  ["x", "none", false],
  [[], "str", false],
  [[], "int", false],
  [[], "float", false],
  [[], "bool", false],
  [[], "list", true],
  [[], "dict", false],
  [[], "none", false],
  [[1], "str", false],
  [[1], "int", false],
  [[1], "float", false],
  [[1], "bool", false],
  [[1], "list", true],
  [[1], "dict", false],
  [[1], "none", false],
  [{}, "str", false],
  [{}, "int", false],
  [{}, "float", false],
  [{}, "bool", false],
  [{}, "list", false],
  [{}, "dict", true],
  [{}, "none", false],
  [{"a": 1}, "str", false],
  [{"a": 1}, "int", false],
  [{"a": 1}, "float", false],
  [{"a": 1}, "bool", false],
  [{"a": 1}, "list", false],
  [{"a": 1}, "dict", true],
  [{"a": 1}, "none", false],
];

// --- checked against CPython 3.11: [s, s.lower(), s.upper(), s.casefold()]
const CASE: [string, string, string, string][] = [
  ["Stra\u00dfe", "stra\u00dfe", "STRASSE", "strasse"],
  ["\u00df", "\u00df", "SS", "ss"],
  ["\u1e9e", "\u00df", "\u1e9e", "ss"],
  ["STRASSE", "strasse", "STRASSE", "strasse"],
  ["\u0130stanbul", "i\u0307stanbul", "\u0130STANBUL", "i\u0307stanbul"],
  ["\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2", "\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c3"],
  ["\u03a3\u0391\u03a3 \u03a3\u039f\u03a3.", "\u03c3\u03b1\u03c2 \u03c3\u03bf\u03c2.", "\u03a3\u0391\u03a3 \u03a3\u039f\u03a3.", "\u03c3\u03b1\u03c3 \u03c3\u03bf\u03c3."],
  ["\u03c3\u03c2", "\u03c3\u03c2", "\u03a3\u03a3", "\u03c3\u03c3"],
  ["\ufb01le", "\ufb01le", "FILE", "file"],
  ["\ufb00", "\ufb00", "FF", "ff"],
  ["\u0131", "\u0131", "I", "\u0131"],
  ["I", "i", "I", "i"],
  ["\u13a0\uab70\u13f8", "\uab70\uab70\u13f8", "\u13a0\u13a0\u13f0", "\u13a0\u13a0\u13f0"],
  ["\u01c5", "\u01c6", "\u01c4", "\u01c6"],
  ["MiXeD 123", "mixed 123", "MIXED 123", "mixed 123"],
  ["\u00b5", "\u00b5", "\u039c", "\u03bc"],
  ["\u017f", "\u017f", "S", "s"],
  ["\u0149", "\u0149", "\u02bcN", "\u02bcn"],
  ["\u1f88", "\u1f80", "\u1f08\u0399", "\u1f00\u03b9"],
  ["\u0390", "\u0390", "\u0399\u0308\u0301", "\u03b9\u0308\u0301"],
  ["K", "k", "K", "k"],
  ["\u00c5", "\u00e5", "\u00c5", "\u00e5"],
  ["\u01f0", "\u01f0", "J\u030c", "j\u030c"],
  ["\u03a9", "\u03c9", "\u03a9", "\u03c9"],
  ["", "", "", ""],
];

// --- checked against CPython 3.11: [s, chars, s.strip(chars), s.lstrip(chars), s.rstrip(chars)]
const STRIP: [string, string | null, string, string, string][] = [
  ["  a b  ", null, "a b", "a b  ", "  a b"],
  ["\ufeffa", null, "\ufeffa", "\ufeffa", "\ufeffa"],
  ["\u001ca\u0085", null, "a", "a\u0085", "\u001ca"],
  ["\u200ba\u200b", null, "\u200ba\u200b", "\u200ba\u200b", "\u200ba\u200b"],
  ["\u00a0a\u3000\u2028", null, "a", "a\u3000\u2028", "\u00a0a"],
  ["\t\n\u000b\f\ra\r\n", null, "a", "a\r\n", "\t\n\u000b\f\ra"],
  ["", null, "", "", ""],
  ["   ", null, "", "", ""],
  ["xxaxx", "x", "a", "axx", "xxa"],
  ["abcba", "ab", "c", "cba", "abc"],
  ["\ud83d\ude00a\ud83d\ude00", "\ud83d\ude00", "a", "a\ud83d\ude00", "\ud83d\ude00a"],
  ["aaa", "", "aaa", "aaa", "aaa"],
  [" a ", " ", "a", "a ", " a"],
];

// --- checked against CPython 3.11: [s, sep, maxsplit, s.split(sep, maxsplit), s.rsplit(sep, maxsplit)]
const SPLIT: [string, string | null, number, Out, Out][] = [
  [" a  b  c ", null, -1, {"v": ["a", "b", "c"]}, {"v": ["a", "b", "c"]}],
  [" a  b  c ", null, 1, {"v": ["a", "b  c "]}, {"v": [" a  b", "c"]}],
  [" a  b  c ", null, 0, {"v": ["a  b  c "]}, {"v": [" a  b  c"]}],
  [" a  b  c ", null, 2, {"v": ["a", "b", "c "]}, {"v": [" a", "b", "c"]}],
  ["a\u3000b\u200bc", null, -1, {"v": ["a", "b\u200bc"]}, {"v": ["a", "b\u200bc"]}],
  ["", null, -1, {"v": []}, {"v": []}],
  ["   ", null, -1, {"v": []}, {"v": []}],
  ["\u001ca\u001db", null, -1, {"v": ["a", "b"]}, {"v": ["a", "b"]}],
  ["a,b,,c", ",", -1, {"v": ["a", "b", "", "c"]}, {"v": ["a", "b", "", "c"]}],
  ["a,b,c", ",", 1, {"v": ["a", "b,c"]}, {"v": ["a,b", "c"]}],
  ["a,b,c", ",", 0, {"v": ["a,b,c"]}, {"v": ["a,b,c"]}],
  ["", ",", -1, {"v": [""]}, {"v": [""]}],
  ["a::b::c", "::", 1, {"v": ["a", "b::c"]}, {"v": ["a::b", "c"]}],
  ["aaa", "aa", -1, {"v": ["", "a"]}, {"v": ["a", ""]}],
  ["a,b", "", -1, {"raises": "ValueError", "msg": "empty separator"}, {"raises": "ValueError", "msg": "empty separator"}],
  [",a,", ",", -1, {"v": ["", "a", ""]}, {"v": ["", "a", ""]}],
  ["a,b,c", ",", 5, {"v": ["a", "b", "c"]}, {"v": ["a", "b", "c"]}],
];

// --- checked against CPython 3.11: [s, old, new, s.replace(old, new)]
const REPLACE: [string, string, string, string][] = [
  ["abc", "", "-", "-a-b-c-"],
  ["\u00e9\ud83d\ude00", "", "-", "-\u00e9-\ud83d\ude00-"],
  ["aaa", "a", "b", "bbb"],
  ["aaaa", "aa", "x", "xx"],
  ["", "", "x", "x"],
  ["abc", "d", "x", "abc"],
];

// --- checked against CPython 3.11: [v, str(v), repr(v)] (ints, None, bools, str, containers)
const STR: [Json, string, string][] = [
  [null, "None", "None"],
  [true, "True", "True"],
  [false, "False", "False"],
  [0, "0", "0"],
  [1, "1", "1"],
  [-5, "-5", "-5"],
  [1000000000000000000000, "1000000000000000000000", "1000000000000000000000"],
  ["abc", "abc", "'abc'"],
  [[1, "a"], "[1, 'a']", "[1, 'a']"],
  [{"a": [null, true]}, "{'a': [None, True]}", "{'a': [None, True]}"],
  [["it's"], "[\"it's\"]", "[\"it's\"]"],
  [["a\"b"], "['a\"b']", "['a\"b']"],
  [["it's \"x\""], "['it\\'s \"x\"']", "['it\\'s \"x\"']"],
  [["a\nb\t\\"], "['a\\nb\\t\\\\']", "['a\\nb\\t\\\\']"],
  [["\u00e9", "\u0000", "\u200b", "\ud83d\ude00", "\u007f", "\u0085", "\u00a0", "\u3000", "\ud7ff", "\ue000", "\udb40\udc01", "\u0378"], "['\u00e9', '\\x00', '\\u200b', '\ud83d\ude00', '\\x7f', '\\x85', '\\xa0', '\\u3000', '\\ud7ff', '\\ue000', '\\U000e0001', '\\u0378']", "['\u00e9', '\\x00', '\\u200b', '\ud83d\ude00', '\\x7f', '\\x85', '\\xa0', '\\u3000', '\\ud7ff', '\\ue000', '\\U000e0001', '\\u0378']"],
  [[1.5, 1e-07], "[1.5, 1e-07]", "[1.5, 1e-07]"],
  [{"k": {"n": {}}}, "{'k': {'n': {}}}", "{'k': {'n': {}}}"],
  [{"it's": "x"}, "{\"it's\": 'x'}", "{\"it's\": 'x'}"],
];

// --- checked against CPython 3.11: [f, repr(f)] for floats (str(f) is the same)
const FLOAT_REPR: [number | { float: string }, string][] = [
  [1.5, "1.5"],
  [0.1, "0.1"],
  [1e-07, "1e-07"],
  [1e-05, "1e-05"],
  [0.0001, "0.0001"],
  [1e+16, "1e+16"],
  [1000000000000000.0, "1000000000000000.0"],
  [123456789012345.6, "123456789012345.6"],
  [2.5e-10, "2.5e-10"],
  [1e+300, "1e+300"],
  [-0.0, "-0.0"],
  [0.0, "0.0"],
  [1.0, "1.0"],
  [-2.0, "-2.0"],
  [5e-324, "5e-324"],
  [1.7976931348623157e+308, "1.7976931348623157e+308"],
  [0.30000000000000004, "0.30000000000000004"],
  [{"float": "inf"}, "inf"],
  [{"float": "-inf"}, "-inf"],
  [{"float": "nan"}, "nan"],
];

// --- checked against CPython 3.11: [v, int(v)]
const INT: [Json, Out][] = [
  [" 12 ", {"v": 12}],
  ["+7", {"v": 7}],
  ["-0", {"v": 0}],
  ["1_000", {"v": 1000}],
  ["1__000", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '1__000'"}],
  ["_1", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '_1'"}],
  ["1_", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '1_'"}],
  ["0x10", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '0x10'"}],
  ["1.5", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '1.5'"}],
  ["", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: ''"}],
  [" ", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: ' '"}],
  ["\u0661\u0662", {"v": 12}],
  ["\u3000 12\u001c", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '\\u3000 12\\x1c'"}],
  ["\ufeff12", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '\\ufeff12'"}],
  ["007", {"v": 7}],
  ["12e3", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '12e3'"}],
  ["+ 1", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '+ 1'"}],
  ["--1", {"raises": "ValueError", "msg": "invalid literal for int() with base 10: '--1'"}],
  ["\u0663_\u0663", {"v": 33}],
  [3.9, {"v": 3}],
  [-3.9, {"v": -3}],
  [true, {"v": 1}],
  [false, {"v": 0}],
  [null, {"raises": "TypeError", "msg": "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"}],
  [[1], {"raises": "TypeError", "msg": "int() argument must be a string, a bytes-like object or a real number, not 'list'"}],
  [1e+20, {"v": 100000000000000000000}],
];

// --- checked against CPython 3.11: [v, float(v)]
const FLOAT: [Json, Out][] = [
  ["1e3", {"v": 1000.0}],
  [" 1.5 ", {"v": 1.5}],
  [".5", {"v": 0.5}],
  ["5.", {"v": 5.0}],
  ["1_000.5", {"v": 1000.5}],
  ["1__0", {"raises": "ValueError", "msg": "could not convert string to float: '1__0'"}],
  ["_1", {"raises": "ValueError", "msg": "could not convert string to float: '_1'"}],
  ["inf", {"float": "inf"}],
  ["-Infinity", {"float": "-inf"}],
  ["nan", {"float": "nan"}],
  ["+nan", {"float": "nan"}],
  ["iNF", {"float": "inf"}],
  ["infinity ", {"float": "inf"}],
  ["infinit", {"raises": "ValueError", "msg": "could not convert string to float: 'infinit'"}],
  ["1e", {"raises": "ValueError", "msg": "could not convert string to float: '1e'"}],
  ["e3", {"raises": "ValueError", "msg": "could not convert string to float: 'e3'"}],
  ["1_e3", {"raises": "ValueError", "msg": "could not convert string to float: '1_e3'"}],
  ["1e1_0", {"v": 10000000000.0}],
  ["0x10", {"raises": "ValueError", "msg": "could not convert string to float: '0x10'"}],
  ["\u0661.\u0665", {"v": 1.5}],
  ["", {"raises": "ValueError", "msg": "could not convert string to float: ''"}],
  ["+.5e-2", {"v": 0.005}],
  ["1.e5", {"v": 100000.0}],
  ["1e+3", {"v": 1000.0}],
  [" -1E-3\n", {"v": -0.001}],
  ["\ufeff1", {"raises": "ValueError", "msg": "could not convert string to float: '\\ufeff1'"}],
  [true, {"v": 1.0}],
  [3, {"v": 3.0}],
  [null, {"raises": "TypeError", "msg": "float() argument must be a string or a real number, not 'NoneType'"}],
  [[1], {"raises": "TypeError", "msg": "float() argument must be a string or a real number, not 'list'"}],
  ["\u0661_\u0660", {"v": 10.0}],
];

// --- checked against CPython 3.11: [v, len(v)]
const LEN: [Json, Out][] = [
  ["abc", {"v": 3}],
  ["\ud83d\ude00", {"v": 1}],
  ["e\u0301", {"v": 2}],
  ["", {"v": 0}],
  [[1, 2], {"v": 2}],
  [{"a": 1}, {"v": 1}],
  [[], {"v": 0}],
  [null, {"raises": "TypeError", "msg": "object of type 'NoneType' has no len()"}],
  [1, {"raises": "TypeError", "msg": "object of type 'int' has no len()"}],
  [true, {"raises": "TypeError", "msg": "object of type 'bool' has no len()"}],
  [1.5, {"raises": "TypeError", "msg": "object of type 'float' has no len()"}],
];

// --- checked against CPython 3.11: [pattern, s, flags, re.search/match/fullmatch, matched]
const RE: [string, string, string, 'search' | 'match' | 'fullmatch', boolean][] = [
  ["b", "abc", "", "search", true],
  ["b", "abc", "", "match", false],
  ["a|ab", "ab", "", "fullmatch", true],
  ["a|ab", "abc", "", "fullmatch", false],
  ["^b", "a\nb", "", "search", false],
  ["^b", "a\nb", "m", "search", true],
  ["\\d", "\u0661", "", "search", true],
  ["^\\w+$", "\u00e9t\u00e9", "", "search", true],
  ["a$", "a\n", "", "search", true],
  ["a\\Z", "a\n", "", "search", false],
  ["(?i)STRASSE", "strasse", "", "search", true],
  ["x", "X", "i", "search", true],
  ["a.b", "a\nb", "", "search", false],
  ["a.b", "a\nb", "s", "search", true],
  ["\\s", "\u001c", "", "search", true],
  ["\\bfoo\\b", "\u00e9foo", "", "search", false],
];

// --- checked against CPython 3.11: [s, pattern, fnmatch.fnmatchcase(s, pattern)]
const FNMATCH: [string, string, boolean][] = [
  ["a.txt", "*.txt", true],
  ["A.TXT", "*.txt", false],
  ["a", "[!b]", true],
  ["ab", "a?", true],
  ["a\nb", "a*", true],
  ["[", "[", true],
  ["a]", "[]]]", false],
  ["x", "", false],
];

const num = (v: number | { float: string }): number => (typeof v === 'number' ? v : Number(v.float.replace('inf', 'Infinity').replace('nan', 'NaN')));

describe('truthiness', () => {
  it.each(TRUTHY)('bool(%j) is %s', (v, want) => expect(pyTruthy(v)).toBe(want));
  it('a float nan is true (CPython 3.11: bool(float("nan")) is True)', () => expect(pyTruthy(NaN)).toBe(true));
});

describe('==', () => {
  it.each(EQ)('%j == %j is %s', (a, b, want) => {
    expect(pyEq(a, b)).toBe(want);
    expect(pyEq(b, a)).toBe(want);
  });
  it('a float nan is not equal to itself (CPython 3.11: float("nan") == float("nan") is False)', () => expect(pyEq(NaN, NaN)).toBe(false));
  it('dict equality ignores key order and [1] == [True] (CPython 3.11: both True; a JSON.stringify comparison says False)', () => {
    expect(pyEq({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(pyEq([1], [true])).toBe(true);
    expect(pyEq({ a: [1] }, { a: [1.0] })).toBe(true);
  });
});

describe('ordering', () => {
  it.each(ORDER)('%s %j %j', (op, a, b, want) => expect(run(() => pyCompare(op, a, b))).toEqual(want));
});

describe('in', () => {
  it.each(IN)('%j in %j', (needle, hay, want) => expect(run(() => pyIn(needle, hay))).toEqual(want));
  it('a custom key test replaces the exact one (Panther events match keys case-insensitively)', () => {
    const ci = (o: { [k: string]: Json }, k: string): boolean => Object.keys(o).some((x) => x.toLowerCase() === k.toLowerCase());
    expect(pyIn('A', { a: 1 }, ci)).toBe(true);
    expect(pyIn('A', { a: 1 })).toBe(false);
  });
});

describe('isinstance', () => {
  it.each(ISINSTANCE)('isinstance(%j, %s) is %s', (v, t, want) => expect(pyIsInstance(v, t)).toBe(want));
});

describe('case mappings', () => {
  it.each(CASE)('%j: lower %j, upper %j, casefold %j', (s, lower, upper, fold) => {
    expect(pyLower(s)).toBe(lower);
    expect(pyUpper(s)).toBe(upper);
    expect(pyCasefold(s)).toBe(fold);
  });
  it('"Straße".casefold() == "strasse" (lower() and toLowerCase() keep the ß)', () => {
    expect(pyCasefold('Straße')).toBe('strasse');
    expect(pyCasefold('STRASSE')).toBe(pyCasefold('straße'));
    expect('Straße'.toLowerCase()).not.toBe('strasse');
  });
});

describe('strip, lstrip, rstrip', () => {
  it.each(STRIP)('%j.strip(%j)', (s, chars, both, left, right) => {
    expect(pyStrip(s, chars)).toBe(both);
    expect(pyStrip(s, chars, 'left')).toBe(left);
    expect(pyStrip(s, chars, 'right')).toBe(right);
  });
});

describe('split, rsplit', () => {
  it.each(SPLIT)('%j.split(%j, %d)', (s, sep, n, split, rsplit) => {
    expect(run(() => pySplit(s, sep, n))).toEqual(split);
    expect(run(() => pyRsplit(s, sep, n))).toEqual(rsplit);
  });
});

describe('replace', () => {
  it.each(REPLACE)('%j.replace(%j, %j) is %j', (s, a, b, want) => expect(pyReplace(s, a, b)).toBe(want));
});

describe('str() and repr()', () => {
  it.each(STR)('str(%j) is %j, repr %j', (v, s, r) => {
    expect(pyStr(v)).toBe(s);
    expect(pyRepr(v)).toBe(r);
  });
  it.each(FLOAT_REPR)('repr(%j) is %j', (f, want) => expect(pyFloatRepr(num(f))).toBe(want));
  it('a non-integral number is a float for str() too', () => {
    expect(pyStr(1.5)).toBe('1.5');
    expect(pyStr(1e-7)).toBe('1e-07');
  });
});

describe('int() and float()', () => {
  it.each(INT)('int(%j)', (v, want) => expect(run(() => pyInt(v))).toEqual(want));
  it.each(FLOAT)('float(%j)', (v, want) => expect(run(() => pyFloat(v))).toEqual(want));
});

describe('len()', () => {
  it.each(LEN)('len(%j)', (v, want) => expect(run(() => pyLen(v))).toEqual(want));
});

describe('re and fnmatch through the one Python-regex engine', () => {
  it.each(RE)('re %j on %j (flags %j, %s) is %s', (p, s, flags, anchor, want) => expect(pyReTest(p, s, flags, anchor)).toBe(want));
  it.each(FNMATCH)('fnmatchcase(%j, %j) is %s', (s, p, want) => expect(pyFnmatch(s, p)).toBe(want));
});

describe("the targets' missing-field logic (targets/common/missing.ts) reads values with the same semantics", () => {
  const x = { k: 'event' } as const;
  it('==, truthiness and isinstance', () => {
    // CPython 3.11: {'a': 1, 'b': 2} == {'b': 2, 'a': 1} and [1] == [True] are True; bool({}) is False
    expect(missingEq({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(missingEq([1], [true])).toBe(true);
    expect(missingEq(undefined, null)).toBe(true);
    expect(missingTruthy({})).toBe(false);
    expect(missingTruthy(undefined)).toBe(false);
    expect(missingIsInstance(true, 'int')).toBe(true);
  });
  it("a default read through Python's fnmatch and re, not a JavaScript RegExp", () => {
    // CPython 3.11: fnmatch("unknown-arn", "*DeployRole") is False; re.search(r"\d", "\u0661") matches
    const glob: Atom = { k: 'match', kind: 'glob', value: x, pattern: '*DeployRole' };
    expect(evalAtomOn(glob, 'unknown-arn', true)).toBe(false);
    const digit: Atom = { k: 'match', kind: 'regex', value: x, pattern: '\\d' };
    expect(evalAtomOn(digit, '\u0661', true)).toBe(true);
    expect(/\d/.test('\u0661')).toBe(false);
    // a target's own engine is only known to agree on ""
    expect(evalAtomOn(glob, 'unknown-arn', false)).toBe('unknown');
    expect(evalAtomOn(glob, '', false)).toBe(false);
  });
  it('case-insensitive comparisons fold as the rule folded ("STRASSE".casefold() == "straße".casefold() in CPython 3.11)', () => {
    const eq: Atom = { k: 'cmp', op: 'eq', left: x, right: { k: 'lit', v: 'straße' }, ci: true, fold: 'casefold' };
    expect(evalAtomOn(eq, 'STRASSE', true)).toBe(true);
    // CPython 3.11: True < 2 is True (bool is an int), None < 1 raises TypeError
    expect(evalAtomOn({ k: 'cmp', op: 'lt', left: x, right: { k: 'lit', v: 2 } }, true, true)).toBe(true);
    expect(evalAtomOn({ k: 'cmp', op: 'lt', left: x, right: { k: 'lit', v: 1 } }, null, true)).toBe('error');
  });
  it('`s in v` on a default list or mapping is an element or key test, on None or a number it raises', () => {
    // CPython 3.11: "-l" in [] is False, "-l" in ["-l"] True, "k" in {"k": 1} True; "-l" in None and "-l" in 1 raise TypeError
    const has = (pattern: string): Atom => ({ k: 'match', kind: 'contains', value: x, pattern });
    expect(evalAtomOn(has('-l'), [], true)).toBe(false);
    expect(evalAtomOn(has('-l'), ['-l'], true)).toBe(true);
    expect(evalAtomOn(has('-l'), ['x-l'], true)).toBe(false);
    expect(evalAtomOn(has('k'), { k: 1 }, true)).toBe(true);
    expect(evalAtomOn(has('-l'), null, true)).toBe('error');
    expect(evalAtomOn(has('-l'), 1, true)).toBe('error');
    // a target's zero-value reading is unchanged
    expect(evalAtomOn(has('-l'), [], false)).toBe(false);
  });
});
