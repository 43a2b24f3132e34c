/**
 * The shared IP text reader of the reference evaluators (src/proof/ip.ts): the forms it reads, the
 * facts it reports, and what it does not read.
 */
import { describe, expect, it } from 'vitest';
import { inNetwork, parseAddress, parseNetwork, parsePlainAddress, splitPrefix, V4_COMPATIBLE, V4_MAPPED } from '../src/proof/ip.js';

const v4 = (a: number, b: number, c: number, d: number) => (BigInt(a) << 24n) | (BigInt(b) << 16n) | (BigInt(c) << 8n) | BigInt(d);

describe('parseAddress: IPv4', () => {
  it('reads the dotted quad', () => {
    expect(parseAddress('192.168.1.20')).toEqual({ version: 4, value: v4(192, 168, 1, 20), leadingZeros: false, embeddedV4: false, v4Mapped: false });
    expect(parseAddress('0.0.0.0')?.value).toBe(0n);
    expect(parseAddress('255.255.255.255')?.value).toBe(0xffffffffn);
  });

  it('reads leading zeros as decimal and reports them', () => {
    expect(parseAddress('010.0.0.1')).toMatchObject({ version: 4, value: v4(10, 0, 0, 1), leadingZeros: true });
    expect(parseAddress('192.168.001.000')).toMatchObject({ value: v4(192, 168, 1, 0), leadingZeros: true });
    expect(parseAddress('10.0.0.0')?.leadingZeros).toBe(false); // a lone 0 is no leading zero
    expect(parsePlainAddress('010.0.0.1')).toBeNull();
  });

  it('refuses other spellings', () => {
    for (const s of ['', '1.2.3', '1.2.3.4.5', '1.2.3.256', '1.2.3.4.', '.1.2.3', '1..2.3', '1.2.3.0x1', '1.2.3.1234', '0x7f.0.0.1', '127.1', '2130706433', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.-4', '1.2.3.4%eth0', '١.2.3.4']) {
      expect(parseAddress(s), s).toBeNull();
    }
  });
});

describe('parseAddress: IPv6', () => {
  it('reads the eight groups, in either case', () => {
    expect(parseAddress('2001:DB8:0:0:0:0:0:1')).toEqual({ version: 6, value: 0x20010db8000000000000000000000001n, leadingZeros: false, embeddedV4: false, v4Mapped: false });
    expect(parseAddress('2001:0db8:0000:0000:0000:0000:0000:0001')?.value).toBe(0x20010db8000000000000000000000001n);
  });

  it('reads `::` for one or more zero groups, anywhere', () => {
    expect(parseAddress('::')?.value).toBe(0n);
    expect(parseAddress('::1')?.value).toBe(1n);
    expect(parseAddress('fe80::')?.value).toBe(0xfe80n << 112n);
    expect(parseAddress('2001:db8::1')?.value).toBe(0x20010db8000000000000000000000001n);
    expect(parseAddress('1:2:3:4:5:6:7::')?.value).toBe(0x00010002000300040005000600070000n);
    expect(parseAddress('1::2:3:4:5:6:7')?.value).toBe(0x00010000000200030004000500060007n);
  });

  it('reads an embedded IPv4 dotted quad as the last 32 bits', () => {
    expect(parseAddress('::ffff:10.0.0.1')).toMatchObject({ version: 6, value: 0xffff0a000001n, embeddedV4: true, v4Mapped: true, leadingZeros: false });
    expect(parseAddress('::ffff:a00:1')).toMatchObject({ value: 0xffff0a000001n, embeddedV4: false, v4Mapped: true });
    expect(parseAddress('::10.0.0.1')).toMatchObject({ value: 0x0a000001n, embeddedV4: true, v4Mapped: false });
    expect(parseAddress('1:2:3:4:5:6:1.2.3.4')?.value).toBe(0x00010002000300040005000601020304n);
    expect(parseAddress('64:ff9b::192.0.2.33')?.value).toBe(0x0064ff9b0000000000000000c0000221n);
    expect(parseAddress('::ffff:010.0.0.1')).toMatchObject({ value: 0xffff0a000001n, leadingZeros: true });
  });

  it('reports a zone', () => {
    expect(parseAddress('fe80::1%eth0')).toMatchObject({ version: 6, value: (0xfe80n << 112n) | 1n, zone: 'eth0' });
    expect(parseAddress('fe80::1%1')?.zone).toBe('1');
    expect(parseAddress('fe80::1')?.zone).toBeUndefined();
    expect(parsePlainAddress('fe80::1%eth0')).toBeNull();
    expect(parseAddress('fe80::1%')).toBeNull();
    expect(parseAddress('fe80::1%a%b')).toBeNull();
    expect(parseAddress('fe80::1%a b')).toBeNull();
  });

  it('refuses other spellings', () => {
    for (const s of [
      ':',
      ':::',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7:8::',
      '::1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8::9',
      '1::2::3',
      ':1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:',
      '12345::',
      'g::1',
      '::1 ',
      '1:2:3:4:5:6:7:1.2.3.4',
      '1:2:3:4:5:6::1.2.3.4',
      '::1.2.3',
      '::1.2.3.256',
      '1.2.3.4::',
      '::ffff:1.2.3.4:1',
      '[::1]',
      '::-1',
    ]) {
      expect(parseAddress(s), s).toBeNull();
    }
  });
});

describe('parseNetwork', () => {
  it('reads address/prefix and clears the host bits', () => {
    expect(parseNetwork('10.0.0.0/8')).toMatchObject({ version: 4, value: v4(10, 0, 0, 0), prefix: 8, prefixGiven: true, hostBitsSet: false });
    expect(parseNetwork('10.1.2.3/8')).toMatchObject({ value: v4(10, 0, 0, 0), prefix: 8, hostBitsSet: true, address: { value: v4(10, 1, 2, 3) } });
    expect(parseNetwork('0.0.0.0/0')).toMatchObject({ value: 0n, prefix: 0 });
    expect(parseNetwork('2001:db8::/32')).toMatchObject({ version: 6, value: 0x20010db8n << 96n, prefix: 32, hostBitsSet: false });
    expect(parseNetwork('::/0')).toMatchObject({ version: 6, value: 0n, prefix: 0 });
    expect(parseNetwork('::ffff:10.0.0.0/104')).toMatchObject({ version: 6, prefix: 104, address: { embeddedV4: true, v4Mapped: true } });
    expect(parseNetwork('fe80::%eth0/64')).toMatchObject({ prefix: 64, address: { zone: 'eth0' } });
    expect(parseNetwork('10.0.0.0/08')?.prefix).toBe(8); // prefix digits are decimal
  });

  it('takes a bare address as a network of one', () => {
    expect(parseNetwork('10.0.0.1')).toMatchObject({ version: 4, value: v4(10, 0, 0, 1), prefix: 32, prefixGiven: false, hostBitsSet: false });
    expect(parseNetwork('::1')).toMatchObject({ version: 6, value: 1n, prefix: 128, prefixGiven: false });
  });

  it('refuses other forms', () => {
    for (const s of ['10.0.0.0/33', '::/129', '10.0.0.0/', '/8', '10.0.0.0/8/8', '10.0.0.0/-1', '10.0.0.0/1234', '10.0.0.0/255.0.0.0', '10.0.0.0 /8', '10.0.0.0/ 8', '10.0.0/8', 'example.com/8']) {
      expect(parseNetwork(s), s).toBeNull();
    }
  });

  it('splitPrefix splits at the first slash', () => {
    expect(splitPrefix('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8 });
    expect(splitPrefix('10.0.0.0')).toEqual({ address: '10.0.0.0' });
    expect(splitPrefix('10.0.0.0/40')).toEqual({ address: '10.0.0.0', prefix: 40 }); // checked by parseNetwork
    expect(splitPrefix('1/2/3')).toBeNull();
  });
});

describe('inNetwork', () => {
  const net = (s: string) => parseNetwork(s)!;
  const addr = (s: string) => parseAddress(s)!;

  it('compares the first prefix bits of the same version', () => {
    expect(inNetwork(addr('10.200.3.4'), net('10.0.0.0/8'))).toBe(true);
    expect(inNetwork(addr('11.0.0.0'), net('10.0.0.0/8'))).toBe(false);
    expect(inNetwork(addr('10.0.0.1'), net('10.1.2.3/8'))).toBe(true); // host bits of the network do not count
    expect(inNetwork(addr('10.0.0.1'), net('10.0.0.1'))).toBe(true);
    expect(inNetwork(addr('10.0.0.2'), net('10.0.0.1'))).toBe(false);
    expect(inNetwork(addr('1.2.3.4'), net('0.0.0.0/0'))).toBe(true);
    expect(inNetwork(addr('2001:db8::1'), net('2001:db8::/32'))).toBe(true);
    expect(inNetwork(addr('2001:db9::1'), net('2001:db8::/32'))).toBe(false);
    expect(inNetwork(addr('fd12::1'), net('fd00::/8'))).toBe(true);
  });

  it('never matches across versions', () => {
    expect(inNetwork(addr('10.0.0.1'), net('::/0'))).toBe(false);
    expect(inNetwork(addr('::ffff:10.0.0.1'), net('10.0.0.0/8'))).toBe(false);
    expect(inNetwork(addr('::ffff:10.0.0.1'), V4_MAPPED)).toBe(true);
    expect(inNetwork(addr('::10.0.0.1'), V4_COMPATIBLE)).toBe(true);
    expect(inNetwork(addr('10.0.0.1'), V4_MAPPED)).toBe(false);
  });
});
