/**
 * Sigma values: strings with wildcards and escapes, case-insensitive comparison, CIDR networks.
 *
 * Specification: SigmaHQ/sigma-specification, specification/sigma-rules-specification.md
 * (https://github.com/SigmaHQ/sigma-specification/blob/main/specification/sigma-rules-specification.md),
 * sections "General", "String Wildcard", "Escaping"; modifiers in specification/sigma-appendix-modifiers.md.
 */
import { addressBits, inNetwork, parsePlainAddress, splitPrefix, type Address, type Prefixed } from '../ip.js';
import { Refusal } from '../types.js';

/** Three-valued result: true, false, or undecidable (with the reason). */
export type Tri = boolean | { unknown: string };

export const isUnknown = (t: Tri): t is { unknown: string } => typeof t === 'object';

/** Kleene OR (`unknown` unless a true decides). */
export function triOr(xs: Iterable<Tri>): Tri {
  let u: { unknown: string } | undefined;
  for (const x of xs) {
    if (x === true) return true;
    if (isUnknown(x)) u ??= x;
  }
  return u ?? false;
}

/** Kleene AND. */
export function triAnd(xs: Iterable<Tri>): Tri {
  let u: { unknown: string } | undefined;
  for (const x of xs) {
    if (x === false) return false;
    if (isUnknown(x)) u ??= x;
  }
  return u ?? true;
}

export function triNot(x: Tri): Tri {
  return isUnknown(x) ? x : !x;
}

export const WILD_MULTI = { wild: '*' } as const;
export const WILD_SINGLE = { wild: '?' } as const;
export type StrPart = string | typeof WILD_MULTI | typeof WILD_SINGLE;

/**
 * Parse a plain Sigma string value into literal text and wildcards ("Escaping"):
 * `*` and `?` are wildcards; `\` escapes `*`, `?` and `\`; a `\` before any other character (or at the
 * end) is a literal backslash. So `\\*` is a backslash then a wildcard, `\\\*` a backslash then a
 * literal `*`, and three or four backslashes are two literal ones.
 */
export function parseSigmaString(s: string): StrPart[] {
  const out: StrPart[] = [];
  let acc = '';
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\') {
      const n = chars[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        acc += n;
        i++;
      } else acc += '\\';
    } else if (c === '*' || c === '?') {
      if (acc) out.push(acc);
      acc = '';
      out.push(c === '*' ? WILD_MULTI : WILD_SINGLE);
    } else acc += c;
  }
  if (acc) out.push(acc);
  return out;
}

export const hasWildcards = (parts: StrPart[]) => parts.some((p) => typeof p !== 'string');

/** `contains`/`startswith`/`endswith`: wildcards around the value (the appendix: "Puts `*` wildcards around"). */
export function wrap(parts: StrPart[], how: 'contains' | 'startswith' | 'endswith'): StrPart[] {
  const out = [...parts];
  const first = out[0];
  const last = out[out.length - 1];
  if ((how === 'contains' || how === 'endswith') && first !== WILD_MULTI) out.unshift(WILD_MULTI);
  if ((how === 'contains' || how === 'startswith') && last !== WILD_MULTI) out.push(WILD_MULTI);
  return out;
}

const reEscape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => `\\${c}`);

function toRegExp(parts: StrPart[], fold: (s: string) => string): RegExp {
  const body = parts
    .map((p) => (typeof p === 'string' ? reEscape(fold(p)) : p === WILD_MULTI ? '[\\s\\S]*' : '[\\s\\S]'))
    .join('');
  return new RegExp(`^${body}$`, 'u');
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const unicodeLower = (s: string) => s.toLowerCase();
const identity = (s: string) => s;

/** A compiled plain (wildcard) string value. */
export class WildcardString {
  private readonly cased?: RegExp;
  private readonly ascii?: RegExp;
  private readonly unicode?: RegExp;

  constructor(
    readonly parts: StrPart[],
    readonly caseSensitive: boolean,
    readonly text: string,
  ) {
    if (caseSensitive) this.cased = toRegExp(parts, identity);
    else {
      this.ascii = toRegExp(parts, asciiLower);
      this.unicode = toRegExp(parts, unicodeLower);
    }
  }

  /**
   * Whether the whole value matches. Case-insensitive matching is the default ("All values are treated
   * as case-insensitive strings"); which case folding applies beyond ASCII is not specified: when
   * ASCII-only and full Unicode lower-casing disagree, the result is unknown.
   */
  test(v: string): Tri {
    if (this.cased) return this.cased.test(v);
    const a = this.ascii!.test(asciiLower(v));
    const u = this.unicode!.test(unicodeLower(v));
    if (a === u) return a;
    return { unknown: `Sigma case-insensitive matching of non-ASCII text ('${this.text}' against '${v}') is not specified` };
  }
}

// ---- IP networks (`cidr`, appendix "IP (Internet Protocol) Modifiers": IPv4 and IPv6 notations) ----
// The text is read by the shared `../ip.ts`; an address with leading zeros (octal in some parsers:
// ambiguous) or a zone is not read as one.

/** An IPv4 or IPv6 address in its plain textual form, or undefined. */
export function parseIp(s: string): Address | undefined {
  return parsePlainAddress(s) ?? undefined;
}

export class CidrNet {
  readonly net: Prefixed;
  readonly bits: number;
  constructor(readonly text: string) {
    const m = splitPrefix(text.trim());
    const addr = m ? parseIp(m.address) : undefined;
    if (!m || !addr) throw new Refusal(`Sigma cidr value '${text}' is not an IPv4/IPv6 network`);
    const max = addressBits(addr.version);
    const bits = m.prefix ?? max;
    if (bits > max) throw new Refusal(`Sigma cidr value '${text}': prefix length ${bits} exceeds ${max}`);
    this.bits = bits;
    this.net = { version: addr.version, value: addr.value, prefix: bits };
  }

  /** Whether a textual address lies in the network (a value that is not an address does not). */
  test(v: string): Tri {
    if (v.includes('%')) return { unknown: `Sigma cidr on a scoped IPv6 address '${v}' is not specified` };
    const a = parseIp(v);
    if (!a) return false;
    if (a.version !== this.net.version) {
      // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) against an IPv4 network, or the reverse: backend-defined
      if (a.v4Mapped) return { unknown: `Sigma cidr of the IPv4-mapped address '${v}' against ${this.text} is backend-defined` };
      return false;
    }
    return inNetwork(a, this.net);
  }
}
