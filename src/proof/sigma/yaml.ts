/**
 * Reading a Sigma file: a YAML stream of one or more documents.
 *
 * The Sigma specification says "YAML" (sigma-rules-specification.md, "Yaml File"); the reference
 * implementation, pySigma, reads it with PyYAML, a YAML 1.1 parser, while most YAML libraries read
 * YAML 1.2. Where the two versions read a document differently (unquoted `yes`/`no`/`on`/`off`, octal
 * `0777`, sexagesimal `1:20`, timestamps), the artifact means different things to different tools:
 * the reader refuses it, naming the first differing value.
 */
import { Composer, Parser, type CST } from 'yaml';

type Token = CST.Token;
import type { Json } from '../../ast/types.js';
import { Refusal } from '../types.js';
import { readPlainYamlDocuments } from '../../panther/plainyaml.js';

function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (a instanceof Date || b instanceof Date) return path || '(document)';
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return path || '(document)';
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return path || '(document)';
    for (const k of ka) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : path || '(document)';
}

/** The documents of a YAML stream as one version reads them, composed from the stream's tokens (read once). */
function compose(tokens: Token[], version: '1.1' | '1.2'): unknown[] {
  const docs = Array.from(new Composer({ version, uniqueKeys: true, prettyErrors: false }).compose(tokens));
  return docs.map((d, i) => {
    if (d.errors.length) throw new Refusal(`Sigma: YAML document ${i + 1} cannot be read: ${d.errors[0]!.message.split('\n')[0]}`);
    return d.toJS({ maxAliasCount: 0 });
  });
}

/** The documents of a Sigma file, read alike by YAML 1.1 (pySigma/PyYAML) and YAML 1.2. */
export function readSigmaDocuments(text: string): Json[] {
  // plain documents both versions read alike (read fast, the package's values: src/panther/plainyaml.ts)
  const plain = readPlainYamlDocuments(text, { uniqueKeys: true, yaml11: true });
  if (plain !== undefined) return plain as Json[];
  const tokens = Array.from(new Parser().parse(text));
  const v12 = compose(tokens, '1.2');
  const v11 = compose(tokens, '1.1');
  const d = firstDifference(v12, v11, '');
  if (d) throw new Refusal(`Sigma: YAML 1.1 (pySigma) and YAML 1.2 read ${d} differently (quote the value)`);
  return v12.filter((x) => x !== null && x !== undefined) as Json[];
}
