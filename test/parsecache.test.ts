/**
 * The parse cache (src/cli/parsecache.ts): parsed Python modules kept on disk beside the V8 code cache,
 * named by the build, the module's label and its text. A hit gives the parser's own AST; a changed text,
 * label or build misses; a corrupt entry is ignored (and written again); an unwritable folder only costs
 * a parse; without a configuration (the suite, `TRANSPILE_CACHE_DIR=off`) nothing is read or written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Module } from '../src/python/ast.js';
import { parsePython } from '../src/python/parse.js';
import { cachedParse, jsonExact, parseCacheFolder, setParseCache } from '../src/cli/parsecache.js';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

const SRC = [
  'from panther_base_helpers import deep_get',
  'X = {"a": [1, 2.5, -3], "b": None, "c": True}',
  '',
  'def rule(event):',
  '    return deep_get(event, "a", "b") == f"{event.get(\'x\')!r:>4}" and not event.get("y") in X',
  '',
].join('\n');

/** parsePython without the cache, and a parse that counts its calls. */
function counted(src: string, label: string): { parse: () => Module; calls: () => number } {
  let n = 0;
  return {
    parse: () => {
      n++;
      setParseCache(undefined);
      try {
        return parsePython(src, label);
      } finally {
        setParseCache(current);
      }
    },
    calls: () => n,
  };
}

let current: Parameters<typeof setParseCache>[0];
function use(c: Parameters<typeof setParseCache>[0]): void {
  current = c;
  setParseCache(c);
}

const entries = (): string[] => {
  const d = parseCacheFolder();
  return d && fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.json')) : [];
};

afterEach(() => use(undefined));

describe('parse cache', () => {
  it('is off unless configured: nothing read or written, the parser runs every time', () => {
    use(undefined);
    const p = counted(SRC, 'r.py');
    cachedParse(SRC, 'r.py', p.parse);
    cachedParse(SRC, 'r.py', p.parse);
    expect(p.calls()).toBe(2);
    expect(parseCacheFolder()).toBeUndefined();
  });

  it('gives back the parser’s AST on a hit, without parsing', () => {
    use({ dir: tmp('pyast-'), build: 'b1' });
    const p = counted(SRC, 'r.py');
    const first = cachedParse(SRC, 'r.py', p.parse);
    expect(p.calls()).toBe(1);
    expect(entries()).toHaveLength(1);
    const second = cachedParse(SRC, 'r.py', p.parse);
    expect(p.calls()).toBe(1);
    expect(second).not.toBe(first);
    expect(second).toStrictEqual(first);
    // key order too (JSON keeps it): the same object shapes as the parser's
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    // parsePython goes through the cache as well
    expect(parsePython(SRC, 'r.py')).toStrictEqual(first);
  });

  it('misses on a changed text, label or build', () => {
    const dir = tmp('pyast-');
    use({ dir, build: 'b1' });
    const p = counted(SRC, 'r.py');
    cachedParse(SRC, 'r.py', p.parse);
    const changed = SRC.replace('"a", "b"', '"a", "c"');
    const q = counted(changed, 'r.py');
    expect(JSON.stringify(cachedParse(changed, 'r.py', q.parse))).toContain('"c"');
    expect(q.calls()).toBe(1);
    const l = counted(SRC, 'other.py');
    expect(cachedParse(SRC, 'other.py', l.parse).file).toBe('other.py');
    expect(l.calls()).toBe(1);
    use({ dir, build: 'b2' });
    const b = counted(SRC, 'r.py');
    cachedParse(SRC, 'r.py', b.parse);
    expect(b.calls()).toBe(1);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('pyast-'))).toHaveLength(2);
  });

  it('ignores a corrupt entry (and writes it again), never throws', () => {
    use({ dir: tmp('pyast-'), build: 'b1' });
    const p = counted(SRC, 'r.py');
    const good = cachedParse(SRC, 'r.py', p.parse);
    const file = path.join(parseCacheFolder()!, entries()[0]!);
    const whole = fs.readFileSync(file, 'utf8');
    const body = whole.slice(whole.indexOf('\n') + 1);
    const sum = whole.slice(0, whole.indexOf('\n'));
    const forged = body.replace('"deep_get"', '"deep_set"');
    const corrupt = [
      '',
      'garbage',
      whole.slice(0, whole.length - 10), // cut short
      `${sum}\n${forged}`, // the body changed, the checksum not
      `${'0'.repeat(40)}\n${body}`, // a wrong checksum
      whole.replace(/"key":"[0-9a-f]+"/, `"key":"${'0'.repeat(64)}"`), // another key (and so a wrong checksum)
      '\u0000\u0001\u0002',
    ];
    let calls = 1;
    for (const text of corrupt) {
      fs.writeFileSync(file, text);
      expect(cachedParse(SRC, 'r.py', p.parse)).toStrictEqual(good);
      expect(p.calls()).toBe(++calls);
      // written again: the next read hits
      expect(cachedParse(SRC, 'r.py', p.parse)).toStrictEqual(good);
      expect(p.calls()).toBe(calls);
    }
    // a folder where the entry should be
    fs.rmSync(file);
    fs.mkdirSync(file);
    expect(cachedParse(SRC, 'r.py', p.parse)).toStrictEqual(good);
  });

  it('only costs a parse when the folder cannot be written', () => {
    const f = path.join(tmp('pyast-'), 'a-file');
    fs.writeFileSync(f, '');
    use({ dir: path.join(f, 'sub'), build: 'b1' });
    const p = counted(SRC, 'r.py');
    const a = cachedParse(SRC, 'r.py', p.parse);
    const b = cachedParse(SRC, 'r.py', p.parse);
    expect(p.calls()).toBe(2);
    expect(b).toStrictEqual(a);
  });

  it('writes each module once per label and text, and reads it back in a later run', () => {
    const dir = tmp('pyast-');
    use({ dir, build: 'b1' });
    const p = counted(SRC, 'r.py');
    cachedParse(SRC, 'r.py', p.parse);
    cachedParse(SRC, 'helper.py', counted(SRC, 'helper.py').parse);
    expect(entries()).toHaveLength(2);
    // a later run (the cache turned on afresh) reads the rule's module instead of parsing it
    use({ dir, build: 'b1' });
    expect(cachedParse(SRC, 'r.py', p.parse)).toStrictEqual(p.parse());
    expect(p.calls()).toBe(2);
    expect(entries()).toHaveLength(2);
  });

  it('does not cache a syntax error (it is thrown each time)', () => {
    use({ dir: tmp('pyast-'), build: 'b1' });
    expect(() => parsePython('def rule(event):\n    return (\n', 'bad.py')).toThrow(/syntax|nests|invalid/i);
    expect(() => parsePython('def rule(event):\n    return (\n', 'bad.py')).toThrow(/syntax|nests|invalid/i);
    expect(entries()).toEqual([]);
  });

  it('writes only what JSON gives back exactly', () => {
    const shared = { t: 'Name', id: 'x', line: 1, col: 1 };
    expect(jsonExact({ a: [1, 'x', null, true, { b: 2.5 }] })).toBe(true);
    for (const v of [{ a: -0 }, { a: NaN }, { a: Infinity }, { a: undefined }, [1, , 2], { a: shared, b: shared }, { a: new Map() }, { a: 1n }, { a: () => 1 }]) expect(jsonExact(v), String(v)).toBe(false);
    use({ dir: tmp('pyast-'), build: 'b1' });
    const odd = { file: 'odd.py', body: [{ t: 'Expr', value: { t: 'Const', value: -0, line: 1, col: 1 }, line: 1, col: 1 }] } as unknown as Module;
    let n = 0;
    const parse = () => (n++, odd);
    expect(cachedParse('x = -0.0', 'odd.py', parse)).toBe(odd);
    expect(cachedParse('x = -0.0', 'odd.py', parse)).toBe(odd);
    expect(n).toBe(2);
    expect(entries()).toEqual([]);
  });

  it('keeps the folders of a few other builds, not of every build', () => {
    const dir = tmp('pyast-');
    for (let i = 1; i <= 6; i++) {
      use({ dir, build: `b${i}` });
      cachedParse(SRC, 'r.py', counted(SRC, 'r.py').parse);
      const t = new Date(Date.UTC(2020, 0, i));
      fs.utimesSync(parseCacheFolder()!, t, t);
    }
    // the newest (b6) and the three before it
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('pyast-'))).toHaveLength(4);
  });

  // the CLI (bin/transpile.js runs the bundle, which turns the cache on under the bundle's identity)
  const bundle = path.resolve('dist', 'cli', 'main.cjs');
  it.skipIf(!fs.existsSync(bundle))('the CLI keeps parsed modules beside its code cache, with the same output; none with TRANSPILE_CACHE_DIR=off', () => {
    const rule = 'rules/okta/okta_admin_role_assigned.yml';
    const bin = (dir: string) => spawnSync(process.execPath, ['bin/transpile.js', '-t', 'all', rule], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TRANSPILE_CACHE_DIR: dir } });
    const off = bin('off');
    expect(off.status).toBe(0);
    const dir = tmp('pyast-cli-');
    const cold = bin(dir);
    const folders = fs.readdirSync(dir).filter((f) => f.startsWith('pyast-'));
    expect(folders).toHaveLength(1);
    // the rule's module and the helper modules it imports
    expect(fs.readdirSync(path.join(dir, folders[0]!)).length).toBeGreaterThanOrEqual(2);
    const warm = bin(dir);
    for (const r of [cold, warm]) {
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(off.stdout);
      expect(r.stderr).toBe(off.stderr);
    }
  }, 120_000);
});
