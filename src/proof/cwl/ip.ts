/**
 * `isIpInSubnet(field, "cidr")`: "Returns true if the field is a valid v4 or v6 IP address within the
 * specified v4 or v6 subnet" (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html,
 * IP address string functions). What counts as a valid address is not documented: the usual textual
 * forms are read (dotted quad without leading zeros, RFC 4291 IPv6 text without a zone); a value that
 * looks like an address but is not one of those forms (leading zeros, a zone, ...) is refused; a value
 * that is plainly no address (`AWS Internal`, a host name) is not valid, hence false. Whether an
 * IPv4-mapped IPv6 address lies in an IPv4 subnet (or the reverse) is not documented: refused.
 * The text itself is read by the shared `../ip.ts`.
 */
import { inNetwork, parseNetwork, parsePlainAddress, V4_COMPATIBLE, V4_MAPPED, type Network } from '../ip.js';
import { Refusal } from '../types.js';

/** Parse the subnet literal of the query: refused when it is not a CIDR of the usual form (`/prefix` required). */
export function parseCidr(text: string): Network {
  const net = parseNetwork(text);
  if (!net || !net.prefixGiven || net.address.leadingZeros || net.address.zone !== undefined) {
    throw new Refusal(`isIpInSubnet with the subnet ${JSON.stringify(text)} (not a CIDR block)`);
  }
  return net;
}

export function ipInSubnet(value: string, cidr: Network): boolean {
  const a = parsePlainAddress(value);
  if (!a) {
    if (/^[0-9A-Fa-f:.%]+$/.test(value) && /[.:]/.test(value) && /\d/.test(value)) {
      throw new Refusal(`isIpInSubnet on ${JSON.stringify(value)}: whether this text is a valid address is undocumented`);
    }
    return false; // plainly not an IP address: "a valid ... IP address" fails
  }
  if (a.version === cidr.version) return inNetwork(a, cidr);
  if (a.version === 4) {
    // an IPv4 address against an IPv6 subnet: only if its mapped (::ffff:a.b.c.d) or compatible
    // (::a.b.c.d) form lies in the subnet could the answer depend on how the engine converts it
    if (inNetwork({ version: 6, value: V4_MAPPED.value | a.value }, cidr) || inNetwork({ version: 6, value: a.value }, cidr)) {
      throw new Refusal(`isIpInSubnet(${value}, an IPv6 subnet holding its IPv4-mapped form): undocumented`);
    }
    return false;
  }
  if (inNetwork(a, V4_MAPPED) || inNetwork(a, V4_COMPATIBLE)) {
    throw new Refusal(`isIpInSubnet on the IPv4-mapped address ${value} with an IPv4 subnet: undocumented`);
  }
  return false;
}
