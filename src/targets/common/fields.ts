/**
 * Field resolution for a target: AST value → raw path (`fieldRef`) → the target's field (mapper).
 * Failures are recorded as reasons; the caller replaces the piece by its superset constant.
 */
import type { Val } from '../../ast/types.js';
import { fieldRef, pathText, type FieldRef, type PathSeg } from '../../ast/view.js';
import type { FieldMapper, MappedField, TargetName } from '../../mapping/types.js';
import type { Diagnostic } from '../types.js';
import type { ReasonSink } from './fidelity.js';
import { TestEvidence, truthKind, truthWhy, type TruthKind } from './evidence.js';

export interface Field {
  ref: FieldRef;
  /** The last step is `obj[key]`: Python raises when the field is missing. */
  strict: boolean;
  /** Absolute raw path (quantifier element paths already prefixed with their list path). */
  path: PathSeg[];
  mapped: MappedField;
}

export class FieldResolver {
  /** What the rule's own tests show about the data (types at a path, key casing). */
  readonly evidence: TestEvidence;

  constructor(
    readonly mapper: FieldMapper,
    readonly logType: string,
    readonly target: TargetName,
    readonly sink: ReasonSink,
  ) {
    this.evidence = TestEvidence.of(sink.rule.tests);
  }

  /**
   * How Python's truthiness of a field can be written: by the JSON type the mapping states, else the
   * types the rule's tests show; `why` says what decided it, for a reason's message.
   */
  truth(field: Field): { kind: TruthKind; why: string } {
    const stated = this.mapper.valueType?.(this.logType, field.path);
    const seen = this.evidence.types(field.path);
    const kind = truthKind(stated, seen);
    return { kind, why: stated ? `the mapping types it ${stated}` : truthWhy(kind, seen) };
  }

  /** The raw reference of a value, or null (a computed value), with a reason recorded. */
  ref(v: Val, what = 'value'): FieldRef | null {
    const r = fieldRef(v);
    if (!r) this.sink.add('target-computed-value', `a computed ${what} (${describeVal(v)}) cannot be addressed as a field; replaced by its superset`, 'wider');
    return r;
  }

  /** Map a raw path; records `unsupported-unmapped-field` or a fallback approximation. */
  map(path: PathSeg[]): MappedField | null {
    const m = this.mapper.resolve(this.logType, this.target, path);
    if ('unmapped' in m) {
      this.sink.add('unsupported-unmapped-field', `field ${pathText(path)} of ${this.logType} has no ${this.target} mapping (${m.message}); replaced by its superset`, 'wider');
      return null;
    }
    if (m.fallback) this.sink.add('target-fallback-field', `field ${pathText(path)} uses the declared fallback ${m.name}`);
    return m;
  }

  /** Resolve an event-rooted value (or an element path below `elemBases[depth]`, depth 0 = outermost quantifier). */
  field(v: Val, elemBases: PathSeg[][] = []): Field | null {
    const ref = this.ref(v);
    if (!ref) return null;
    let path = ref.path;
    if (ref.root === 'elem') {
      const base = elemBases[ref.depth];
      if (!base) {
        this.sink.add('target-computed-value', `a quantifier element is used outside a supported quantifier; replaced by its superset`, 'wider');
        return null;
      }
      path = [...base, ...ref.path];
    }
    // Panther finds a key whatever its case; the target reads it in the casing the data has
    path = this.evidence.casing(path);
    const mapped = this.map(path);
    if (!mapped) return null;
    this.checkCase(path, mapped);
    return { ref, path, mapped, strict: v.k === 'get' && !!v.strict };
  }

  /**
   * Whether the field holds a JSON object or list (as the mapping states, else as the rule's tests
   * show): Python's `x in value` is then key or element membership, not a substring test.
   */
  container(field: Field): string | null {
    return this.containerAt(field.path);
  }

  /**
   * Whether the value at `path` is only ever a JSON object or list (as the mapping states, else as the
   * rule's tests show, nulls aside): described as container() does, else null.
   */
  onlyContainer(path: PathSeg[]): string | null {
    const stated = this.mapper.valueType?.(this.logType, path);
    const types: Set<string> = stated ? new Set([stated]) : this.evidence.types(path);
    const scalar = [...types].some((t) => t !== 'dict' && t !== 'list' && t !== 'null');
    return scalar ? null : this.containerAt(path);
  }

  private containerAt(path: PathSeg[]): string | null {
    const stated = this.mapper.valueType?.(this.logType, path);
    const types: Set<string> = stated ? new Set([stated]) : this.evidence.types(path);
    const kinds = ['dict', 'list'].filter((t) => types.has(t));
    if (kinds.length === 0) return null;
    return `${pathText(path)} holds ${kinds.map((k) => (k === 'dict' ? 'an object' : 'a list')).join(' or ')} in ${stated ? 'the mapping' : "the rule's tests"}`;
  }

  /**
   * The mapping spells a key in the vendor's casing; where the rule's tests hold it in another, Panther
   * finds it there while a target reading names case-sensitively does not: declared, narrower. KQL
   * columns are filled by the connector whatever the key's case: only keys inside a dynamic column count.
   */
  private checkCase(path: PathSeg[], mapped: MappedField): void {
    const canon = this.mapper.canonicalPath(this.logType, path, this.target);
    const differs = canon.filter((seg, i) => typeof seg === 'string' && seg !== path[i]);
    const others = this.evidence.otherCasings(canon);
    if (differs.length === 0 && others.length === 0) return;
    // KQL columns are filled whatever the key's case: only keys inside a dynamic column count
    const sub = (mapped.sub ?? []).map((s) => String(s).toLowerCase());
    if (this.target === 'kql' && ![...differs, ...others].some((seg) => sub.includes(String(seg).toLowerCase()))) return;
    this.sink.add(
      'target-key-case',
      `the query reads ${pathText(canon)}, while the rule's tests also hold ${others.length ? others.join(', ') : pathText(path)} in another casing, which Panther finds and ${this.target} field names (case-sensitive) do not`,
      'narrower',
    );
  }

  /** Map an output field without touching fidelity: outputs do not decide what matches. */
  output(name: string, v: Val, diags: Diagnostic[]): { path: PathSeg[]; mapped: MappedField } | null {
    const ref = fieldRef(v);
    if (!ref || ref.root !== 'event') {
      diags.push({ severity: 'warning', code: 'output-computed', message: `output ${name} is computed (${describeVal(v)}) and is left out` });
      return null;
    }
    const path = this.evidence.casing(ref.path);
    const m = this.mapper.resolve(this.logType, this.target, path);
    if ('unmapped' in m) {
      diags.push({ severity: 'warning', code: 'output-unmapped', message: `output ${name} (${pathText(ref.path)}) has no ${this.target} mapping and is left out: ${m.message}` });
      return null;
    }
    return { path, mapped: m };
  }
}

export function describeVal(v: Val): string {
  switch (v.k) {
    case 'event':
      return 'event';
    case 'elem':
      return 'element';
    case 'lit':
      return JSON.stringify(v.v);
    case 'get':
      return `${describeVal(v.obj)}.get(${JSON.stringify(v.key)})`;
    case 'index':
      return `${describeVal(v.obj)}[${v.index}]`;
    case 'fn':
      return `${v.fn}(${v.args.map(describeVal).join(', ')})`;
  }
}
