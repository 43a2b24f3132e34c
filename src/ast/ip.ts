/** IPv4/IPv6 parsing and network membership with Python `ipaddress` semantics (strict parsing). */

export interface Ip {
  v: 4 | 6;
  /** 4 or 16 bytes as a bigint. */
  n: bigint;
}

export function parseIp(s: string): Ip | null {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p, i) => p > 255 || (s.split('.')[i] as string).length > 1 && (s.split('.')[i] as string).startsWith('0'))) return null;
    return { v: 4, n: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let head = s;
  let tail4: bigint | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIp(s.slice(lastColon + 1));
    if (!v4 || v4.v !== 4) return null;
    tail4 = v4.n;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return null;
  const left = dbl[0] ? (dbl[0] as string).split(':') : [];
  const right = dbl.length === 2 && dbl[1] ? (dbl[1] as string).split(':') : [];
  if (dbl.length === 2 && left.length + right.length > 7) return null;
  const groups = dbl.length === 2 ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  if (groups.length !== 8 || (dbl.length === 2 && left.length + right.length > 7)) return null;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== null) n = (n & ~0xffffffffn) | tail4;
  return { v: 6, n };
}

export interface Net {
  v: 4 | 6;
  base: bigint;
  prefix: number;
}

/** Parse a network like Python's ip_network(strict=False). */
export function parseNet(s: string): Net | null {
  const [addr, pfx] = s.split('/');
  const ip = parseIp(addr as string);
  if (!ip) return null;
  const bits = ip.v === 4 ? 32 : 128;
  const prefix = pfx === undefined ? bits : Number(pfx);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return null;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { v: ip.v, base: ip.n & mask, prefix };
}

export function ipInNetwork(ip: string, net: string): boolean {
  const a = parseIp(ip);
  const n = parseNet(net);
  if (!a || !n || a.v !== n.v) return false;
  const bits = a.v === 4 ? 32 : 128;
  const mask = n.prefix === 0 ? 0n : ((1n << BigInt(n.prefix)) - 1n) << BigInt(bits - n.prefix);
  return (a.n & mask) === n.base;
}
