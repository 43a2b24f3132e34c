/**
 * `ipaddress.ip_address(x)` of an int is an address in Python (python3: `ip_address(2130706433)` is 127.0.0.1,
 * `ip_address(True)` is 0.0.0.1, `ip_address(167772161) in ip_network("10.0.0.0/8")` is True). The lift states
 * that case as an `opaque-ip-int` piece under `isinstance(x, int)` (src/python/lift/operators.ts ipOfInt); a
 * target whose own type facts say the field never holds an int (a KQL/Sentinel string column) prints that
 * branch false, so the approximation is discharged there and kept everywhere else.
 */
import { describe, expect, it } from 'vitest';
import { loadMappings } from '../src/mapping/load.js';
import { defaultTemplatesDir, renderRule } from '../src/targets/registry.js';
import type { RenderContext } from '../src/targets/types.js';
import { liftSource } from './fixtures/lifter/helpers.js';

const ctx: RenderContext = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };

const src = (read: string): string =>
  [
    'import ipaddress',
    'def rule(event):',
    '    try:',
    `        ip = ipaddress.ip_address(${read})`,
    '    except ValueError:',
    '        return False',
    '    return ip.is_loopback',
    '',
  ].join('\n');

describe('ip_address() of a value that may be an int', () => {
  it('is an approximation of the lift, discharged on a KQL/Sentinel string column only', () => {
    // AWS.CloudTrail sourceIPAddress: the string column SourceIpAddress (mappings/kql)
    const col = liftSource(src('event.get("sourceIPAddress")')).rule;
    expect(col.reasons.filter((r) => r.code === 'opaque-ip-int').map((r) => `${r.file}:${r.line}`)).toEqual(['rules/r.py:4', 'rules/r.py:7']);
    for (const t of ['kql', 'sentinel']) {
      const o = renderRule(col, t, ctx);
      expect(o.reasons.filter((r) => r.code === 'opaque-ip-int'), t).toEqual([]);
      expect(o.fidelity, t).toBe('exact');
    }
    for (const t of ['sigma', 'yaral', 'cwl']) {
      expect(renderRule(col, t, ctx).reasons.filter((r) => r.code === 'opaque-ip-int').length, t).toBe(2);
    }
    // read with an int default, the field is an int where it is missing: kept
    const dflt = liftSource(src('event.get("sourceIPAddress", 0)')).rule;
    for (const t of ['kql', 'sentinel']) expect(renderRule(dflt, t, ctx).reasons.filter((r) => r.code === 'opaque-ip-int').length, t).toBe(2);
    // a member of a dynamic column may hold a JSON int: kept on every target
    const dyn = liftSource(src('event.deep_get("requestParameters", "ip")')).rule;
    for (const t of ['kql', 'sentinel', 'sigma', 'yaral', 'cwl']) {
      const o = renderRule(dyn, t, ctx);
      expect(o.reasons.filter((r) => r.code === 'opaque-ip-int').length, t).toBe(2);
      expect(o.fidelity, t).not.toBe('exact');
    }
  });
});
