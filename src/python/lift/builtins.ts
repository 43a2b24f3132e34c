/** Python's builtins and the functions of the native modules the lifter models (re, fnmatch, json, ipaddress, functools). */
import { locate, type Json, type Pred, type PyType, type Val } from '../../ast/types.js';
import { and, FALSE, not, or, TRUE } from '../../ast/normalize.js';
import { pyEq, truthy as pyTruthy, isMapping } from '../../ast/evaluate.js';
import { pyCompare } from '../semantics.js';
import { ipValid } from '../../ast/ipclass.js';
import { parseIp, parseNet } from '../../ast/ip.js';
import { stripVerbose } from '../../ast/regex.js';
import type { Lifter } from '../lift.js';
import { cst, item, NONE, own, pred, val, type Site, type SV, type SVOf } from '../values.js';
import { constIs, evalConstPred, globMatchConst } from './constfold.js';
import { mayRaise } from './flow.js';
import { everyItem, iterItems, someItem } from './loops.js';
import { ipOfInt, strOf } from './operators.js';
import { setOf } from './sets.js';

/**
 * Python's types by the names that denote them (isinstance's second argument), as a value of each
 * provenance answers them. Panther hands a rule its event through panther_analysis_tool's immutable
 * wrappers (panther_analysis_tool/immutable.py; panther_core the same): every object read from the event
 * is an ImmutableCaseInsensitiveDict (a Mapping, not a dict) and every list an ImmutableList (a Sequence
 * backed by a tuple, not a list), also the items met iterating one. So `isinstance(event.get("x"), list)`
 * is False for every event value, where the same test of json.loads(...)'s result (plain dicts and lists)
 * is True for a list. `wrapped`: the answer for a value read from the event; `plain`: for a value the
 * rule computed (json.loads, split, ...). A str is a Sequence.
 */
const TYPES: Record<string, { wrapped: PyType[]; plain: PyType[] }> = {
  str: { wrapped: ['str'], plain: ['str'] },
  int: { wrapped: ['int'], plain: ['int'] },
  float: { wrapped: ['float'], plain: ['float'] },
  bool: { wrapped: ['bool'], plain: ['bool'] },
  list: { wrapped: [], plain: ['list'] },
  tuple: { wrapped: [], plain: [] },
  set: { wrapped: [], plain: [] },
  frozenset: { wrapped: [], plain: [] },
  dict: { wrapped: [], plain: ['dict'] },
  Mapping: { wrapped: ['dict'], plain: ['dict'] },
  'collections.abc.Mapping': { wrapped: ['dict'], plain: ['dict'] },
  'typing.Mapping': { wrapped: ['dict'], plain: ['dict'] },
  Sequence: { wrapped: ['list', 'str'], plain: ['list', 'str'] },
  'collections.abc.Sequence': { wrapped: ['list', 'str'], plain: ['list', 'str'] },
  'typing.Sequence': { wrapped: ['list', 'str'], plain: ['list', 'str'] },
};

/** The builtin names that are functions or types (most are modelled below; a call of another is not supported). */
const BUILTIN_NAMES = new Set([
  ...['any', 'all', 'len', 'isinstance', 'reduce', 'sorted', 'print', 'min', 'max', 'sum', 'frozenset', 'range', 'enumerate', 'zip', 'abs', 'repr', 'getattr', 'hasattr', 'type', 'iter', 'next', 'filter', 'map'],
  ...['str', 'int', 'float', 'bool', 'list', 'tuple', 'dict', 'Mapping', 'Sequence', 'set'],
  ...['bytes', 'bytearray'],
]);

/** Types no JSON value has (an event holds what json.loads gives: None, bool, int, float, str, list, dict). */
const NOT_JSON_TYPES = new Set(['bytes', 'bytearray']);

/** A name no module defines: a builtin, None, or an unknown name. */
export function builtinName(L: Lifter, name: string, site: Site): SV {
  if (BUILTIN_NAMES.has(name)) return { s: 'native', name };
  if (name === 'None') return NONE;
  return L.opaque('name', `name '${name}' is not defined in ${site.file}`, site);
}

/** A builtin's value for these arguments, or null when the lifter does not model this use of it. */
type Builtin = (L: Lifter, args: SV[], kwargs: Map<string, SV>, site: Site, name: string) => SV | null;

/** The builtins whose first argument, when conditional, is mapped arm by arm. */
const POINTWISE = new Set(['len', 'str', 'isinstance', 'bool', 'int', 'float', 'json.loads', 'any', 'all']);

/** Call a builtin or native function. */
export function callBuiltin(L: Lifter, name: string, args: SV[], kwargs: Map<string, SV>, site: Site): SV {
  const [a, b] = args;
  // bool() of a value known truthy (an item a loop found) is True, though nothing else of it is known
  if (name === 'bool' && args.length === 1 && a?.s === 'opaque' && a.truthy) return cst(true);
  if (name !== 'isinstance' || !(b?.s === 'native' && /MagicMock$/.test(b.name))) {
    if (a?.s === 'mock') return L.opaque('mock', `the mocked ${a.name} used as a value`, site);
    const unknown = args.find((x) => x.s === 'opaque');
    if (unknown && !['any', 'all', 'print'].includes(name)) return L.derive(unknown);
  }
  if (a?.s === 'ite' && POINTWISE.has(name)) return L.iteMap(a, (x) => callBuiltin(L, name, [x, ...args.slice(1)], kwargs, site));
  return own(BUILTINS, name)?.(L, args, kwargs, site, name) ?? L.opaque(`call:${name}`, `${name}() is not supported here`, site);
}

const collection: Builtin = (L, [a], _kw, site, name) => {
  const kind = name === 'tuple' ? 'tuple' : name === 'set' || name === 'frozenset' ? 'set' : 'list';
  if (!a) return cst([], kind);
  if (kind === 'set' && a.s === 'val') return setOf(L, a.v, site);
  if (a.s === 'const' && (Array.isArray(a.v) || typeof a.v === 'string' || isMapping(a.v))) {
    let vs: Json[] = Array.isArray(a.v) ? a.v : typeof a.v === 'string' ? [...a.v] : Object.keys(a.v as object);
    if (kind === 'set') vs = vs.filter((x, i) => vs.findIndex((y) => pyEq(x, y)) === i);
    if (name === 'sorted') {
      // Python's ordering (numbers by value, str by code point); items it cannot order raise TypeError
      try {
        vs = [...vs].sort((x, y) => (pyCompare('lt', x, y) ? -1 : pyCompare('lt', y, x) ? 1 : 0));
      } catch {
        return L.opaque('call:sorted', 'sorted() of constants Python cannot order (TypeError)', site);
      }
    }
    return cst(vs, kind);
  }
  // a new list or tuple of a sequence's items (a set would dedupe and hash them, sorted order them: not followed)
  if (a.s === 'seq' && (name === 'list' || name === 'tuple')) return { s: 'seq', items: [...a.items], kind: name };
  return null;
};

const quantifier: Builtin = (L, [a], _kw, site, name) => {
  const q = name as 'any' | 'all';
  if (!a) return null;
  if (a.s === 'fseq' || a.s === 'map') {
    const p = q === 'any' ? someItem(L, a, (it) => L.truth(it, site)) : everyItem(L, a, (it) => L.truth(it, site));
    return p ? pred(p) : null;
  }
  const items = iterItems(a);
  if (items) {
    const ps = items.map((x) => L.truth(x, site));
    return pred(q === 'any' ? or(...ps) : and(...ps));
  }
  if (a.s === 'val') return pred({ k: 'quant', q, list: a.v, pred: { k: 'truthy', value: { k: 'elem', depth: L.quantLevel }, span: site }, span: site });
  return null;
};

const reduce: Builtin = (L, [a, b, c], _kw, site) => {
  if (!a || !b) return null;
  const items = iterItems(b);
  if (!items) return L.opaque('reduce', 'reduce over a value the lifter cannot iterate', site);
  let acc: SV | undefined = c;
  for (const it of items) acc = acc === undefined ? it : L.apply(a, [acc, it], new Map(), site);
  return acc ?? L.opaque('reduce', 'reduce of an empty sequence', site);
};

const reMatch: Builtin = (L, [a, b, c], kwargs, site, name) => {
  const how = name.slice(3) as RegexHow;
  if (a?.s === 'const' && typeof a.v === 'string' && b) return regexMatch(L, { s: 'regex', pattern: a.v, flags: reFlags(c ?? kwargs.get('flags')) }, how, b, site);
  if (a?.s === 'regex' && b) return regexMatch(L, a, how, b, site);
  return null;
};

const fnmatch: Builtin = (L, [a, b], kwargs, site, name) => {
  if (!a || b?.s !== 'const' || typeof b.v !== 'string') return null;
  if (a.s === 'ite') return L.iteMap(a, (x) => callBuiltin(L, name, [x, b], kwargs, site));
  if (a.s === 'const' && typeof a.v === 'string') return cst(globMatchConst(a.v, b.v));
  if (a.s === 'val') return pred({ k: 'match', kind: 'glob', value: a.v, pattern: b.v, span: site });
  return null;
};

/** int() and float() of one value. */
const number: Builtin = (_L, args, _kw, _site, name) => {
  const [a] = args;
  if (a?.s === 'val' && args.length === 1) return val({ k: 'fn', fn: name as 'int' | 'float', args: [a.v] });
  if (a?.s === 'const') {
    if (typeof a.v === 'number') return cst(name === 'int' ? Math.trunc(a.v) : a.v);
    if (typeof a.v === 'string' && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(a.v)) return cst(name === 'int' ? parseInt(a.v, 10) : parseFloat(a.v));
  }
  return null;
};

const BUILTINS: Record<string, Builtin> = {
  isinstance: (L, [a, b], _kw, site) => {
    if (!a || !b) return null;
    // unittest.mock.MagicMock only exists under test harnesses: no event value or constant is one
    if (b.s === 'native' && /(^|\.)MagicMock$/.test(b.name)) return cst(a.s === 'mock');
    const both = typesOf(b);
    if (!both) return L.opaque('isinstance', 'isinstance with a type the lifter does not know', site);
    const types = both.plain;
    // a bytes literal is held as a str constant: isinstance(b"..", bytes) cannot be told from a str's
    const namesBytes = (t: SV): boolean => (t.s === 'native' && NOT_JSON_TYPES.has(t.name)) || (t.s === 'seq' && t.items.some(namesBytes));
    if (a.s === 'const' && typeof a.v === 'string' && namesBytes(b)) return L.opaque('isinstance', 'isinstance of a str constant with bytes (a bytes literal is read as str)', site);
    if (a.s === 'const') return cst(types.some((t) => constIs(a.v, t)));
    if (a.s === 'dict' || a.s === 'kdict') return cst(types.includes('dict'));
    if (a.s === 'seq') return cst(types.includes('list'));
    if (a.s === 'pred') return cst(types.includes('bool') || types.includes('int'));
    if (a.s === 'val') {
      const from = provenance(a.v);
      const same = both.wrapped.every((t) => both.plain.includes(t)) && both.plain.every((t) => both.wrapped.includes(t));
      if (from === 'mixed' && !same) {
        return L.opaque('isinstance', 'isinstance(…, list/dict/tuple/set) of a value that may be read from the event: Panther wraps event lists and objects (ImmutableList, ImmutableCaseInsensitiveDict: a Sequence and a Mapping, not a list or dict), where a value the rule made is a plain one', site);
      }
      const ts = from === 'plain' ? both.plain : both.wrapped;
      return ts.length ? pred(or(...ts.map((t) => ({ k: 'istype', value: a.v, type: t, span: site }) as Pred))) : cst(false);
    }
    return null;
  },
  len: (_L, [a]) => {
    if (!a) return null;
    if (a.s === 'const' && (typeof a.v === 'string' || Array.isArray(a.v))) return cst(a.v.length);
    if (a.s === 'const' && isMapping(a.v)) return cst(Object.keys(a.v).length);
    if (a.s === 'dict' || a.s === 'kdict') return cst(a.entries.length);
    if (a.s === 'seq') return cst(a.items.length);
    if (a.s === 'val') return val({ k: 'fn', fn: 'len', args: [a.v] });
    if (a.s === 'fseq' || a.s === 'map' || a.s === 'found' || a.s === 'union') return { s: 'len', of: a };
    return null;
  },
  str: (L, [a], _kw, site) => (a ? strOf(L, a, site) : cst('')),
  bool: (L, [a], _kw, site) => (a ? pred(L.truth(a, site)) : cst(false)),
  int: number,
  float: number,
  list: collection,
  tuple: collection,
  set: collection,
  frozenset: collection,
  sorted: collection,
  any: quantifier,
  all: quantifier,
  reduce,
  'functools.reduce': reduce,
  print: () => NONE,
  're.compile': (_L, [a, b], kwargs) => (a?.s === 'const' && typeof a.v === 'string' ? { s: 'regex', pattern: a.v, flags: reFlags(b ?? kwargs.get('flags')) } : null),
  're.search': reMatch,
  're.match': reMatch,
  're.fullmatch': reMatch,
  're.findall': (L, [a, b, c, ...rest], kwargs, site) => {
    if (!b || rest.length || [...kwargs.keys()].some((k) => k !== 'flags')) return null;
    if (a?.s === 'const' && typeof a.v === 'string') return regexFindall(L, { s: 'regex', pattern: a.v, flags: reFlags(c ?? kwargs.get('flags')) }, b, site);
    if (a?.s === 'regex' && !c && kwargs.size === 0) return regexFindall(L, a, b, site);
    return null;
  },
  'fnmatch.fnmatch': fnmatch,
  'fnmatch.fnmatchcase': fnmatch,
  'ipaddress.ip_address': (L, [a], _kw, site) => {
    if (!a) return null;
    if (a.s === 'const') return typeof a.v === 'string' && parseIp(a.v) ? { s: 'ip', v: { k: 'lit', v: a.v } } : L.opaque('ip', 'ip_address() of an invalid constant', site);
    if (a.s !== 'val') return null;
    // an invalid address raises ValueError: only expressible inside a try that catches it
    // an int (or bool) in range is an address (ipOfInt: not modelled, an opaque piece where the value may be one)
    if (!mayRaise(L, [{ when: not(locate(or(ipValid(a.v), ipOfInt(a.v, 'whether ip_address() raises', site)), site)), kind: 'value' }])) return L.opaque('ip', 'ip_address() of an event value outside a try/except ValueError (an invalid address raises)', site);
    return { s: 'ip', v: a.v };
  },
  'ipaddress.ip_network': (L, [a, b], kwargs, site) => {
    if (a?.s !== 'const' || typeof a.v !== 'string') return null;
    const sArg = b ?? kwargs.get('strict');
    const strict = sArg && sArg.s === 'const' ? pyTruthy(sArg.v) : true;
    const n = parseNet(a.v);
    if (!n) return L.opaque('ip', `ip_network(${JSON.stringify(a.v)}) is not a network`, site);
    const ipPart = a.v.split('/')[0] as string;
    if (strict && parseIp(ipPart)?.n !== n.base) return L.opaque('ip', `ip_network(${JSON.stringify(a.v)}) has host bits set (raises ValueError)`, site);
    return { s: 'net', cidr: a.v };
  },
  'json.loads': (L, [a], _kw, site) => {
    if (!a) return null;
    if (a.s === 'const' && typeof a.v === 'string') {
      try {
        return item(JSON.parse(a.v) as Json);
      } catch {
        return null;
      }
    }
    if (a.s === 'val') {
      // inside a try, the handler decides what a non-str (TypeError) or malformed JSON (JSONDecodeError) gives
      const isStr: Pred = { k: 'istype', value: a.v, type: 'str', span: site };
      mayRaise(L, [
        { when: not(isStr), kind: 'type' },
        { when: and(isStr, not({ k: 'valid', value: a.v, format: 'json', span: site })), kind: 'json' },
      ]);
      return val({ k: 'fn', fn: 'json', args: [a.v] });
    }
    return null;
  },
};

function typesOf(t: SV): { wrapped: PyType[]; plain: PyType[] } | null {
  if (t.s === 'native') {
    if (NOT_JSON_TYPES.has(t.name)) return { wrapped: [], plain: [] };
    const short = t.name.replace(/^(collections\.abc|collections|typing)\./, '');
    return own(TYPES, t.name) ?? own(TYPES, short) ?? null;
  }
  if (t.s === 'const' && t.v === null) return { wrapped: ['none'], plain: ['none'] };
  if (t.s === 'seq') {
    const all = t.items.map(typesOf);
    if (!all.every((x) => x)) return null;
    const ok = all as { wrapped: PyType[]; plain: PyType[] }[];
    return { wrapped: ok.flatMap((x) => x.wrapped), plain: ok.flatMap((x) => x.plain) };
  }
  return null;
}

/**
 * Where a value comes from, for isinstance, str() and equality with a collection: `wrapped` read from
 * the event (through Panther's immutable wrappers), `plain` computed by the rule (json.loads' dicts and
 * lists and what is read from them, split()'s list, a function's str or number), `mixed` when either may
 * hold: a read with a default the rule wrote (returned as written when the key is missing), an item of a
 * quantified list (whose list may be either), `or`/`and` of differing ones, and a slice (ImmutableList
 * slices its tuple and leaves the result a plain tuple; items read from it are raw, plain values).
 * event.deep_walk() gives plain values: the corpus' tests hold it (gcp_storage_hmac_keys_create's
 * `x if isinstance(x, list) else [x]` over the list deep_walk reaches passes only with a plain list).
 */
export function provenance(v: Val): 'wrapped' | 'plain' | 'mixed' {
  let ownDefault = false;
  for (;;) {
    if (v.k === 'get') {
      if (v.default && !(v.default.k === 'lit' && (v.default.v === null || typeof v.default.v !== 'object'))) ownDefault = true;
      v = v.obj;
    } else if (v.k === 'index') v = v.obj;
    else break;
  }
  const from = rootProvenance(v);
  return ownDefault && from === 'wrapped' ? 'mixed' : from;
}

function rootProvenance(v: Val): 'wrapped' | 'plain' | 'mixed' {
  if (v.k === 'event') return 'wrapped';
  if (v.k === 'lit') return 'plain';
  if (v.k !== 'fn') return 'mixed';
  if (v.fn === 'slice') return 'mixed';
  if (v.fn === 'or' || v.fn === 'and') {
    const ps = new Set(v.args.map(provenance));
    return ps.size === 1 ? [...ps][0]! : 'mixed';
  }
  return 'plain';
}

// --- regular expressions ----------------------------------------------------------------------
type RegexHow = 'search' | 'match' | 'fullmatch';

/** The flags of a re.X/re.I|re.M argument (held as 're-flag:<letters>' constants). */
function reFlags(f: SV | undefined): string {
  if (!f) return '';
  if (f.s === 'const' && typeof f.v === 'string' && f.v.startsWith('re-flag:')) return f.v.slice(8);
  return '';
}

/**
 * re.findall of a pattern on a subject: a list that is empty exactly where re.search finds no match
 * (findall lists every non-overlapping match, an empty one included, so it is empty only where no
 * position matches); a subject that is not a str raises TypeError as re.search does (the `match` atom).
 * Only its emptiness is read (`found`): its items (strings, or tuples of groups) are not followed.
 */
export function regexFindall(L: Lifter, re: SVOf<'regex'>, subject: SV, site: Site): SV {
  return L.pointwise([subject], (subject) => {
    const m = regexMatch(L, re, 'search', subject, site);
    if (m.s === 'pred') return { s: 'found', p: m.p };
    if (m.s === 'const' && m.v === null) return { s: 'found', p: FALSE };
    return m;
  });
}

/** re.search/match/fullmatch of a pattern on a subject: a match object, None when there is no match. */
export function regexMatch(L: Lifter, re: SVOf<'regex'>, how: RegexHow, subject: SV, site: Site): SV {
  return L.pointwise([subject], (subject) => {
    if (subject.s === 'const' && typeof subject.v === 'string') {
      try {
        const p: Pred = { k: 'match', kind: 'regex', value: { k: 'lit', v: subject.v }, pattern: re.pattern, anchor: how, ...(re.flags ? { flags: re.flags } : {}) };
        return evalConstPred(p) ? { s: 'pred', p: TRUE, nullable: true } : NONE;
      } catch {
        return L.opaque('regex', 'regex the evaluator cannot compile', site);
      }
    }
    if (subject.s === 'val') {
      // verbose patterns are rewritten without their whitespace and comments (what re.X means)
      const pattern = re.flags.includes('x') ? stripVerbose(re.pattern) : re.pattern;
      const ci = re.flags.includes('i');
      const flags = [...new Set(re.flags.replace(/[ix]/g, ''))].join('');
      const p: Pred = { k: 'match', kind: 'regex', value: subject.v, pattern, anchor: how, ...(ci ? { ci } : {}), ...(flags ? { flags } : {}), span: site };
      return { s: 'pred', p, nullable: true };
    }
    return L.opaque('regex', 'regex over a value the lifter cannot read', site);
  });
}
