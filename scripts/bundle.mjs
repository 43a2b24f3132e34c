#!/usr/bin/env node
// Part of `npm run build` (after tsc): the whole CLI as one CommonJS file, dist/cli/main.cjs, which
// bin/transpile.js compiles with a V8 code cache (src/cli/boot.ts). Node built-ins stay external; the
// dependencies (yaml, handlebars, @lezer/*, commander) are included.
import { rolldown } from 'rolldown';

const bundle = await rolldown({ input: 'dist/cli/bundle.js', platform: 'node', external: [/^node:/], logLevel: 'warn' });
await bundle.write({ file: 'dist/cli/main.cjs', format: 'cjs', sourcemap: false, charset: 'ascii', comments: false });
// (ASCII, no comments: 1.56 MB instead of 1.89 MB, read as a one-byte string without UTF-8 decoding, src/cli/boot.ts)
await bundle.close();

// The package's mapping files, read now (src/mapping/load.ts `precompiledDocs`): a run reads this JSON
// instead of parsing the YAML while the YAML is unchanged (its SHA-1 is checked). A file whose documents
// do not survive JSON as they are (or that does not read) is left to be parsed at run time.
{
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { isDeepStrictEqual } = await import('node:util');
  const { parseMappingFile } = await import('../dist/mapping/file.js');
  const { PRECOMPILED_FILE, DEFAULT_MAPPINGS_DIR, precompiledFile } = await import('../dist/mapping/load.js');
  const { sourceHash } = await import('../dist/paths.js');
  const outDir = path.dirname(precompiledFile(path.join(DEFAULT_MAPPINGS_DIR, 'x.yaml')));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of fs.readdirSync(DEFAULT_MAPPINGS_DIR).filter((f) => /\.ya?ml$/.test(f))) {
    const file = path.join(DEFAULT_MAPPINGS_DIR, name);
    const text = fs.readFileSync(file, 'utf8');
    let docs;
    try {
      docs = parseMappingFile(text, PRECOMPILED_FILE);
    } catch {
      continue;
    }
    const json = JSON.stringify({ sha1: sourceHash(text), docs });
    if (!isDeepStrictEqual(JSON.parse(json).docs, docs)) continue;
    fs.writeFileSync(precompiledFile(file), json);
  }
}

// The package's templates, precompiled now (src/targets/common/template.ts `precompiledSpec`): a run takes
// Handlebars.template(spec) instead of parsing and compiling the .hbs while it is still the same text.
{
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { default: Handlebars } = await import('handlebars');
  const { TEMPLATE_OPTIONS, defaultTemplatesDir, precompiledTemplatesFile } = await import('../dist/targets/common/template.js');
  const outDir = path.dirname(precompiledTemplatesFile('x'));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const hb = Handlebars.create();
  for (const target of fs.readdirSync(defaultTemplatesDir()).sort()) {
    const dir = path.join(defaultTemplatesDir(), target);
    if (!fs.statSync(dir).isDirectory()) continue;
    const specs = {};
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.hbs')).sort()) {
      const source = fs.readFileSync(path.join(dir, name), 'utf8');
      try {
        specs[name] = { source, spec: hb.precompile(source, TEMPLATE_OPTIONS) };
      } catch {
        /* a broken template is reported at run time */
      }
    }
    fs.writeFileSync(precompiledTemplatesFile(target), JSON.stringify(specs));
  }
}

// The Sentinel table schemas per table (src/mapping/schemas.ts `precompiled`): a run reads the index and the
// tables it uses instead of parsing schemas/sentinel-tables.json while that file is the same text (SHA-1).
{
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { SCHEMA_FILE, precompiledSchemaPath } = await import('../dist/mapping/schemas.js');
  const { sourceHash } = await import('../dist/paths.js');
  const outDir = path.dirname(precompiledSchemaPath('index'));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const text = fs.readFileSync(SCHEMA_FILE);
  const { standardColumns, tables } = JSON.parse(text.toString('utf8'));
  const names = Object.keys(tables).filter((t) => /^[A-Za-z0-9_]+$/.test(t) && t !== 'index');
  for (const t of names) fs.writeFileSync(precompiledSchemaPath(t), JSON.stringify({ ...standardColumns, ...tables[t] }));
  // a table whose name is not a plain file name is left out of the index: a lookup of it reads the file
  if (names.length === Object.keys(tables).length) {
    fs.writeFileSync(precompiledSchemaPath('index'), JSON.stringify({ sha1: sourceHash(text), tables: names, standardColumns }));
  }
}

// The Unicode tables read off the engine by a scan of every code point (src/unicodetables.ts): computed now
// and stored with the engine's Unicode/ICU/V8 versions; a run on the same versions reads them instead.
{
  const fs = await import('node:fs');
  const path = await import('node:path');
  // the modules that define tables (each registers its own when loaded)
  await import('../dist/targets/common/ci.js');
  await import('../dist/proof/regex.js');
  const { computeUnicodeTables, unicodeTablesFile } = await import('../dist/unicodetables.js');
  const file = unicodeTablesFile();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(computeUnicodeTables()));
}
