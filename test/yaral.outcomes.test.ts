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
