/**
 * `isIpInSubnet(field, "cidr")`: "Returns true if the field is a valid v4 or v6 IP address within the
 * specified v4 or v6 subnet" (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html,
 * IP address string functions). What counts as a valid address is not documented: the usual textual
 * forms are read (dotted quad without leading zeros, RFC 4291 IPv6 text without a zone); a value that
 * looks like an address but is not one of those forms (leading zeros, a zone, ...) is refused; a value
 * that is plainly no address (`AWS Internal`, a host name) is not valid, hence false. Whether an
 * IPv4-mapped IPv6 address lies in an IPv4 subnet (or the reverse) is not documented: refused.
 */
import { Refusal } from '../types.js';

interface Addr {
  v: 4 | 6;
  n: bigint;
}

function v4(s: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let n = 0n;
  for (const p of m.slice(1)) {
    if (p.length > 1 && p.startsWith('0')) return null;
    const x = Number(p);
    if (x > 255) return null;
    n = (n << 8n) | BigInt(x);
  }
  return n;
}

function v6(s: string): bigint | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return null;
  let tail: bigint | null = null;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = v4(s.slice(lastColon + 1));
    if (tail === null) return null;
    text = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): number[] | null => {
    if (h === '') return [];
    const parts = h.split(':');
    const out: number[] = [];
    for (const p of parts) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(p)) return null;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  const a = parse(halves[0]!);
  const b = halves.length === 2 ? parse(halves[1]!) : [];
  if (!a || !b) return null;
  let groups: number[];
  if (halves.length === 2) {
    if (a.length + b.length > 7) return null;
    groups = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  } else {
    if (a.length !== 8) return null;
    groups = a;
  }
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  if (tail !== null) n = (n & ~0xffffffffn) | tail;
  return n;
}

function addr(s: string): Addr | null {
  const a = v4(s);
  if (a !== null) return { v: 4, n: a };
  const b = v6(s);
  if (b !== null) return { v: 6, n: b };
  return null;
}

const MAPPED = { n: 0xffff00000000n, len: 96 }; // ::ffff:0:0/96
const COMPAT = { n: 0n, len: 96 }; // ::/96 (IPv4-compatible, deprecated)

function inNet(n: bigint, net: bigint, len: number, bits: number): boolean {
  const shift = BigInt(bits - len);
  return n >> shift === net >> shift;
}

/** Parse the subnet literal of the query: refused when it is not a CIDR of the usual form. */
export function parseCidr(text: string): { v: 4 | 6; n: bigint; len: number } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const a = m ? addr(m[1]!) : null;
  const len = m ? Number(m[2]) : NaN;
  if (!a || !(len <= (a.v === 4 ? 32 : 128))) throw new Refusal(`isIpInSubnet with the subnet ${JSON.stringify(text)} (not a CIDR block)`);
  return { v: a.v, n: a.n, len };
}

export function ipInSubnet(value: string, cidr: { v: 4 | 6; n: bigint; len: number }): boolean {
  const a = addr(value);
  if (!a) {
    if (/^[0-9A-Fa-f:.%]+$/.test(value) && /[.:]/.test(value) && /\d/.test(value)) {
      throw new Refusal(`isIpInSubnet on ${JSON.stringify(value)}: whether this text is a valid address is undocumented`);
    }
    return false; // plainly not an IP address: "a valid ... IP address" fails
  }
  if (a.v === cidr.v) return inNet(a.n, cidr.n, cidr.len, a.v === 4 ? 32 : 128);
  if (a.v === 4) {
    // an IPv4 address against an IPv6 subnet: only if its mapped (::ffff:a.b.c.d) or compatible
    // (::a.b.c.d) form lies in the subnet could the answer depend on how the engine converts it
    if (inNet(MAPPED.n | a.n, cidr.n, cidr.len, 128) || inNet(a.n, cidr.n, cidr.len, 128)) {
      throw new Refusal(`isIpInSubnet(${value}, an IPv6 subnet holding its IPv4-mapped form): undocumented`);
    }
    return false;
  }
  if (inNet(a.n, MAPPED.n, MAPPED.len, 128) || inNet(a.n, COMPAT.n, COMPAT.len, 128)) {
    throw new Refusal(`isIpInSubnet on the IPv4-mapped address ${value} with an IPv4 subnet: undocumented`);
  }
  return false;
}
