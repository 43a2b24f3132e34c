/**
 * Reference evaluator for the `kql` and `sentinel` targets: reads the emitted query text back with
 * its own parser (`parser.ts`, the tree Microsoft's Kusto.Language builds) and runs its per-event part on a test log projected into a
 * Sentinel row (`src/mapping/project/kql.ts`). See `eval.ts` for the subset and `values.ts` for the
 * documented semantics of each operator and function.
 */
import { parse as parseYaml } from 'yaml';
import { readPlainYaml } from '../../panther/plainyaml.js';
import { projectKql, type KqlEvent } from '../../mapping/project/kql.js';
import { Refusal, type CompiledArtifact, type TargetProof } from '../types.js';
import { compileQuery, type CompiledQuery, type Row } from './eval.js';
import { fromColumn } from './values.js';

export type { KqlEvent } from '../../mapping/project/kql.js';

/** The rows a query over `tables` reads for one event: one per table the event is in. */
export function eventRows(event: KqlEvent, tables: string[]): Row[] {
  const rows: Row[] = [];
  for (const t of tables) {
    // union isfuzzy=true: a table the event is not in contributes nothing
    if (!event.tables.includes(t)) continue;
    const own = event.tableColumns[t] ? new Set(event.tableColumns[t]) : undefined;
    const row: Row = new Map();
    for (const [c, type] of Object.entries(event.types)) {
      // a union's columns are those of every table; in this table's row a column it lacks reads empty
      const v = own && !own.has(c) ? null : (event.columns[c] ?? null);
      row.set(c, fromColumn(v, type));
    }
    rows.push(row);
  }
  return rows;
}

/**
 * eventRows once per event and list of tables: the KQL and Sentinel artifacts, and each branch of a union,
 * read the same test event's rows. The evaluator never changes a row or the list (its operators make new ones).
 */
const rowsMemo = new WeakMap<KqlEvent, Map<string, Row[]>>();
function rowsOnce(event: KqlEvent, tables: string[]): Row[] {
  let byTables = rowsMemo.get(event);
  if (!byTables) rowsMemo.set(event, (byTables = new Map()));
  const key = tables.join('\u0000');
  let rows = byTables.get(key);
  if (!rows) byTables.set(key, (rows = eventRows(event, tables)));
  return rows;
}

/** The query of an artifact: the `.kql` text itself, or a Sentinel analytic rule's `query`. */
export function artifactQuery(text: string, target: string): string {
  if (target === 'kql') return text;
  if (target !== 'sentinel') throw new Refusal(`target ${target} is not KQL`);
  // the emitted rule is plain YAML (read fast, the same value as the package's, src/panther/plainyaml.ts)
  let doc: unknown = readPlainYaml(text, { uniqueKeys: true });
  try {
    doc ??= parseYaml(text);
  } catch (e) {
    throw new Refusal(`Sentinel rule YAML does not parse: ${(e as Error).message.split('\n')[0]}`);
  }
  const q = doc && typeof doc === 'object' ? (doc as Record<string, unknown>)['query'] : undefined;
  if (typeof q !== 'string') throw new Refusal('Sentinel rule without a query (comment-only artifact)');
  return q;
}

/**
 * The last query read back, by its text without its leading comment lines (a comment is no token: the parser's
 * tree, and so the compiled query, is the same without it). The kql artifact and the Sentinel rule of a rule
 * hold one query (kql/index.ts buildKql), the one under the `//` header, the other in the rule's `query`:
 * parsed and compiled once for both. Only a query that compiled is kept; the compiled query is never changed
 * by a run (its operators make new rows).
 */
let lastCompiled: { key: string; query: CompiledQuery } | undefined;

function compiledOnce(text: string): CompiledQuery {
  const key = text.replace(LEADING_COMMENTS, '');
  if (lastCompiled?.key === key) return lastCompiled.query;
  const query = compileQuery(text);
  lastCompiled = { key, query };
  return query;
}

/** Whole lines holding only a `//` comment, at the start of a text. */
const LEADING_COMMENTS = /^(?:[ \t]*\/\/[^\n]*\n)+/;

export const kqlProof: TargetProof<KqlEvent> = {
  targets: ['kql', 'sentinel'],
  project: projectKql,
  compile(text: string, target: string): CompiledArtifact<KqlEvent> {
    const q = compiledOnce(artifactQuery(text, target));
    const out: CompiledArtifact<KqlEvent> = {
      matches(event: KqlEvent): boolean {
        const unknown = q.tables.filter((t) => !event.tables.includes(t));
        if (unknown.length === q.tables.length) {
          // the query reads none of the tables the event is in: it cannot select it
          return false;
        }
        return q.run((tables) => rowsOnce(event, tables)).length > 0;
      },
    };
    if (q.aggregation !== undefined) out.aggregation = q.aggregation;
    return out;
  },
};

export default kqlProof;
