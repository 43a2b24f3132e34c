/**
 * Issue 14: the YARA-L outcome section writes each output once (yaral/outcomes.ts): a duplicate field
 * once, a match key's field as the match variable named after the output, and an object or list read
 * only from the declared fallback `additional.fields[...]` left out, each with a warning.
 */
import { describe, expect, it } from 'vitest';
import { planOutcomes, type OutputField } from '../src/targets/yaral/outcomes.js';
import type { Diagnostic } from '../src/targets/types.js';

const out = (name: string, field: string, extra: Partial<OutputField> = {}): OutputField => ({ name, variable: `$${name}`, field, fallback: false, container: null, ...extra });

describe('YARA-L outcomes: each value once', () => {
  it('an output of a field an earlier output reads is written once, with a warning naming both', () => {
    const diags: Diagnostic[] = [];
    const p = planOutcomes([out('a', '$e.target.resource.name'), out('b', '$e.principal.ip'), out('c', '$e.target.resource.name')], [], false, diags);
    expect(p.outcomes).toEqual([
      { variable: '$a', field: '$e.target.resource.name' },
      { variable: '$b', field: '$e.principal.ip' },
    ]);
    expect(diags.map((d) => d.code)).toEqual(['output-duplicate']);
    expect(diags[0]!.message).toContain('$a');
  });

  it('with match, an output of a match key field is the match variable, named after the output', () => {
    const diags: Diagnostic[] = [];
    const keys = [
      { variable: '$key_userIdentity_arn', field: '$e.principal.user.userid' },
      { variable: '$key_x', field: '$e.principal.hostname' },
    ];
    const p = planOutcomes([out('user', '$e.principal.user.userid'), out('ip', '$e.principal.ip'), out('again', '$e.principal.user.userid')], keys, true, diags);
    expect(p.keys).toEqual([
      { variable: '$user', field: '$e.principal.user.userid' },
      { variable: '$key_x', field: '$e.principal.hostname' },
    ]);
    expect(p.outcomes).toEqual([{ variable: '$ip', field: '$e.principal.ip' }]);
    // the later output of the same field names the match variable
    expect(diags.map((d) => d.message)).toEqual([expect.stringContaining('written once, as $user')]);
    // the input keys are not changed
    expect(keys[0]!.variable).toBe('$key_userIdentity_arn');
  });

  it('without match, a key field stays an outcome (there are no match variables)', () => {
    const p = planOutcomes([out('user', '$e.principal.user.userid')], [{ variable: '$k', field: '$e.principal.user.userid' }], false, []);
    expect(p.outcomes).toEqual([{ variable: '$user', field: '$e.principal.user.userid' }]);
    expect(p.keys[0]!.variable).toBe('$k');
  });

  it('an object or list on the declared fallback is left out; on a mapped field, or a scalar on the fallback, it stays', () => {
    const diags: Diagnostic[] = [];
    const p = planOutcomes(
      [
        out('userIdentity', '$e.additional.fields["userIdentity"]', { fallback: true, container: "userIdentity holds an object in the rule's tests" }),
        out('mapped', '$e.principal.ip', { container: "x holds a list in the rule's tests" }),
        out('scalar', '$e.additional.fields["recipientAccountId"]', { fallback: true }),
      ],
      [],
      false,
      diags,
    );
    expect(p.outcomes.map((o) => o.variable)).toEqual(['$mapped', '$scalar']);
    expect(diags).toHaveLength(1);
    expect(diags[0]!.message).toMatch(/^output userIdentity is left out: userIdentity holds an object/);
  });
});

describe('YARA-L outcomes in the sample rules (out/)', () => {
  it('the CloudTrail alert context leaves out userIdentity (an object on the fallback); a threshold names its key after the output', async () => {
    const fs = await import('node:fs');
    const one = fs.readFileSync(new URL('../out/yaral/aws_cloudtrail/aws_kms_cmk_loss.yaral', import.meta.url), 'utf8');
    expect(one).toContain('$recipientAccountId = $e.additional.fields["recipientAccountId"]');
    expect(one).not.toContain('userIdentity');
    const agg = fs.readFileSync(new URL('../out/yaral/aws_cloudtrail/aws_repeated_access_denied.yaral', import.meta.url), 'utf8');
    expect(agg).toContain('\n    $principal = $e.principal.user.userid\n');
    expect(agg).toContain('\n    $principal over 30m\n');
    expect(agg.slice(agg.indexOf('outcome:'))).not.toContain('$principal');
  });
});

describe('YARA-L: a field the events fix, and a log type that selects nothing (index.ts)', () => {
  it('an outcome of a field an events statement fixes is that string; not for repeated fields, nocase or other operators', async () => {
    const { fixedValue } = await import('../src/targets/yaral/index.js');
    const events = [
      '$e.metadata.log_type = "AWS_CLOUDTRAIL"',
      '$e.metadata.product_event_type = "Copy\\"Object"',
      '$e.principal.ip = "10.0.0.1"',
      '$e.target.application = "s3" nocase',
      '$e.principal.hostname != "x"',
      '($e.target.resource.name = "a" or $e.target.resource.name = "b")',
    ];
    expect(fixedValue('$e.metadata.product_event_type', events)).toBe('"Copy\\"Object"');
    expect(fixedValue('$e.metadata.log_type', events)).toBe('"AWS_CLOUDTRAIL"');
    // principal.ip is repeated: one copy holds it, the others need not
    expect(fixedValue('$e.principal.ip', events)).toBeNull();
    expect(fixedValue('$e.target.application', events)).toBeNull();
    expect(fixedValue('$e.principal.hostname', events)).toBeNull();
    expect(fixedValue('$e.target.resource.name', events)).toBeNull();
    // a longer field that starts with the same text is another field
    expect(fixedValue('$e.metadata.product', events)).toBeNull();
  });

  it('the events of several log types leave out a branch that is always false, and select the same events (evaluator)', async () => {
    const { logTypeBranches } = await import('../src/targets/yaral/index.js');
    const { compileYaral } = await import('../src/proof/yaral/index.js');
    const never = '$e.metadata.id = "" and $e.metadata.id != ""';
    const a = ['$e.metadata.log_type = "A"', never];
    const b = ['$e.metadata.log_type = "B"', '$e.metadata.product_event_type = "x"'];
    const short = logTypeBranches([a, b]);
    expect(short).not.toContain('"A"');
    expect(short).toContain('$e.metadata.log_type = "B" and $e.metadata.product_event_type = "x"');
    // every branch false: kept (the section must still say it selects nothing)
    expect(logTypeBranches([a])).toContain(never);
    const full = `(\n        (${a.join(' and ')})\n        or (${b.join(' and ')})\n    )`;
    const rule = (events: string) => compileYaral(`rule t {\n  meta:\n    author = "x"\n  events:\n    ${events}\n\n  condition:\n    $e\n}\n`);
    const ev = (o: Record<string, string>) => ({ logType: 't', root: new Map([['metadata', new Map(Object.entries(o))]]), casingSkipped: [] as string[] });
    for (const o of [{ log_type: 'A', id: '' }, { log_type: 'A', id: 'z' }, { log_type: 'B', product_event_type: 'x' }, { log_type: 'B', product_event_type: 'y' }, {}]) {
      expect(rule(short).matches(ev(o) as never)).toBe(rule(full).matches(ev(o) as never));
    }
    expect(rule(short).matches(ev({ log_type: 'B', product_event_type: 'x' }) as never)).toBe(true);
  });
});
