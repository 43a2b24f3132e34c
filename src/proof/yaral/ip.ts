/**
 * `net.ip_in_range_cidr(ip, "cidr")` (https://cloud.google.com/chronicle/docs/detection/yara-l-2-0-functions/net-ip-in-range-cidr):
 * true when the IP address lies in the subnet; IPv4 and IPv6 are both supported. A value that is not an
 * address is not in any range. Spellings no document settles (IPv4 with leading zeros, IPv4-mapped IPv6
 * against an IPv4 range, zones) are refused. The text itself is read by the shared `../ip.ts`.
 */
import { addressBits, inNetwork, parseAddress, splitPrefix, type Address, type Prefixed } from '../ip.js';
import { Refusal } from '../types.js';

export type Ip = Address;

/**
 * Whether a dotted-quad text counts as IPv4 with leading zeros (refused): reading its four parts left to
 * right, a part with a leading zero comes before any part that is malformed or above 255. So `01.2.3.4`
 * and `01.2.3.999` are refused, `1.2.3.999` and `999.01.2.3` are no address.
 */
function leadingZerosFirst(text: string): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || Number(p) > 255) return false;
    if (p.length > 1 && p.startsWith('0')) return true;
  }
  return false;
}

/** Parse an address; null when the text is not one; Refusal for undocumented spellings. */
export function parseIp(s: string): Ip | null {
  if (s.includes(':')) {
    if (s.includes('%')) throw new Refusal(`YARA-L: IPv6 zone in ${JSON.stringify(s)}`);
    const last = s.slice(s.lastIndexOf(':') + 1);
    if (last.includes('.') && leadingZerosFirst(last)) throw new Refusal(`YARA-L: IPv4 part with leading zeros in ${JSON.stringify(s)}`);
    const a = parseAddress(s);
    if (a?.v4Mapped) throw new Refusal(`YARA-L: IPv4-mapped IPv6 address ${JSON.stringify(s)} (range semantics not documented)`);
    return a;
  }
  if (leadingZerosFirst(s)) throw new Refusal(`YARA-L: IPv4 address with leading zeros ${JSON.stringify(s)}`);
  return parseAddress(s);
}

export type Cidr = Prefixed;

export function parseCidr(s: string): Cidr {
  const m = splitPrefix(s);
  const prefix = m?.prefix;
  const net = m && prefix !== undefined ? parseIp(m.address) : null;
  if (!net || prefix === undefined || prefix > addressBits(net.version)) throw new Refusal(`YARA-L: net.ip_in_range_cidr range ${JSON.stringify(s)} is not a CIDR`);
  return { version: net.version, value: net.value, prefix };
}

export function inCidr(ip: Ip, c: Cidr): boolean {
  return inNetwork(ip, c);
}
