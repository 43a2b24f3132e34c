/**
 * `net.ip_in_range_cidr(ip, "cidr")` (https://cloud.google.com/chronicle/docs/detection/yara-l-2-0-functions/net-ip-in-range-cidr):
 * true when the IP address lies in the subnet; IPv4 and IPv6 are both supported. A value that is not an
 * address is not in any range. Spellings no document settles (IPv4 with leading zeros, IPv4-mapped IPv6
 * against an IPv4 range, zones) are refused.
 */
import { Refusal } from '../types.js';

export type Ip = { v: 4 | 6; bytes: number[] };

function v4(s: string): number[] | null | 'ambiguous' {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    if (p.length > 1 && p.startsWith('0')) return 'ambiguous';
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** Parse an address; null when the text is not one; Refusal for undocumented spellings. */
export function parseIp(s: string): Ip | null {
  if (s.includes(':')) {
    if (s.includes('%')) throw new Refusal(`YARA-L: IPv6 zone in ${JSON.stringify(s)}`);
    let head = s;
    const lastColon = s.lastIndexOf(':');
    if (s.slice(lastColon + 1).includes('.')) {
      const q = v4(s.slice(lastColon + 1));
      if (q === 'ambiguous') throw new Refusal(`YARA-L: IPv4 part with leading zeros in ${JSON.stringify(s)}`);
      if (!q) return null;
      head = s.slice(0, lastColon + 1) + ((q[0]! << 8) | q[1]!).toString(16) + ':' + ((q[2]! << 8) | q[3]!).toString(16);
    }
    const groupsWanted = 8;
    const dbl = head.split('::');
    if (dbl.length > 2) return null;
    const parse = (x: string): number[] | null => {
      if (x === '') return [];
      const gs = x.split(':');
      const out: number[] = [];
      for (const g of gs) {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
      return out;
    };
    const a = parse(dbl[0]!);
    const b = dbl.length === 2 ? parse(dbl[1]!) : [];
    if (!a || !b) return null;
    let groups: number[];
    if (dbl.length === 2) {
      const fill = groupsWanted - a.length - b.length;
      if (fill < 1) return null;
      groups = [...a, ...new Array<number>(fill).fill(0), ...b];
    } else groups = a;
    if (groups.length !== groupsWanted) return null;
    const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
    if (bytes.slice(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
      throw new Refusal(`YARA-L: IPv4-mapped IPv6 address ${JSON.stringify(s)} (range semantics not documented)`);
    }
    return { v: 6, bytes };
  }
  const q = v4(s);
  if (q === 'ambiguous') throw new Refusal(`YARA-L: IPv4 address with leading zeros ${JSON.stringify(s)}`);
  return q ? { v: 4, bytes: q } : null;
}

export interface Cidr {
  net: Ip;
  bits: number;
}

export function parseCidr(s: string): Cidr {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  const net = m ? parseIp(m[1]!) : null;
  const bits = m ? Number(m[2]) : NaN;
  if (!net || !(bits >= 0 && bits <= net.bytes.length * 8)) throw new Refusal(`YARA-L: net.ip_in_range_cidr range ${JSON.stringify(s)} is not a CIDR`);
  return { net, bits };
}

export function inCidr(ip: Ip, c: Cidr): boolean {
  if (ip.v !== c.net.v) return false;
  for (let b = 0; b < c.bits; b++) {
    const byte = b >> 3;
    const mask = 0x80 >> (b & 7);
    if ((ip.bytes[byte]! & mask) !== (c.net.bytes[byte]! & mask)) return false;
  }
  return true;
}
