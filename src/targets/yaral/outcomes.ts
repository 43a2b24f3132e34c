/**
 * The outcome section of a YARA-L rule: the rule's output fields (its alert context), each value once.
 *
 * - An output is the outcome variable `$<name> = <field>` (aggregated with `array_distinct` in a rule
 *   with `match`, or on a repeated field; scalarField in tidy.ts).
 * - An output read from the same UDM field as an earlier one is not written again: the earlier variable
 *   holds the same value (a warning names both).
 * - In a rule with `match`, an output read from the field a match variable is bound to is that match
 *   variable, named after the output: the match section's variables are returned with every detection
 *   ("match: Values to return when matches are found", YARA-L 2.0 syntax, Rule structure,
 *   https://cloud.google.com/chronicle/docs/detection/yara-l-2-0-syntax), one value per detection, where
 *   `array_distinct` of the field would repeat it as a one-element list.
 * - An output that resolves only to the declared fallback `additional.fields["<key>"]` (mappings/README.md),
 *   or to the key the custom-parser convention of a custom log type gives it (which keeps scalars only),
 *   while the value is a JSON object or list (as the mapping states, else as the rule's tests show it)
 *   is left out, with a warning: a UDM parser spreads an object's members over UDM fields and writes no
 *   object under a guessed key, and the project reads map fields as strings (printer.ts), so the variable
 *   would name no value. KQL leaves out an output with no column likewise (kql/index.ts).
 */
import type { Diagnostic } from '../types.js';

export interface OutputField {
  /** The output's name in the rule (its alert-context key). */
  name: string;
  /** The outcome variable the output would be (`$name`, unique). */
  variable: string;
  /** The UDM field it reads (`$e.<path>`). */
  field: string;
  /** Resolved only by the declared `additional.fields` fallback or the custom-parser convention. */
  fallback: boolean;
  /** The value is a JSON object or list (mapping type, else the tests), described for the warning; else null. */
  container: string | null;
}

export interface MatchKey {
  /** The match variable (`$key_x`). */
  variable: string;
  /** The UDM field it is bound to (`$e.<path>`). */
  field: string;
}

export interface OutcomePlan {
  /** Outcome variables in order: name and the field they read. */
  outcomes: { variable: string; field: string }[];
  /** The match keys, renamed where an output is one of them. */
  keys: MatchKey[];
}

/**
 * Which outputs are outcome variables, which are match variables (renamed after the output) and which
 * are left out (with a warning on `diags`).
 */
export function planOutcomes(outputs: OutputField[], keys: MatchKey[], hasMatch: boolean, diags: Diagnostic[]): OutcomePlan {
  const outKeys = keys.map((k) => ({ ...k }));
  const renamed = new Set<number>();
  const outcomes: { variable: string; field: string }[] = [];
  const written = new Map<string, string>();
  for (const o of outputs) {
    if (o.fallback && o.container) {
      diags.push({ severity: 'warning', code: 'output-unmapped', message: `output ${o.name} is left out: ${o.container}, and its field resolves only to ${o.field.slice(3)} (the declared fallback, or the custom-parser convention), which holds no object or list` });
      continue;
    }
    const before = written.get(o.field);
    if (before) {
      diags.push({ severity: 'warning', code: 'output-duplicate', message: `output ${o.name} reads ${o.field}, as ${before} does: written once, as ${before}` });
      continue;
    }
    const k = hasMatch ? outKeys.findIndex((x, i) => x.field === o.field && !renamed.has(i)) : -1;
    if (k >= 0) {
      outKeys[k]!.variable = o.variable;
      renamed.add(k);
      written.set(o.field, o.variable);
      continue;
    }
    outcomes.push({ variable: o.variable, field: o.field });
    written.set(o.field, o.variable);
  }
  return { outcomes, keys: outKeys };
}
