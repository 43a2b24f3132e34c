/**
 * Issue 11 (performance): the fast reader of plain rule YAML (src/panther/plainyaml.ts) gives what the yaml
 * package gives, or nothing (and the package reads the file as before). Compared on every YAML file of rules/
 * and test/fixtures/, on chosen corners of YAML, on generated documents in the styles rule files use, and on
 * those documents with random edits (most of them are then refused, or errors for the package).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, parse, parseAllDocuments, parseDocument } from 'yaml';
import { readPlainYaml, readPlainYamlDocuments } from '../src/panther/plainyaml.js';
import { loadYaml } from '../src/panther/load.js';

/** The package's reading as the rule loader makes it (src/panther/load.ts), or 'error'; or with other options. */
function lib(text: string, opts: { uniqueKeys?: boolean; version?: '1.1' | '1.2' } = {}): unknown {
  const doc = parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: opts.uniqueKeys ?? false, version: opts.version ?? '1.2' });
  if (doc.errors.length > 0) return 'error';
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch {
    return 'error';
  }
}

/** The reader agrees with the package (same value, same key order), or leaves the text to it. */
function agrees(text: string): boolean {
  // with unique keys (yaml.parse), and as both YAML 1.1 and 1.2 read it (the Sigma reader)
  const unique = readPlainYaml(text, { uniqueKeys: true });
  if (unique !== undefined) expect(unique, text).toStrictEqual(lib(text, { uniqueKeys: true }));
  const both = readPlainYaml(text, { uniqueKeys: true, yaml11: true });
  if (both !== undefined) {
    expect(both, text).toStrictEqual(lib(text, { uniqueKeys: true }));
    expect(both, text).toStrictEqual(lib(text, { uniqueKeys: true, version: '1.1' }));
  }
  const fast = readPlainYaml(text);
  if (fast === undefined) return true;
  const want = lib(text);
  expect(want, text).not.toBe('error');
  expect(fast, text).toStrictEqual(want);
  expect(JSON.stringify(fast), text).toBe(JSON.stringify(want));
  return false;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('plain YAML reader', () => {
  it('reads the YAML files of rules/ and test/fixtures/ as the yaml package does, and most of them itself', () => {
    const files = [...yamlFiles('rules'), ...yamlFiles('test/fixtures')];
    let read = 0;
    for (const f of files) if (!agrees(fs.readFileSync(f, 'utf8'))) read++;
    expect(files.length).toBeGreaterThan(30);
    // the sample rules are written as rule files are: the reader takes most of them
    expect(read / files.length).toBeGreaterThan(0.5);
  });

  it('resolves plain scalars with the core schema, and keys as the package stores them', () => {
    const doc = [
      'a: 12',
      'b: -0',
      'c: 0x1F',
      'd: 0o17',
      'e: 1.50',
      'f: 1e3',
      'g: .inf',
      'h: -.Inf',
      'i: .NaN',
      'j: ~',
      'k: Null',
      'l: TRUE',
      'm: false',
      'n: 123456789012345678901234567890',
      'o: -abc',
      'p: C# and F#',
      'q: a:b',
      'r: yes',
      's:',
      't: "x\\u00e9\\n\\"q\\"" # comment',
      "u: 'it''s'",
      '__proto__: 1',
      'a: 13',
      '"quoted key": 2',
      'MITRE ATT&CK: [1, 2,]',
      'v: {"n": 123456789012345678901234567890, "z": -0, "e": 1E400, "s": "\\ud83d\\ude00\\/", "__proto__": {"a": [],},}',
      'w: -1',
    ].join('\n');
    expect(agrees(doc)).toBe(false);
    const v = readPlainYaml(doc) as Record<string, unknown>;
    expect(Object.keys(v).slice(0, 3)).toEqual(['a', 'b', 'c']);
    expect(v.a).toBe(13);
    expect(Object.is(v.b, -0)).toBe(true);
    expect(Object.getOwnPropertyNames(v)).toContain('__proto__');
  });

  it('reads block scalars, multi-line plain scalars, sequences and flow test logs', () => {
    const doc = [
      '# a rule',
      'Description: >',
      '  folded line one',
      '  line two',
      '',
      '  after a blank line',
      'Runbook: |-',
      '  literal',
      '    indented # not a comment',
      '',
      '  end',
      '',
      'Reference:',
      '  https://example.com/a',
      '  continued',
      'Tags:',
      '- one',
      '- "two"',
      'LogTypes:',
      '  - AWS.CloudTrail',
      'Tests:',
      '  -',
      '    Name: never read (an empty dash line)',
      '',
    ].join('\n');
    // an item whose value starts on the next line is left to the package
    expect(readPlainYaml(doc)).toBeUndefined();
    const ok = doc.replace('  -\n    Name', '  - Name') + [
      '    ExpectedResult: true',
      '    Log:',
      '      {',
      '        "a": {"b": [1, 2.5, null, true, "x, y]"],},',
      '        "c": "}"',
      '      }',
      '  - Name: second',
      '    Log: {"a": 1}  # comment',
      '  - Name: third',
      '    Log:',
      '      {',
      '        "id": "x", #event ID',
      "        \"roles\": ['owner', 'it''s \"q\" \\\\ # not a comment'],",
      '        # a comment line',
      '        "n": 1',
      '      }',
      '    Mocks:',
      '      - objectName: m',
      "        returnValue: '{\"k\": 1}'",
      '',
    ].join('\n');
    expect(agrees(ok)).toBe(false);
  });

  it('reads a sequence at the column of its key, also in a mapping inside a sequence', () => {
    for (const text of ['k:\n- a:\n  - x\n  b: 1\n', 'k:\n  - a:\n    - x\n    b: 1\n', 'a:\n- x\nb:\n  - y\n', 'k:\n  - a: 1\n    b:\n    - z\n', 'a:\n  b: 1\n # c\n  c: 2\n']) {
      expect(agrees(text), text).toBe(false);
    }
  });

  it('reads a flow test log closed at its key\'s column, a document opened by ---, keys with : and a leading .', () => {
    for (const text of [
      'T:\n  - N: a\n    Log: {\n      "a": 1\n    }\n',
      'T:\n  - N: a\n    Log: [\n      1\n    ]  # c\n    X: 2\n',
      'Log: {\n  "a": {"b": [1,\n    2]}\n}\nB: 1\n',
      'T:\n  - N: a\n    Log:\n      {\n        "a": 1\n    }\n',
      '---\na: 1\n',
      '# c\n\n---\n# d\na: 1\n',
      'Tags:\n  aws:cloudformation:logical-id: Bucket\n  .tag: file\n  a::b: 1\n',
    ]) {
      expect(agrees(text), text).toBe(false);
    }
  });

  it('leaves anything else to the package', () => {
    for (const doc of [
      'a: &x 1\nb: *x',
      'a: !!str 1',
      '--- \na: 1',
      'a: 1\n---\nb: 2',
      '%YAML 1.2\n---\na: 1',
      'a:\tb',
      'a: 1\r\nb: 2',
      '- a\n- b',
      'a: "unclosed',
      "a: 'two\n  lines'",
      'a: b: c',
      'a: {b: c}',
      "a: {'b\n  c': 1}",
      'a: {"b": 1,#c\n  }',
      'a: [1,# c\n  2]',
      'a: |+\n  kept\n\nb: 1',
      'a: |2\n   x',
      'a: >\n  x\n    more indented\n  y',
      'a: x # c\n  y',
      '? a\n: b',
      'x:\n  a:\n    {\n  "b": 1\n    }',
      // at the key's column only the outermost closing bracket, alone: an inner one there is an error for the package
      'T:\n  - L: {\n      "a": [1,\n    2]\n    }',
      'L: [{\n  "a": 1\n}]',
      'L: {\n  "a": 1\n}, 2',
      'a:: 1',
      '.inf: 1',
      '---\n---\na: 1',
      '---\n',
      '1: a',
      'true: a',
      'a: 1\n  b: 2',
      '',
      '# only a comment',
      // a plain scalar below its key after a comment line at the key's column: the package refuses it when more follows
      'b:\n#c\n  x\nc: 1',
      'a:\n  b:\n  #c\n    x\n  c: 1',
    ]) {
      expect(readPlainYaml(doc), doc).toBeUndefined();
    }
  });

  it('reads the Sentinel rules of out/ as yaml.parse does (keys unique), and refuses a repeated key then', () => {
    const files = yamlFiles('out/sentinel');
    let read = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const fast = readPlainYaml(text, { uniqueKeys: true });
      if (fast === undefined) continue;
      read++;
      expect(fast, f).toStrictEqual(parse(text));
    }
    expect(read / files.length).toBeGreaterThan(0.9);
    expect(() => parse('a: 1\na: 2')).toThrow();
    expect(readPlainYaml('a: 1\na: 2', { uniqueKeys: true })).toBeUndefined();
    expect(readPlainYaml('a: 1\na: 2')).toEqual({ a: 2 });
    // the same in a flow mapping, at any depth, keys compared as decoded strings
    for (const t of ['a: {"": 1, "": 2}\n', 'a: [{"k": 1}, {"x": [{"b": 1, "\\u0062": 2}]}]\n', 'a: [{"": null, " ": [{"": 1}], "": 2}]\n']) {
      expect(lib(t, { uniqueKeys: true }), t).toBe('error');
      expect(readPlainYaml(t, { uniqueKeys: true }), t).toBeUndefined();
      expect(agrees(t)).toBe(false);
    }
    expect(readPlainYaml('a: [{"k": 1}, {"k": 2}, {"k": [{"k": 3}]}]\n', { uniqueKeys: true })).toEqual({ a: [{ k: 1 }, { k: 2 }, { k: [{ k: 3 }] }] });
  });

  it('reads the Sigma rules of out/ as YAML 1.1 and 1.2 both read them, and refuses what 1.1 reads otherwise', () => {
    const files = yamlFiles('out/sigma');
    let read = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      agrees(text);
      if (readPlainYaml(text, { uniqueKeys: true, yaml11: true }) !== undefined) read++;
    }
    expect(read / files.length).toBeGreaterThan(0.5);
    for (const v of ['yes', 'No', 'on', 'OFF', 'y', '0777', '1_000', '1:20', '2024-01-01', '1.5', '+1', '.inf', '~', 'Null']) {
      expect(readPlainYaml(`a: ${v}`, { uniqueKeys: true, yaml11: true }), v).toBeUndefined();
      agrees(`a: ${v}`);
    }
    expect(readPlainYaml('a: {"b": 1e5}', { uniqueKeys: true, yaml11: true })).toBeUndefined();
    expect(readPlainYaml('a: low\nb: 12\nc: true\nd:\ne: "yes"', { uniqueKeys: true, yaml11: true })).toEqual({ a: 'low', b: 12, c: true, d: null, e: 'yes' });
  });

  it('reads a stream of plain documents as the package does, both YAML versions alike', () => {
    const docs = (text: string, version: '1.1' | '1.2'): unknown[] =>
      parseAllDocuments(text, { version, uniqueKeys: true }).map((d) => {
        expect(d.errors).toEqual([]);
        return d.toJS();
      }).filter((x) => x !== null && x !== undefined);
    const texts = [...yamlFiles('out/sigma').map((f) => fs.readFileSync(f, 'utf8')), '# c\n---\na: 1\n---\n# only a comment\n---\nb: [\'x\']\n---\n'];
    let streams = 0;
    for (const text of texts) {
      const fast = readPlainYamlDocuments(text, { uniqueKeys: true, yaml11: true });
      if (fast === undefined) continue;
      if (text.includes('\n---\n')) streams++;
      expect(fast, text).toStrictEqual(docs(text, '1.2'));
      expect(fast, text).toStrictEqual(docs(text, '1.1'));
    }
    expect(streams).toBeGreaterThan(1);
    for (const text of ['a: 1\n--- # c\nb: 2', 'a: 1\n...\n---\nb: 2', 'a: 1\n---\n%YAML 1.1\n---\nb: 2', 'a: 1\u2028---\u2028b: 2', 'a: 1\n---\nyes: 2']) {
      expect(readPlainYamlDocuments(text, { uniqueKeys: true, yaml11: true }), text).toBeUndefined();
    }
  });

  it('gives rule positions as the package does, parsing for them only when asked', () => {
    const text = 'AnalysisType: rule\nTests:\n  - Name: a\n    Log: {"x": 1}\n  - Name: b\n    Log:\n      x: 2\nSeverity: Low\n';
    expect(readPlainYaml(text)).toBeDefined();
    const { pos } = loadYaml('r.yml', text);
    expect(pos('Tests', 1)).toEqual({ line: 5, col: 5 });
    expect(pos('Severity')).toEqual({ line: 8, col: 1 });
  });

  // generated documents: the shapes and scalar styles of rule files
  const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_ .-]{0,8}$/).filter((s) => !s.endsWith(' '));
  const plainText = fc.constantFrom('abc', 'a b', '-x', '12', '-3', '0x1F', '0o7', '1.5', '1e5', '.inf', 'null', '~', 'True', 'no', 'C#x', 'a:b', 'http://h/p?q=1', 'é ü', '😀', '[x]', '{y}', 'a, b');
  const jsonScalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constant(123456789012345678901234567890));
  const json = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, jsonScalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), tie('v'), { maxKeys: 3 })),
  })).v;
  type Node = { k: 'map'; items: [string, Node][] } | { k: 'seq'; items: Node[] } | { k: 'plain'; v: string } | { k: 'quoted'; v: string; q: '"' | "'" } | { k: 'block'; lines: string[]; style: '|' | '>' | '|-' | '>-' } | { k: 'json'; v: unknown; multi: boolean; comma: boolean };
  const node: fc.Arbitrary<Node> = fc.letrec<{ n: Node }>((tie) => ({
    n: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      plainText.map((v) => ({ k: 'plain' as const, v })),
      fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('"' as const, "'" as const)).map(([v, q]) => ({ k: 'quoted' as const, v, q })),
      fc.tuple(fc.array(fc.constantFrom('text', 'more text', '', '  indented', '# hash'), { minLength: 1, maxLength: 4 }), fc.constantFrom('|' as const, '>' as const, '|-' as const, '>-' as const)).map(([lines, style]) => ({ k: 'block' as const, lines, style })),
      fc.tuple(json, fc.boolean(), fc.boolean()).map(([v, multi, comma]) => ({ k: 'json' as const, v, multi, comma })),
      fc.array(fc.tuple(word, tie('n')), { minLength: 1, maxLength: 4 }).map((items) => ({ k: 'map' as const, items })),
      fc.array(tie('n'), { minLength: 1, maxLength: 3 }).map((items) => ({ k: 'seq' as const, items })),
    ),
  })).n;

  /** The lines of `n` as the value of a key (or item) at column `col`. */
  function render(n: Node, col: number, step: number): { inline: string; below: string[] } {
    const pad = ' '.repeat(col + step);
    switch (n.k) {
      case 'plain':
        return { inline: ` ${n.v}`, below: [] };
      case 'quoted':
        return { inline: ` ${n.q === '"' ? JSON.stringify(n.v) : `'${n.v.replace(/'/g, "''")}'`}`, below: [] };
      case 'block':
        return { inline: ` ${n.style}`, below: n.lines.map((l) => (l === '' ? '' : pad + l)) };
      case 'json': {
        const text = JSON.stringify(n.v, null, n.multi ? 2 : undefined) ?? 'null';
        const withComma = n.comma ? text.replace(/(\S)(\n *[}\]])/g, '$1,$2') : text;
        if (!n.multi || !/^[{[]/.test(text)) return { inline: ` ${withComma}`, below: [] };
        return { inline: '', below: withComma.split('\n').map((l) => pad + l) };
      }
      case 'map':
        return { inline: '', below: n.items.flatMap(([k, v]) => keyLines(k, v, col + step, step)) };
      case 'seq':
        return {
          inline: '',
          below: n.items.flatMap((v) => {
            const r = render(v, col + step, step);
            if (v.k === 'map') {
              const [first, ...rest] = r.below;
              return [`${pad}- ${(first ?? '').slice(col + step + step)}`, ...rest];
            }
            return [`${pad}-${r.inline || ' x'}`, ...(r.inline ? r.below : [])];
          }),
        };
    }
  }
  function keyLines(k: string, v: Node, col: number, step: number): string[] {
    const r = render(v, col, step);
    return [`${' '.repeat(col)}${k}:${r.inline}`, ...r.below];
  }
  const documents = fc.tuple(fc.array(fc.tuple(word, node), { minLength: 1, maxLength: 4 }), fc.constantFrom(2, 4)).map(([items, step]) => `${items.flatMap(([k, v]) => keyLines(k, v, 0, step)).join('\n')}\n`);

  it('agrees with the yaml package on generated rule-like documents', () => {
    let read = 0;
    fc.assert(
      fc.property(documents, (doc) => {
        if (!agrees(doc)) read++;
      }),
      { numRuns: Number(process.env.PLAINYAML_RUNS ?? 400) },
    );
    // the generator writes what the reader is for: most documents are its to read
    expect(read).toBeGreaterThan(100);
  });

  it('agrees with the yaml package on those documents edited at random', () => {
    const edit = fc.tuple(documents, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(' ', '  ', '\n', '-', ':', ': ', '#', ' #', '"', "'", '{', '}', '[', ']', ',', '|', '>', '&', '*', '!', '?', '\\', 'x', '0', '\n  ', '\n- ')), { minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(edit, ([doc, edits]) => {
        let t = doc;
        for (const [at, del, ins] of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + ins + t.slice(i + del);
        }
        agrees(t);
      }),
      { numRuns: Number(process.env.PLAINYAML_RUNS ?? 1500) },
    );
  });
});
