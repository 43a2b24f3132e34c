/**
 * pypanther rules: classes of a `.py` module read into the same LoadedRule as a rule YAML (metadata,
 * tests, positions), `self` and `super()` in the lifter, subclassing, override()/extend() with
 * include/exclude filters, LogType/Severity read from a pypanther checkout (a tiny one written here),
 * Python data models, and the sample rules in rules/pypanther/ proven on their own tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json, Pred } from '../src/ast/types.js';
import { evaluateRule } from '../src/ast/evaluate.js';
import { TranspileError } from '../src/diagnostics.js';
import { collectRuleFiles } from '../src/cli/files.js';
import { main } from '../src/cli/main.js';
import { loadRuleFile } from '../src/panther/pypanther.js';
import { liftLoaded, proveRule, type PipelineOptions } from '../src/pipeline.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), stdin: () => '', isTTY: false, env: {} });
  return { code, out, err };
}

function lift(file: string, opts: PipelineOptions = {}, root?: string) {
  const loaded = loadRuleFile(file, undefined, root, opts);
  const rule = liftLoaded(loaded, opts);
  return { loaded, rule, report: proveRule(rule, loaded, opts) };
}

function failure(file: string, opts: PipelineOptions = {}): { code: string; message: string; file?: string; line?: number; col?: number; hint?: string } {
  try {
    lift(file, opts);
  } catch (e) {
    if (e instanceof TranspileError) return e.diag;
    throw e;
  }
  throw new Error('expected an error');
}

/** The 1-based line of the first line of a file holding `text`. */
const LINE_OF = (file: string, text: string): number => fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

/** A predicate without positions, to compare two lifts. */
function bare(p: Pred): unknown {
  return JSON.parse(JSON.stringify(p, (k, v) => (k === 'span' || k === 'uid' ? undefined : v)));
}

/** A folder of files written from a map of relative paths. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pypanther-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** A tiny stand-in for a pypanther checkout: the enum tables and one helper, in pypanther's layout. */
const CHECKOUT = {
  'pypanther/__init__.py': 'from pypanther.base import Rule as Rule\nfrom pypanther.log_types import LogType as LogType\nfrom pypanther.severity import Severity as Severity\nfrom pypanther.unit_tests import RuleTest as RuleTest\n',
  'pypanther/base.py': 'from pypanther.log_types import LogType\n\n\nclass Rule:\n    pass\n',
  'pypanther/log_types.py': 'from enum import Enum\n\n\nclass LogType(str, Enum):\n    AWS_CLOUDTRAIL = "AWS.CloudTrail"\n    OKTA_SYSTEM_LOG = "Okta.SystemLog"\n',
  'pypanther/severity.py': 'from enum import Enum\n\n\nclass Severity(str, Enum):\n    INFO = "INFO"\n    HIGH = "HIGH"\n',
  'pypanther/unit_tests.py': 'class RuleTest:\n    pass\n',
  'pypanther/helpers/__init__.py': '',
  'pypanther/helpers/base.py': 'def is_root(event):\n    return event.get("userIdentity", {}).get("type") == "Root"\n',
};

const ENUM_RULE = `from pypanther import LogType, Rule, RuleTest, Severity
from pypanther.helpers.base import is_root


class RootCall(Rule):
    id = "T.Root"
    log_types = [LogType.AWS_CLOUDTRAIL]
    default_severity = Severity.INFO

    def rule(self, event):
        return is_root(event)

    def severity(self, event):
        return Severity.HIGH if event.get("eventName") == "DeleteTrail" else Severity.INFO

    tests = [
        RuleTest(name="root", expected_result=True, log={"userIdentity": {"type": "Root"}}),
        RuleTest(name="user", expected_result=False, log={"userIdentity": {"type": "IAMUser"}}),
    ]
`;

describe('the sample pypanther rules (rules/pypanther)', () => {
  it('finds one rule per class: a module with several is named file.py::Class, a base without id is no rule', () => {
    const files = collectRuleFiles(['rules/pypanther'], () => '');
    expect(files.map((f) => [f.path, f.rel])).toEqual([
      ['rules/pypanther/github_repo_rules.py::SampleGitHubProtectedRepoArchived', 'github_repo_rules.SampleGitHubProtectedRepoArchived'],
      ['rules/pypanther/github_repo_rules.py::SampleGitHubProtectedRepoMadePublic', 'github_repo_rules.SampleGitHubProtectedRepoMadePublic'],
      ['rules/pypanther/kms_key_loss_production.py', 'kms_key_loss_production'],
      ['rules/pypanther/kms_key_loss.py', 'kms_key_loss'],
    ]);
    // a rule-module tree of YAML and .py files yields no extra rules from the .py modules
    expect(collectRuleFiles(['rules/aws_cloudtrail'], () => '').every((f) => f.path.endsWith('.yml'))).toBe(true);
  });

  it('loads, lifts and proves every sample exactly on its own tests', () => {
    for (const f of collectRuleFiles(['rules/pypanther'], () => '')) {
      const { report } = lift(f.path, {}, f.root);
      expect(report.fidelity, f.path).toBe('exact');
      expect(report.tests.failed, f.path).toBe(0);
      expect(report.tests.passed, f.path).toBeGreaterThan(2);
    }
  });

  it('reads the metadata as the YAML loader does (strings trimmed, severity named, MITRE from reports)', () => {
    const { loaded } = lift('rules/pypanther/kms_key_loss.py', {}, 'rules');
    expect(loaded.meta).toMatchObject({
      id: 'Sample.PyPanther.KMS.KeyLoss',
      displayName: 'KMS key disabled or scheduled for deletion',
      severity: 'Medium',
      logTypes: ['AWS.CloudTrail'],
      description: 'A KMS key was disabled or scheduled for deletion.',
      mitre: [{ tactic: 'TA0040', technique: 'T1485' }],
      summaryAttributes: ['eventName', 'recipientAccountId'],
      file: 'rules/pypanther/kms_key_loss.py',
      enabled: true,
    });
    expect(loaded.meta.pyFile).toBeUndefined();
    expect(loaded.tests.map((t) => [t.name, t.expected])).toEqual([
      ['Key disabled', true],
      ['Key scheduled for deletion', true],
      ['Deletion that failed', false],
      ['Other KMS call', false],
      ['No event name', false],
    ]);
    // positions name the attribute and each RuleTest(...)
    expect(loaded.pos('RuleID')).toEqual({ line: 13, col: 5 });
    expect(loaded.pos('Tests', 2).line).toBe(LINE_OF('rules/pypanther/kms_key_loss.py', 'name="Deletion that failed"') - 1);
  });

  it('lifts the same condition as the YAML form of the same logic', () => {
    const py = lift('rules/pypanther/kms_key_loss.py', {}, 'rules').rule;
    const yml = lift('rules/aws_cloudtrail/aws_kms_cmk_loss.yml', {}, 'rules').rule;
    expect(bare(py.condition)).toEqual(bare(yml.condition));
  });

  it('the subclass: super().rule() reads the subclass constant, filters and overrides apply, a RuleMock patches the instance', () => {
    const { rule, loaded } = lift('rules/pypanther/kms_key_loss_production.py', {}, 'rules');
    expect(rule.meta).toMatchObject({ id: 'Sample.PyPanther.KMS.KeyLoss.Production', threshold: 2, dedupPeriodMinutes: 30, severity: 'Medium' });
    expect(rule.aggregation).toMatchObject({ threshold: 2, windowMinutes: 30 });
    const base = { eventName: 'DeleteImportedKeyMaterial', awsRegion: 'eu-west-1', recipientAccountId: '111122223333' };
    const ev = (o: Record<string, Json>): boolean => evaluateRule(rule.condition, { ...base, ...o });
    expect(ev({})).toBe(true);
    expect(ev({ awsRegion: 'ap-east-1' })).toBe(false); // include_filters
    expect(ev({ userIdentity: { sessionContext: { sessionIssuer: { userName: 'break-glass' } } } })).toBe(false); // exclude_filters
    expect(ev({ recipientAccountId: '1' })).toBe(false);
    expect(ev({ errorCode: 'x' })).toBe(false); // the base's rule() through super()
    expect(rule.severities?.[0]).toMatchObject({ severity: 'High' });
    expect(loaded.tests.find((t) => t.mocks)?.mocks).toEqual([{ objectName: 'in_change_window', returnValue: true }]);
    // the title() and alert_context() inherited from the base module
    expect(rule.title?.length).toBeGreaterThan(1);
    expect(rule.outputs.map((o) => o.name)).toContain('recipientAccountId');
  });

  it('prints the subclass as KQL with its filters as conjuncts and its threshold', async () => {
    const r = await run(['-t', 'kql', 'rules/pypanther/kms_key_loss_production.py']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('| where AWSRegion != "ap-east-1"');
    expect(r.out).toContain('| where SessionIssuerUserName != "break-glass"');
    expect(r.out).toMatch(/\| where EventName in \((?=.*"DeleteImportedKeyMaterial")(?=.*"DisableKey")(?=.*"ScheduleKeyDeletion")/);
    expect(r.out).toContain('| where EventCount >= 2');
  });

  it('names one class of a module with file.py::Class, and refuses the module alone', async () => {
    const one = await run(['-t', 'ast', 'rules/pypanther/github_repo_rules.py::SampleGitHubProtectedRepoMadePublic']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.out).meta.id).toBe('Sample.PyPanther.GitHub.ProtectedRepoMadePublic');
    const d = failure('rules/pypanther/github_repo_rules.py');
    expect(d.code).toBe('pypanther-several-rules');
    expect(d.hint).toContain('github_repo_rules.py::SampleGitHubProtectedRepoArchived');
    expect(failure('rules/pypanther/github_repo_rules.py::GitHubRepoRule').code).toBe('pypanther-no-class');
  });
});

describe('LogType and Severity through a pypanther checkout', () => {
  it('resolves them from the checkout given with --helpers, helpers from pypanther.helpers too', () => {
    const co = tree(CHECKOUT);
    const rules = tree({ 'root_call.py': ENUM_RULE });
    const { rule, report } = lift(path.join(rules, 'root_call.py'), { helpersDirs: [co] });
    expect(rule.meta.logTypes).toEqual(['AWS.CloudTrail']);
    expect(rule.meta.severity).toBe('Info');
    expect(report.fidelity).toBe('exact');
    expect(report.tests).toMatchObject({ passed: 2, failed: 0 });
    expect(rule.severities?.map((s) => s.severity)).toEqual(['High', 'Info']);
  });

  it('finds the checkout walking up when the rules live inside it (as pypanther/rules/ does)', () => {
    const co = tree({ ...CHECKOUT, 'pypanther/rules/aws/root_call.py': ENUM_RULE });
    const root = path.join(co, 'pypanther', 'rules');
    const { report } = lift(path.join(root, 'aws', 'root_call.py'), {}, root);
    expect(report.fidelity).toBe('exact');
  });

  it('without a checkout, LogType.X is an error at its position that says what to do', () => {
    const rules = tree({ 'root_call.py': ENUM_RULE });
    const d = failure(path.join(rules, 'root_call.py'));
    expect(d.code).toBe('pypanther-attribute');
    expect(d.line).toBe(8);
    expect(d.message).toContain("module 'pypanther' was not found");
    expect(d.hint).toContain('--helpers');
  });
});

describe('classes and self', () => {
  const one = (body: string, extra = ''): string =>
    tree({
      'r.py': `from pypanther import Rule, RuleTest\n${extra}\n\nclass R(Rule):\n    id = "T.R"\n    log_types = ["Okta.SystemLog"]\n    default_severity = "LOW"\n${body}`,
    });

  it('an attribute a method writes on self is per-event state, never its class literal', () => {
    const dir = one(`    SEEN = []\n\n    def note(self, event):\n        self.SEEN.append(event.get("x"))\n\n    def rule(self, event):\n        return "a" not in self.SEEN\n`);
    const { rule } = lift(path.join(dir, 'r.py'));
    expect(rule.reasons.map((r) => r.code)).toContain('opaque-mutation');
    expect(rule.reasons.find((r) => r.code === 'opaque-mutation')?.line).toBe(11);
  });

  it('class-body constants see the names above them; methods call each other; static methods are not bound', () => {
    const dir = one(
      `    A = "x"\n    B = A + "y"\n\n    @staticmethod\n    def norm(v):\n        return v.lower()\n\n    def rule(self, event):\n        return self.norm(event.get("k", "")) == self.B\n`,
    );
    const { rule } = lift(path.join(dir, 'r.py'));
    expect(rule.reasons).toEqual([]);
    expect(evaluateRule(rule.condition, { k: 'XY' })).toBe(true);
    expect(evaluateRule(rule.condition, { k: 'x' })).toBe(false);
  });

  it('extend() adds to the tests and filters; override() of an imported rule yields it from the overriding module', () => {
    const dir = tree({
      'base.py': `from pypanther import Rule, RuleTest\n\n\nclass Base(Rule):\n    id = "T.Base"\n    log_types = ["Okta.SystemLog"]\n    default_severity = "LOW"\n\n    def rule(self, event):\n        return event.get("a") == 1\n\n    tests = [RuleTest(name="a", expected_result=True, log={"a": 1})]\n`,
      'custom.py': `from base import Base\nfrom pypanther import RuleTest\n\nBase.override(enabled=False, exclude_filters=[lambda e: e.get("b")])\nBase.extend(tests=[RuleTest(name="b", expected_result=False, log={"a": 1, "b": True})])\n`,
    });
    const files = collectRuleFiles([dir], () => '');
    expect(files.map((f) => path.basename(f.path))).toEqual(['base.py', 'custom.py']);
    const { rule, report } = lift(path.join(dir, 'custom.py'), {}, dir);
    expect(rule.meta).toMatchObject({ id: 'T.Base', enabled: false });
    expect(report.tests).toMatchObject({ passed: 2, failed: 0 });
    expect(evaluateRule(rule.condition, { a: 1, b: 0 })).toBe(true);
    expect(evaluateRule(rule.condition, { a: 1, b: 'yes' })).toBe(false);
  });

  it('a subclass of a @panther_managed rule inherits no tests (the decorator moved them aside)', () => {
    const dir = tree({
      'r.py': `from pypanther import Rule, RuleTest, panther_managed\n\n\n@panther_managed\nclass M(Rule):\n    id = "T.M"\n    log_types = ["Okta.SystemLog"]\n    default_severity = "LOW"\n\n    def rule(self, event):\n        return True\n\n    tests = [RuleTest(name="m", expected_result=True, log={})]\n\n\nclass Mine(M):\n    id = "T.Mine"\n`,
    });
    expect(lift(`${path.join(dir, 'r.py')}::M`, {}, dir).loaded.tests).toHaveLength(1);
    expect(lift(`${path.join(dir, 'r.py')}::Mine`, {}, dir).loaded.tests).toHaveLength(0);
  });

  it('bad input is refused with its position', () => {
    const bad = (body: string): ReturnType<typeof failure> => failure(path.join(one(body), 'r.py'));
    const exp = bad(`\n    def rule(self, event):\n        return True\n\n    tests = [RuleTest(name="t", expected_result="yes", log={})]\n`);
    expect(exp).toMatchObject({ code: 'bad-tests', line: 12 });
    expect(exp.message).toContain('expected_result must be True or False');
    const mock = bad(`\n    def rule(self, event):\n        return True\n\n    tests = [RuleTest(name="t", expected_result=True, log={}, mocks=[RuleMock(object_name="x", side_effect=ValueError)])]\n`);
    expect(mock.code).toBe('bad-tests');
    expect(mock.message).toContain('side_effect');
    const sev = bad(`    default_severity = "URGENT"\n\n    def rule(self, event):\n        return True\n`);
    expect(sev).toMatchObject({ code: 'pypanther-attribute', line: 8 });
    expect(failure(path.join(tree({ 'x.py': 'class NotARule:\n    pass\n' }), 'x.py')).code).toBe('not-a-rule');
    expect(failure(path.join(tree({ 'x.py': 'class R(Rule:\n' }), 'x.py')).code).toBe('python-syntax');
  });
});

describe('data models written as pypanther classes', () => {
  it('event.udm() reads a DataModel class of data_models/ (a path and a method)', () => {
    const dir = tree({
      ...CHECKOUT,
      'pypanther/data_models/okta.py': `from pypanther.base import DataModel, DataModelMapping, LogType\n\n\ndef get_actor(event):\n    return event.get("actor", {}).get("alternateId")\n\n\nclass StandardOkta(DataModel):\n    id = "Standard.Okta"\n    log_types = [LogType.OKTA_SYSTEM_LOG]\n    mappings = [\n        DataModelMapping(name="source_ip", path="$.client.ipAddress"),\n        DataModelMapping(name="actor_user", method=get_actor),\n    ]\n`,
      'pypanther/rules/okta/r.py': `from pypanther import LogType, Rule, RuleTest, Severity\n\n\nclass R(Rule):\n    id = "T.Okta"\n    log_types = [LogType.OKTA_SYSTEM_LOG]\n    default_severity = Severity.INFO\n\n    def rule(self, event):\n        return event.udm("source_ip") == "1.2.3.4" and event.udm("actor_user") == "ana"\n\n    tests = [\n        RuleTest(name="hit", expected_result=True, log={"client": {"ipAddress": "1.2.3.4"}, "actor": {"alternateId": "ana"}}),\n        RuleTest(name="miss", expected_result=False, log={"client": {"ipAddress": "1.2.3.4"}, "actor": {"alternateId": "bo"}}),\n    ]\n`,
    });
    const root = path.join(dir, 'pypanther', 'rules');
    const { report } = lift(path.join(root, 'okta', 'r.py'), {}, root);
    expect(report.reasons).toEqual([]);
    expect(report.tests).toMatchObject({ passed: 2, failed: 0 });
    // a test module beside the data models (pytest's names, as panther-analysis' data_models_test.py) is not
    // read: a class it defines (here one that would override the model) is no data model
    for (const name of ['okta_test.py', 'test_okta.py']) {
      const other = tree({
        ...CHECKOUT,
        'pypanther/data_models/okta.py': fs.readFileSync(path.join(dir, 'pypanther/data_models/okta.py'), 'utf8'),
        [`pypanther/data_models/${name}`]: `from pypanther.base import DataModel, DataModelMapping, LogType\n\n\nclass ZOkta(DataModel):\n    id = "Z.Okta"\n    log_types = [LogType.OKTA_SYSTEM_LOG]\n    mappings = [DataModelMapping(name="source_ip", path="$.other")]\n`,
        'pypanther/rules/okta/r.py': fs.readFileSync(path.join(root, 'okta', 'r.py'), 'utf8'),
      });
      const r2 = path.join(other, 'pypanther', 'rules');
      expect(lift(path.join(r2, 'okta', 'r.py'), {}, r2).report.tests).toMatchObject({ passed: 2, failed: 0 });
    }
  });
});
