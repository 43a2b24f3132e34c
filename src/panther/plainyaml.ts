/**
 * A fast reader for the plain YAML most rule files are written in: block mappings and sequences, plain,
 * quoted and block scalars, and JSON-like flow collections (test logs). It gives exactly the value the
 * `yaml` package's `parseDocument(text).toJS()` gives (YAML 1.2, core schema) for the documents it accepts,
 * and `undefined` for anything else: anchors, aliases, tags, directives, several documents, tabs, complex
 * keys, flow collections that are not JSON, odd indentation, anything the package might read otherwise or
 * report as an error. The caller then parses with the package as before, so what is read, and every
 * error and its position, stays the package's. Reading a rule's YAML with the package costs about 2 MB/s
 * (a quarter of a corpus run's time); this reader about 10 times less.
 * Test: test/plainyaml.test.ts compares the two on generated documents and on every YAML of rules/.
 */

/** Raised inside the reader when the text is outside the subset (caught by readPlainYaml). */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();

function bail(): never {
  throw NOT_PLAIN;
}

/**
 * Characters the reader takes anywhere: printable ASCII, line feed, and printable non-ASCII (no C1 controls,
 * NEL, line/paragraph separators, BOM or non-characters, which YAML treats apart). Tabs and carriage returns
 * are left to the package (indentation and line-break rules).
 */
const PRINTABLE = /^[\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ud800-\udfff\ue000-\ufefe\uff00-\ufffd]*$/;

/** The core schema's tags that resolve plain scalars, in the order the package tries them (schema/core). */
function resolvePlain(s: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === 't' || s[0] === 'T';
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

/** The yaml package's YAML 1.1 tags for plain scalars (schema/yaml-1.1 and common/null): bool, float, int, merge, timestamp, null. */
const YAML11_TESTS = [
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^<<$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
  /^(?:~|[Nn]ull|NULL)?$/,
];

/**
 * A plain scalar YAML 1.1 (PyYAML, pySigma) reads as YAML 1.2 does: a string no 1.1 tag takes (when 1.2 reads
 * a string), or a decimal integer of up to 15 digits without sign or leading zero, true, false or null.
 */
function sameInYaml11(s: string): boolean {
  if (/^(?:0|[1-9][0-9]{0,14}|true|false|null)$/.test(s)) return true;
  return typeof resolvePlain(s) === 'string' && !YAML11_TESTS.some((re) => re.test(s));
}

/** A mapping key as the package stores it in a JS object (only keys that resolve to strings are taken). */
function setKey(obj: Record<string, unknown>, key: string, value: unknown, unique: boolean): void {
  // a repeated key is an error where keys must be unique (the package's default, not the rule loader's)
  if (unique && Object.prototype.hasOwnProperty.call(obj, key)) bail();
  // as the package's addPairToJSMap: an existing (or inherited, e.g. __proto__) name is defined, not assigned
  if (key in obj) Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** A plain key: starts with a letter, digit or underscore, then no character that could mean something else (Sigma writes modifiers as `field|contains`). */
const PLAIN_KEY = /^[A-Za-z0-9_.][A-Za-z0-9_ .\-/&()+|:]*$/;

/**
 * A JSON-like flow collection: strings, numbers, true/false/null, with trailing commas (which YAML allows
 * after an item; a comma after `{`, `[` or another comma is an error there, and is refused).
 */
const TRAILING_COMMA = /("(?:[^"\\\n]|\\.)*")|([{[,]\s*,)|,(\s*[}\]])/g;

class Reader {
  private readonly lines: string[];
  /** Index of the current line. */
  private i = 0;

  constructor(
    text: string,
    private readonly unique: boolean,
    private readonly yaml11: boolean,
  ) {
    this.lines = text.split('\n');
  }

  static indent(line: string): number {
    let n = 0;
    while (line.charCodeAt(n) === 32) n++;
    return n;
  }

  /** Skips blank and comment lines; the next content line's index, or lines.length. */
  private skipBlank(): number {
    while (this.i < this.lines.length) {
      const l = this.lines[this.i] as string;
      const t = l.trimStart();
      if (t === '' || t[0] === '#') this.i++;
      else break;
    }
    return this.i;
  }

  document(): unknown {
    // directives, document markers and a top level other than a block mapping at column 0 are the package's,
    // but for one `---` line alone before the mapping (an explicit start of the one document, which reads
    // the same: 3 rule files of the corpus open with it)
    this.skipBlank();
    if (this.lines[this.i] === '---') {
      this.i++;
      this.skipBlank();
    }
    const first = this.i;
    if (this.lines.some((l, k) => k >= first && (l.startsWith('---') || l.startsWith('...') || l.startsWith('%')))) bail();
    if (this.lines.some((l, k) => k < first && l.startsWith('%'))) bail();
    if (this.i >= this.lines.length) bail();
    if (Reader.indent(this.lines[this.i] as string) !== 0) bail();
    const v = this.mapping(0);
    this.skipBlank();
    if (this.i < this.lines.length) bail();
    return v;
  }

  /** A block mapping whose keys are at column `n`; the current line is its first key's. */
  private mapping(n: number, first?: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    // `first`: the rest of a `- key: value` line (the mapping starts after the dash)
    let line: string | undefined = first;
    for (;;) {
      if (line === undefined) {
        const next = this.lineAt(n);
        if (next === null) break;
        line = next;
        if (line.startsWith('- ') || line === '-') break;
      }
      let key: string;
      let rest: string;
      if (line[0] === '"' || line[0] === "'") {
        // a quoted key: always a string
        const q = quotedEnd(line);
        if (line[q.end] !== ':') bail();
        key = q.value;
        rest = line.slice(q.end + 1);
      } else {
        const colon = keyEnd(line);
        if (colon < 0) bail();
        key = line.slice(0, colon);
        if (!PLAIN_KEY.test(key) || key.endsWith(' ') || key.endsWith(':') || typeof resolvePlain(key) !== 'string' || (this.yaml11 && !sameInYaml11(key))) bail();
        rest = line.slice(colon + 1);
      }
      // (an implicit key is at most 1024 characters)
      if (key.length > 1000) bail();
      this.i++;
      setKey(out, key, this.value(rest, n, true), this.unique);
      line = undefined;
    }
    return out;
  }

  /**
   * The value after `key:` (`inMap`) or `- ` at column `n`: `rest` is the rest of that line (the current
   * line is already the next one).
   */
  private value(rest: string, n: number, inMap: boolean): unknown {
    if (rest !== '' && rest[0] !== ' ') bail();
    const t = rest.trim();
    if (t === '' || t[0] === '#') {
      // the value is on the lines below: a nested block, a flow collection, or nothing (null, in YAML 1.1 too)
      const from = this.i;
      const at = this.skipBlank();
      if (at >= this.lines.length) return null;
      const l = this.lines[at] as string;
      const ind = Reader.indent(l);
      const body = l.slice(ind);
      // a sequence as a mapping's value may start at the key's own column
      if (inMap && ind === n && (body.startsWith('- ') || body === '-')) return this.sequence(n);
      if (ind <= n) return null;
      if (body.startsWith('- ') || body === '-') return this.sequence(ind);
      if (body[0] === '{' || body[0] === '[') {
        this.i = at;
        return this.flow(ind, n, true);
      }
      if (isKeyLine(body)) return this.mapping(ind);
      // a scalar alone on the lines below; the package refuses a plain one after a comment line at or left of
      // the key's column when more follows (`b:\n#c\n  x\nc: 1`: "Implicit keys need to be on a single line"),
      // so such a document is the package's to read (or refuse)
      if (body[0] !== '"' && body[0] !== "'") {
        for (let j = from; j < at; j++) {
          const s = this.lines[j] as string;
          if (s.trimStart()[0] === '#' && Reader.indent(s) <= n) bail();
        }
      }
      this.i = at + 1;
      return body[0] === '"' || body[0] === "'" ? this.quoted(body) : this.plain(body, n);
    }
    const c = t[0] as string;
    if (c === '"' || c === "'") return this.quoted(t);
    if (c === '|' || c === '>') return this.blockScalar(t, n);
    if (c === '{' || c === '[') {
      // a flow collection starting on this line: re-read it from the `{`
      this.i--;
      const line = this.lines[this.i] as string;
      // (in a sequence item, only a collection on one line: how far its lines must be indented is the package's)
      return this.flow(line.length - rest.length + rest.indexOf(c), n, inMap);
    }
    return this.plain(t, n);
  }

  /**
   * The next non-blank line from column `n` on, when it is indented exactly `n` (the block goes on);
   * null at the end of the text or on a line indented less (the block ends); a deeper one is not plain.
   */
  private lineAt(n: number): string | null {
    this.skipBlank();
    if (this.i >= this.lines.length) return null;
    const l = this.lines[this.i] as string;
    const ind = Reader.indent(l);
    if (ind < n) return null;
    if (ind > n) bail();
    return l.slice(n);
  }

  /** A block sequence whose dashes are at column `n`; the current line is its first item's. */
  private sequence(n: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const body = this.lineAt(n);
      if (body === null) break;
      if (!(body.startsWith('- ') || body === '-')) break;
      const after = body.slice(2);
      const t = after.trimStart();
      if (t === '' || t[0] === '#' || t[0] === '-' || t[0] === '?' || t[0] === ':') {
        // an item whose value starts on the next line, or a nested sequence on the same line: the package's
        bail();
      }
      if (after[0] === ' ') bail();
      if (isKeyLine(after)) {
        // `- key: value`: a mapping whose keys are at the column after the dash
        out.push(this.mapping(n + 2, after));
        continue;
      }
      this.i++;
      out.push(this.value(` ${after}`, n, false));
    }
    return out;
  }

  /** A quoted scalar that ends on its line, then nothing but a comment. */
  private quoted(t: string): string {
    const q = quotedEnd(t);
    const tail = t.slice(q.end);
    if (tail !== '' && !/^ +(#.*)?$/.test(tail)) bail();
    return q.value;
  }

  /**
   * A plain scalar starting on the current value's line, continued on the more indented lines below
   * (folded: one line break is a space, n blank lines are n line feeds). Parent at column `n`.
   */
  private plain(first: string, n: number): unknown {
    // indicators a plain scalar may not start with (`-`, `?`, `:` only before a space... left to the package)
    // (a `-` before a character other than a space starts a plain scalar, e.g. -1 or -abc)
    if (/^[?:,[\]{}#&*!|>'"%@`]/.test(first) || /^-(?: |$)/.test(first)) bail();
    let text = plainPart(first);
    // a comment ends the scalar: a line after it would be the package's to read (or refuse)
    let commented = first.includes(' #');
    let multi = false;
    let blanks = 0;
    while (this.i < this.lines.length) {
      const l = this.lines[this.i] as string;
      const t = l.trim();
      if (t === '') {
        blanks++;
        this.i++;
        continue;
      }
      const ind = Reader.indent(l);
      if (ind <= n) break;
      // a comment, or anything that could end the scalar differently, among its lines
      if (commented || t[0] === '#' || /^[-?:,[\]{}&*!|>'"%@`]/.test(t)) bail();
      commented = t.includes(' #');
      text += blanks ? '\n'.repeat(blanks) : ' ';
      text += plainPart(t);
      blanks = 0;
      multi = true;
      this.i++;
    }
    // blank lines after the scalar belong to no one: step back to the first of them
    this.i -= blanks;
    if (this.yaml11 && !sameInYaml11(text)) bail();
    return multi ? text : resolvePlain(text);
  }

  /** A `|` or `>` block scalar (no indentation indicator); the parent is at column `n`. */
  private blockScalar(header: string, n: number): string {
    const m = /^([|>])([-+]?)( +#.*)?$/.exec(header);
    if (!m) bail();
    const folded = m[1] === '>';
    const chomp = m[2];
    // the content's indentation: that of its first non-blank line
    let j = this.i;
    const leading: number[] = [];
    while (j < this.lines.length && (this.lines[j] as string).trim() === '') leading.push((this.lines[j++] as string).length);
    if (j >= this.lines.length) bail();
    const m0 = Reader.indent(this.lines[j] as string);
    if (m0 <= n) bail();
    // more-indented leading blank lines need an indentation indicator: the package's
    // (and leading blank lines at all: left to the package)
    if (leading.length > 0) bail();
    const content: string[] = leading.map(() => '');
    for (; j < this.lines.length; j++) {
      const l = this.lines[j] as string;
      if (l.trim() === '') {
        // a blank line: spaces beyond the indentation would be content
        if (l.length > m0) bail();
        content.push('');
        continue;
      }
      const ind = Reader.indent(l);
      if (ind < m0) {
        if (ind > n) bail();
        break;
      }
      const c = l.slice(m0);
      // folded lines with leading spaces ("more indented") keep their breaks: the package's
      if (folded && c[0] === ' ') bail();
      content.push(c);
    }
    // trailing blank lines: kept by `+`, else dropped (one line feed kept by clip)
    let end = content.length;
    while (end > 0 && content[end - 1] === '') end--;
    const trailing = content.length - end;
    const lines = content.slice(0, end);
    // the blank lines after the scalar are the parent's to skip: stand on the first of them
    this.i = j - trailing;
    if (chomp === '+') {
      // the kept blank lines end where the next content starts: leave it to the package
      bail();
    }
    if (lines.length === 0) bail();
    let body: string;
    if (!folded) body = lines.join('\n');
    else {
      body = '';
      let blanks = 0;
      for (const [k, l] of lines.entries()) {
        if (l === '') {
          blanks++;
          continue;
        }
        if (k > 0) body += blanks ? '\n'.repeat(blanks) : ' ';
        body += l;
        blanks = 0;
      }
    }
    return chomp === '-' ? body : `${body}\n`;
  }

  /**
   * A JSON-like flow collection starting at column `col` of the current line (the value of a key at
   * column `n`): read with JSON.parse, which gives the same value as YAML for JSON text. Its lines below
   * the first must be indented past `n`, and nothing but a comment may follow it.
   */
  private flow(col: number, n: number, multiline: boolean): unknown {
    const start = this.lines[this.i] as string;
    const scan = { depth: 0, out: '' };
    let end = flowEnd(start, col, scan);
    // the collection's text as JSON: comments left out, single-quoted strings written as JSON strings
    const parts = [scan.out];
    let j = this.i;
    while (end < 0) {
      if (!multiline) bail();
      j++;
      if (j >= this.lines.length) bail();
      const l = this.lines[j] as string;
      // a line is indented past the key's column, but for the outermost closing bracket alone at that column
      // (`Log: {` ... `}` under the L), which the package takes as the end of the collection (a line at the
      // column that starts otherwise, even with a bracket closing an inner collection, is an error there)
      const ind = Reader.indent(l);
      if (l.trim() !== '' && ind <= n && !(ind === n && scan.depth === 1 && (l[n] === '}' || l[n] === ']'))) bail();
      end = flowEnd(l, 0, scan);
      parts.push(scan.out);
    }
    const tail = (this.lines[j] as string).slice(end);
    if (tail !== '' && !/^ *( #.*)?$/.test(tail)) bail();
    const text = parts.join('\n');
    let v: unknown;
    let empty = false;
    const json = text.replace(TRAILING_COMMA, (_m, q: string | undefined, bad: string | undefined, close: string | undefined) => {
      if (bad !== undefined) empty = true;
      return q ?? bad ?? (close as string);
    });
    if (empty) bail();
    try {
      v = JSON.parse(json);
    } catch {
      bail();
    }
    // JSON.parse keeps the last of repeated keys; where keys must be unique, the package says error
    if (this.unique && hasRepeatedKey(json)) bail();
    // YAML 1.1 reads some JSON numbers (1e5) as strings: only strings, booleans and nulls there
    if (this.yaml11 && hasNumber(v)) bail();
    this.i = j + 1;
    return v;
  }
}

/** A quoted scalar at the start of `t` that ends on this line: its value and the index after its closing quote. */
function quotedEnd(t: string): { value: string; end: number } {
  const q = t[0];
  let s = '';
  let j = 1;
  if (q === "'") {
    for (;;) {
      const k = t.indexOf("'", j);
      if (k < 0) bail();
      s += t.slice(j, k);
      if (t[k + 1] === "'") {
        s += "'";
        j = k + 2;
      } else return { value: s, end: k + 1 };
    }
  }
  for (;;) {
    if (j >= t.length) bail();
    const ch = t[j] as string;
    if (ch === '"') return { value: s, end: j + 1 };
    if (ch !== '\\') {
      s += ch;
      j++;
      continue;
    }
    const e = t[j + 1];
    if (e !== undefined && e in ESCAPES) {
      s += ESCAPES[e];
      j += 2;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(j + 2, j + 6))) {
      s += String.fromCharCode(parseInt(t.slice(j + 2, j + 6), 16));
      j += 6;
    } else bail();
  }
}

/** The escapes of a double-quoted scalar the reader takes (JSON's, and `\0`), as YAML reads them. */
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };

/** Whether a block line starts with `key:` (plain or quoted key) rather than a scalar. */
function isKeyLine(line: string): boolean {
  const c = line[0];
  if (c === '{' || c === '[') return false;
  if (c === '"' || c === "'") {
    try {
      return line[quotedEnd(line).end] === ':';
    } catch (e) {
      if (e === NOT_PLAIN) return false;
      throw e;
    }
  }
  return keyEnd(line) >= 0;
}

/** Whether an object of valid JSON text repeats a key (compared as decoded strings). */
function hasRepeatedKey(json: string): boolean {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let k = 0; k < json.length; k++) {
    const c = json[k];
    if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') expectKey = stack[stack.length - 1] instanceof Set;
    else if (c === '"') {
      let e = k + 1;
      while (json[e] !== '"') e += json[e] === '\\' ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(json.slice(k, e + 1)) as string;
        if (keys.has(key)) return true;
        keys.add(key);
      }
      expectKey = false;
      k = e;
    }
  }
  return false;
}

function hasNumber(v: unknown): boolean {
  if (typeof v === 'number') return true;
  if (v && typeof v === 'object') return Object.values(v).some(hasNumber);
  return false;
}

/**
 * Where a `key:` ends on a block line (the colon's index), or -1: the first `:` followed by a space or
 * the line's end, before any ` #`. Keys that are quoted or hold other indicators are the package's.
 */
function keyEnd(line: string): number {
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (c === '#' && (k === 0 || line[k - 1] === ' ')) return -1;
    if (c === ':' && (k + 1 === line.length || line[k + 1] === ' ')) return k;
  }
  return -1;
}

/** One line of a plain scalar, trimmed, up to a comment; a `: ` inside (a key where a value is) is the package's. */
function plainPart(t: string): string {
  let s = t;
  const hash = s.indexOf(' #');
  if (hash >= 0) s = s.slice(0, hash);
  s = s.trim();
  if (keyEnd(s) >= 0 || s.endsWith(':')) bail();
  return s;
}

/**
 * Scans one line of a JSON-like flow collection from `from`, the nesting depth carried in `scan` from line to
 * line (a string never spans lines here): the index after the collection's closing bracket, or -1. `scan.out`:
 * the line's part of the collection as JSON text, without a comment (a `#` after a space or at the line's
 * start, to its end) and with single-quoted strings (`''` an apostrophe, nothing escaped) as JSON strings.
 */
function flowEnd(line: string, from: number, scan: { depth: number; out: string }): number {
  let out = '';
  let copied = from;
  let end = -1;
  let j = from;
  for (; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 34) {
      for (j++; j < line.length && line.charCodeAt(j) !== 34; j++) if (line.charCodeAt(j) === 92) j++;
      if (j >= line.length) bail();
    } else if (c === 39) {
      let value = '';
      let k = j + 1;
      for (;;) {
        const q = line.indexOf("'", k);
        if (q < 0) bail();
        value += line.slice(k, q);
        if (line.charCodeAt(q + 1) === 39) {
          value += "'";
          k = q + 2;
        } else {
          k = q + 1;
          break;
        }
      }
      out += line.slice(copied, j) + JSON.stringify(value);
      copied = k;
      j = k - 1;
    } else if (c === 123 || c === 91) scan.depth++;
    else if (c === 125 || c === 93) {
      scan.depth--;
      if (scan.depth === 0) {
        end = j + 1;
        break;
      }
    } else if (c === 35) {
      // a comment to the end of the line; a # after anything else is not JSON
      if (j > 0 && line.charCodeAt(j - 1) !== 32) bail();
      break;
    }
  }
  scan.out = out + line.slice(copied, end >= 0 ? end : j);
  return end;
}

/**
 * The document's value as the `yaml` package reads it, or undefined when the text is outside the subset.
 * `uniqueKeys`: as the package's option (the rule loader passes false; `parse(text)` has it true).
 * `yaml11`: only a document YAML 1.1 reads alike (the Sigma reader's condition, src/proof/sigma/yaml.ts).
 */
export function readPlainYaml(text: string, opts: { uniqueKeys: boolean; yaml11?: boolean } = { uniqueKeys: false }): unknown {
  if (!PRINTABLE.test(text)) return undefined;
  try {
    return new Reader(text, opts.uniqueKeys, opts.yaml11 ?? false).document();
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}

/**
 * The documents of a YAML stream whose documents are separated by lines `---` alone, each read as
 * readPlainYaml reads one (documents with nothing but comments, which the package reads as null, left
 * out); undefined when any part is outside the subset.
 */
export function readPlainYamlDocuments(text: string, opts: { uniqueKeys: boolean; yaml11?: boolean }): unknown[] | undefined {
  // (no line breaks other than \n, for the split as for the reader)
  if (!PRINTABLE.test(text)) return undefined;
  const docs: unknown[] = [];
  for (const part of text.split(/^---$/m)) {
    if (part.split('\n').every((l) => l.trim() === '' || l.trimStart().startsWith('#'))) continue;
    // (the part after a marker starts with the marker's line break)
    const v = readPlainYaml(part.startsWith('\n') ? part.slice(1) : part, opts);
    if (v === undefined) return undefined;
    docs.push(v);
  }
  return docs.length ? docs : undefined;
}
