/**
 * Python `ipaddress` address classes (is_private, is_global, ...) and validity, as AST predicates.
 * Shared by the Python lifter and simple detections.
 */
import type { Pred, Val } from './types.js';
import { and, not, or } from './normalize.js';

// IP addresses: validity as regular expressions that accept exactly what ip.ts' parseIp (Python's strict
// `ipaddress` parsing, without IPv6 scope ids) accepts, so that `cidr` never sees an invalid address.
// `ipaddress` parsing, without IPv6 scope ids) accepts, so that `cidr` never sees an invalid address.

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const V4 = `${OCTET}(?:\\.${OCTET}){3}`;
const H = '[0-9a-fA-F]{1,4}';
const V6_FORMS = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){1,7}:`,
  `(?:${H}:){1,6}:${H}`,
  `(?:${H}:){1,5}(?::${H}){1,2}`,
  `(?:${H}:){1,4}(?::${H}){1,3}`,
  `(?:${H}:){1,3}(?::${H}){1,4}`,
  `(?:${H}:){1,2}(?::${H}){1,5}`,
  `${H}:(?::${H}){1,6}`,
  `:(?:(?::${H}){1,7}|:)`,
  // an IPv4 tail counts as two groups
  `(?:${H}:){6}${V4}`,
  `::(?:${H}:){0,5}${V4}`,
  ...[1, 2, 3, 4, 5].map((k) => `(?:${H}:){${k}}:(?:${H}:){0,${5 - k}}${V4}`),
];
const V6 = `(?:${V6_FORMS.join('|')})`;
/** Full-match patterns for IPv4 / IPv6 / either address. */
export const IP_PATTERNS = { v4: V4, v6: V6, any: `(?:${V4}|${V6})` } as const;

/**
 * Python `ipaddress` private ranges that every CPython version agrees on, and the ones CVE-2024-4032
 * (3.11.10, 3.12.4, 3.13) changed: membership of the latter depends on the interpreter.
 */
export const PRIVATE_CORE = [
  '0.0.0.0/8', '10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/29', '192.0.0.170/31',
  '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4',
  '255.255.255.255/32', '::1/128', '::/128', '100::/64', '2001:db8::/32', 'fc00::/7', 'fe80::/10',
];
export const PRIVATE_DISPUTED = ['192.0.0.0/24', '::ffff:0:0/96', '64:ff9b:1::/48', '2001::/23', '2002::/16', '3fff::/20'];
/** Shared address space: neither private nor global in Python. */
export const SHARED = ['100.64.0.0/10'];


/** `v` is a str that ipaddress.ip_address() accepts (as IPv4, IPv6 or either). */
export function ipValid(v: Val, which: 'v4' | 'v6' | 'any' = 'any'): Pred {
  return and({ k: 'istype', value: v, type: 'str' }, { k: 'match', kind: 'regex', value: v, pattern: IP_PATTERNS[which], anchor: 'fullmatch' });
}

export type IpClass = 'is_private' | 'is_global' | 'is_loopback' | 'is_link_local' | 'is_multicast' | 'is_unspecified' | 'is_reserved';

const RANGES: Partial<Record<IpClass, string[]>> = {
  is_loopback: ['127.0.0.0/8', '::1/128'],
  is_link_local: ['169.254.0.0/16', 'fe80::/10'],
  is_multicast: ['224.0.0.0/4', 'ff00::/8'],
  is_unspecified: ['0.0.0.0/32', '::/128'],
  is_reserved: ['240.0.0.0/4', '::/8', '100::/8', '200::/7', '400::/6', '800::/5', '1000::/4', '4000::/3', '6000::/3', '8000::/3', 'a000::/3', 'c000::/3', 'e000::/4', 'f000::/5', 'f800::/6', 'fe00::/9', 'f000::/5'],
};

/**
 * `ip_address(v).<cls>` for a valid address (callers add `ipValid` where Python would raise).
 * The private/global ranges that CPython changed in 3.11.10/3.12.4/3.13 become `opaque(reason)`.
 */
export function ipClass(v: Val, cls: IpClass, opaque: (reason: string) => Pred): Pred {
  const fixed = RANGES[cls];
  if (fixed) return and(ipValid(v), { k: 'cidr', value: v, ranges: fixed });
  const disputed = and({ k: 'cidr', value: v, ranges: PRIVATE_DISPUTED }, opaque("whether this address is private depends on the Python version Panther runs (CPython changed ipaddress' private ranges in 3.11.10/3.12.4/3.13)"));
  const core: Pred = { k: 'cidr', value: v, ranges: PRIVATE_CORE };
  if (cls === 'is_private') return and(ipValid(v), or(core, disputed));
  return and(ipValid(v), not({ k: 'cidr', value: v, ranges: [...SHARED, ...PRIVATE_CORE] }), not(disputed));
}
