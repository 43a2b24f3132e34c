import { describe, expect, it } from 'vitest';
import { globShape, regexShape } from '../src/targets/common/shape.js';
import { liveStages } from '../src/targets/kql/index.js';

describe('a glob or regex that only anchors a literal is a plain string test', () => {
  it('globs: * only at the ends', () => {
    expect(globShape('chage')).toEqual({ op: 'eq', text: 'chage' });
    expect(globShape('user*')).toEqual({ op: 'startswith', text: 'user' });
    expect(globShape('**user')).toEqual({ op: 'endswith', text: 'user' });
    expect(globShape('*.svc.id.goog*')).toEqual({ op: 'contains', text: '.svc.id.goog' });
    // a wildcard inside, ?, a class, nothing but *: still a pattern
    expect(globShape('roles/*Admin')).toBeNull();
    expect(globShape('a?c')).toBeNull();
    expect(globShape('[ab]*')).toBeNull();
    expect(globShape('*')).toBeNull();
  });

  it('regexes: anchors, escaped punctuation and one-character escapes only', () => {
    expect(regexShape('abc')).toEqual({ op: 'contains', text: 'abc' });
    expect(regexShape('^abc')).toEqual({ op: 'startswith', text: 'abc' });
    expect(regexShape('\\Aabc\\Z')).toEqual({ op: 'eq', text: 'abc' });
    expect(regexShape('abc\\Z')).toEqual({ op: 'endswith', text: 'abc' });
    expect(regexShape('a\\.b\\-c\\tz')).toEqual({ op: 'contains', text: 'a.b-c\tz' });
    expect(regexShape('abc', '', 'match')).toEqual({ op: 'startswith', text: 'abc' });
    expect(regexShape('abc', '', 'fullmatch')).toEqual({ op: 'eq', text: 'abc' });
    expect(regexShape('abc', 's')).toEqual({ op: 'contains', text: 'abc' });
    // $ also matches before a final line break; classes, quantifiers, groups, flags that change literals
    expect(regexShape('abc$')).toBeNull();
    expect(regexShape('a.c')).toBeNull();
    expect(regexShape('ab+')).toBeNull();
    expect(regexShape('(?i)abc')).toBeNull();
    expect(regexShape('\\d+')).toBeNull();
    expect(regexShape('abc', 'i')).toBeNull();
    expect(regexShape('a b', 'x')).toBeNull();
    expect(regexShape('a\\Zb')).toBeNull();
  });
});

describe('KQL stages nothing reads are left out', () => {
  it('drops a truthiness extend and an mv-apply whose column no condition reads', () => {
    const ext = 'extend truthy_a = case(gettype(a) == "string", strlen(tostring(a)) > 0, isnotnull(a))';
    const mva = 'mv-apply with_itemindex=__q1_i __q1 = array_concat(coalesce(l, dynamic([])), dynamic([null])) to typeof(dynamic) on (summarize __q1_n = countif(__q1_i < array_length(l) and (truthy_a)))';
    expect(liveStages([ext, mva], ['x == 1'])).toEqual([]);
    expect(liveStages([ext, mva], ['__q1_n > 0'])).toEqual([ext, mva]);
    expect(liveStages([ext, mva], ['truthy_a'])).toEqual([ext]);
    expect(liveStages([ext], ['not(truthy_ab)'])).toEqual([]);
  });
});
