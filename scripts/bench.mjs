#!/usr/bin/env node
// Benchmark. Usage: npm run bench [-- <folder> [rounds]]   e.g. npm run bench -- ../corpus/rules
//   per phase (load, lift, the lift's proof on the tests), per target (render, read back + run the tests),
//   peak memory, for the folder's rules (default: rules/) and for ¼ and ½ of them (every 4th, every 2nd
//   file, each in a fresh process) to show that the cost grows linearly; then the whole command line
//   (`transpile`, median of 5) for one rule and for the folder. Prints figures; asserts nothing.
//   BENCH_BUILD=<folder> measures another build than dist/ (e.g. one made with tsc --outDir).
// Measured on the 2-core machine (load average 1-4 from other work; medians of 5, whole process):
//   one rule -t kql: 1.5 s wall / 2.3 s CPU before (Kusto.Language's combinator grammar and GlobalState built
//   on the first parse, every mapping file read), 0.84 s / 1.16 s after (the query parser alone, V8 code cache,
//   mappings read per log type); a rule without tests -t kql 1.55 s -> 0.30 s (nothing to read back);
//   -t sigma 0.46 s -> 0.39 s. Batches on 2 threads (--jobs): the same bytes; about 1.5 s more CPU per worker
//   (its own modules, Kusto.Language and JIT warm-up), so they pay off only on a machine with a free core.
// Session 3 (quiet machine, median of 3, /usr/bin/time; before = 349401f): one rule -t kql 0.84 s / 136 MB ->
//   0.28 s / 83 MB (own KQL reader instead of Kusto.Language, the CLI as one bundle with a V8 code cache);
//   corpus -t kql --out 14.1 s -> 8.5 s; -t all --out 19.5 s / 562 MB -> 20.2 s / 470 MB and test 18.5 s / 424 MB
//   -> 19.7 s / 297 MB, now rendering and proving 374 more KQL and Sentinel artifacts (Sentinel tables for
//   every log type) and simplifying every condition. pySigma 1.x + its Kusto backend on the Sigma emitted
//   for the same corpus: 6.6 s (one process), one file 0.7 s.
// Issue 11, session h1 (2-core machine under load average 6-15 from other work, so walls are noisy; CPU = user+sys
//   from /usr/bin/time, medians of 3 alternating runs of the old build 9c53819 and the new, corpus = panther-analysis,
//   876 rule files): corpus -t all --out 81 s / 51.6 s CPU -> 55 s / 43.6 s CPU (2 threads), --jobs 1 44.4 s ->
//   37.6 s CPU before the shared test evidence, 30.1 s after (one run); corpus test --json 68.7 s / 44.4 s CPU ->
//   30.7 s / 34.4 s CPU; one rule -t kql 0.69 s / 0.35 s CPU / 83 MB -> 0.62 s / 0.29 s CPU / 76 MB (median of 7).
//   What: the condition each target renders computed once per rule and shared by targets and by the render after
//   a proof; mapper answers per (log type, target, path) memoised; the lift under a test's mocks lifts rule() alone;
//   test logs projected once for KQL and Sentinel; the tests' evidence (casing) shared by the targets; mapping
//   files precompiled to JSON at build time (dist/mappings/, checked against the YAML's SHA-1); the Sentinel
//   schema merged per table on first use. Peak memory of the corpus runs with 2 threads stays ~450-600 MB.
// Issue 11, session s7 (2-core machine shared with 3 other sessions, load average 5-12: walls are noise; CPU =
//   user+sys from /usr/bin/time, medians of alternating runs of main 2e91cd5 and the branch; corpus = panther-analysis,
//   876 rule files): corpus -t kql --jobs 1 --out 21.0 s -> 18.8 s CPU (3 runs), -t all --out 47.8 s -> 44.9 s CPU
//   (3), test 50.8 s -> 40.4 s CPU (3); one rule -t kql 0.28 s -> 0.26 s CPU (7). Measured in one process each (less
//   noisy): loading the 876 rule files 3.08 s -> 1.46 s CPU; reading back the 876 Sentinel rules 0.99 s -> 0.17 s and
//   the 876 Sigma rules 1.33 s -> 0.31 s. What: YAML read by src/panther/plainyaml.ts (the yaml package's value, or
//   it leaves the file to the package) for rule files, Sentinel and Sigma read-back; file-system lookups per run,
//   not per rule; the rule module parsed once for the proof's mocked lifts.
// Issue 11, session s8 (2-core machine shared with 4 other sessions, load average 7-15 throughout: walls are noise;
//   before = main 5ac6c9b, alternating runs, fresh --out folders, each build with its own code-cache folder made by
//   the same first run). One rule -t kql: instructions counted by valgrind (callgrind, the only figure the load does
//   not move) 981 M -> 877 M, of which `node -e 0` is 504 M, so the CLI's own 477 M -> 374 M (-22%); CPU from
//   /usr/bin/time 0.20 s -> 0.21 s (median of 11, noise), in-process minimum 167 -> 156 ms; peak 70 -> 65 MB.
//   What: the built-in Handlebars templates precompiled at build time (dist/templates/<target>.json, taken while
//   the .hbs is the same text; Handlebars.template(spec), which compile() itself ends in); the bundle written
//   ASCII-only without comments (1.89 -> 1.56 MB), read as a one-byte string without UTF-8 decoding (9 -> 0.5 ms),
//   its code cache named by the file's dev/inode/size/mtime instead of a SHA-256 of the source (~8 ms).
//   Batches: a worker thread starts from the bundle with the code cache (cli/workerboot.ts) instead of compiling
//   the ~100 modules: its start 330-420 -> 170-210 ms CPU, 30 -> 27 MB. Structural ids (normalize predId/valId/
//   negId, simplify nodeId, literal semantics, lift facts) are numbered afresh per rule (newIdSpace): the tables
//   grew for the whole run (~10 MB of the ~37 MB live at the end of a corpus run, marked again by every full GC).
//   V8's heap growth after a full GC 1.5x instead of up to 4x of the live heap (--heap-growing-percent=50, set
//   by boot.ts): one thread over the corpus -t kql peak 225 -> ~200 MB for ~0.3 s more full collections.
//   Corpus, 2 threads (/usr/bin/time, medians): -t kql --out CPU 23.3 s -> 23.4 s (9 runs each: unchanged), peak
//   310 -> 285 MB (267-346 MB before, 277-291 after); test --json CPU 42.0 s -> 40.4 s, peak 475 -> 355 MB (3 runs;
//   418-561 before, 354-359 after); -t all --out CPU 41.7 s -> 38.8 s, peak 585 -> 387 MB (3 runs). Most of the
//   memory is the heap growth: the same build with V8's default growth gave test 442 MB, -t all 621 MB (2 runs);
//   --heap-growing-percent=20 gave 331 / 359 MB but 10-25% more CPU. At 2 threads a peak is each heap (~100 MB for
//   -t kql) plus ~90 MB of node itself and two isolates' code. Where the rest goes: a corpus -t kql run allocates
//   ~4.6 GB (289 scavenges of the 16 MB young generation, 4-5 s of pause under this load): allocation, not
//   retention, now sets both CPU and peak memory.
// Issue 11, session s8-perf2 (same shared machine, load average 5-9, the suite running alongside; before = main 1688de7).
//   --out re-runs: a file that already holds exactly the new bytes is left alone (src/cli/write.ts compares size,
//   then bytes; only a changed file is written to a temporary file and renamed into place): corpus -t all --out over
//   its own earlier output, /usr/bin/time, 3 alternating runs: sys 1.47-1.54 s -> 1.00-1.04 s; walls 40-81 s and
//   user 43-52 s are load noise either way. One rule -t kql: schemas/sentinel-tables.json (164 KB) is written per
//   table by the build (dist/schemas/sentinel/<table>.json and index.json, under the schema file's SHA-1) and a run
//   reads the index and the one table instead of parsing the file: callgrind 880-883 M -> 868 M instructions (2 runs
//   each); /usr/bin/time medians of 9 alternating runs: CPU 0.25 s -> 0.25 s, wall 0.83 -> 0.67 s (noise), 66 MB.
//   Measuring note: two builds alternating in one code-cache folder evict each other's cache (boot.ts pruneOld keeps
//   one `cli-*.v8cache`), so every run compiles the bundle afresh and writes a new cache (~1.32 G instructions
//   instead of ~0.87 G): give each build its own TRANSPILE_CACHE_DIR when comparing builds.
// Issue 11, session s9-perf (the 2-core machine at load average 15-25 from six other sessions and their suites:
//   walls are 6-10x the quiet figures and mean nothing; before = main dc0c7bc, alternating runs, each build with its
//   own code-cache folder). Allocation, measured in one process (--jobs 1) by V8's sampling heap profiler with
//   collected objects included: corpus -t kql 4.49 -> 3.23 GB, corpus test 8.75 -> 6.25 GB (-28%). What: nodeImplies
//   without a closure per every/some call (~0.5 GB); contextSimplify with one context map, a child's sibling literals
//   added for its walk and restored after it, instead of a copy of every ancestor's context per child (~0.25 GB);
//   raiseKey per raise set; canonical sorts looking each key up once; Python's case classes kept only where shared and
//   a range's cased code points found by binary search (the scan of every class per range was the largest allocation
//   of test, ~0.36 GB; the table itself ~65 MB and ~0.25 s per thread); CWL's absentIrrelevant reading each text's
//   positive test once. CPU (user+sys, /usr/bin/time, 2 threads, one alternating pair each): -t kql --out 22.2 ->
//   22.0 s, -t all --out 51.4 -> 51.6 s, test --json 48.6 -> 48.6 s: no change visible under this load; peak RSS
//   286 -> 250, 393 -> 408, 354 -> 366 MB (single runs: noise of +-30 MB). One rule -t kql: callgrind 880 M -> 867 M
//   instructions, CPU 0.16 s, 66 MB either way. Measuring note: the code cache holds whatever the run that wrote it
//   had compiled, so a cache written by a corpus run (2.0 MB) makes every later one-rule run ~1.19 G instructions
//   instead of ~0.87 G with a cache written by a one-rule run (1.2 MB): start each build's cache folder the same way.
// Issue 11, session s10-perf (the 2-core machine at load average 11-18 from other sessions: walls inflated 3-5x; CPU =
//   user+sys from /usr/bin/time, alternating runs of main 88e4bec and the branch, each with its own code-cache folder).
//   Per-thread CPU (/proc/<pid>/task/*/stat, polled) showed V8's background threads taking ~7 s beside the main
//   thread's ~9 s on corpus -t kql --jobs 1: optimising compilation (TurboFan), hot functions recompiled after
//   deoptimising on new node shapes, each time with their callees inlined. boot.ts now sets --no-turbo-inlining and
//   --interrupt-budget=300000 (the slices here are started with the same flags): background ~2 s, main unchanged.
//   Corpus -t kql --out CPU 19.9 -> 14.2 s (3 runs), -t all --out 39.6/40.5 -> 27.9/32.5 s, test --json 37.0/33.9 ->
//   26.0/28.1 s (2 runs each); one rule -t kql 0.16 -> 0.18 s CPU (7 runs, noise). Batches: each thread takes the next
//   rule from a shared Atomics counter (cli/pool.ts); handed out by the main thread, the worker was idle ~17% of a
//   2-thread -t kql run (--cpu-prof of both threads), now ~0%.
// Issue 11, session s11-perf2 (2-core machine at load average 3-14 from other sessions; before = main 7a5b618,
//   alternating runs). Per phase, main-thread CPU (ms, /proc/thread-self/schedstat around each phase of a slice of
//   the whole corpus, one thread, medians of 3): load 745 -> 658, lift 2370 -> 2185, prove 365 -> 299, render
//   8807 -> 6239 (sigma 2315 -> 2101, kql 3123 -> 2439, sentinel 1351 -> 265, yaral 640 -> 504, cwl 1361 -> 893),
//   read back 3568 -> 3064; the process (JIT and GC threads too) 19.8 -> 15.9 s. Corpus -t all --jobs 1 --out:
//   user 17.2 -> 15.2 s (3 runs; sys 0.9-3.8 s either way, load noise). What: the KQL query built once for kql and
//   sentinel (kql/index.ts buildKql, ReasonSink.retarget); a condition's log-type specialization and NNF once per
//   condition (registry.ts); nodeId/predId of junctions by a hash of their operands' ids instead of key texts;
//   a literal's sort key per atom; pyToRe2 and the evaluators' compileTargetRegex once per pattern; mapper
//   resolve() in a tree by path segment instead of JSON.stringify keys; CWL's per-log-type parts built once and
//   its JSON test documents parsed once; outctx's Reading.parse once per text; KQL evaluator rows once per
//   event; PyError without a stack trace; template existence looked up once. Output byte-identical.
// Issue 11, session s12-perf (2-core machine at load average 6-11 from other sessions: walls are noise; CPU = user+sys
//   from /usr/bin/time, medians of 3 alternating runs of a build of 367c955 and the branch, each with its own code cache).
//   Corpus -t all --out 18.4 -> 16.6 s CPU, test --json 17.5 -> 16.6 s, -t kql --out 10.4 -> 10.3 s (one thread in one
//   process: 8.28 -> 8.09 s), one rule -t kql 0.16 -> 0.17 s; peak memory unchanged. What: nodeImplies answers memoised
//   per simplifyNnf call, the work each took spent again on a hit (absorb asked ~120k questions on the corpus, ~24k
//   distinct, ~34 calls deep each); a KQL/Sentinel condition whose every literal reads a string column simplified once
//   with the other targets' (579 of 1182); a routed log type's own-table branch the route decides nothing of takes the
//   log type's condition (60 of 180 branches); the Sentinel rule's query read back with the kql artifact's parse (861 of
//   1705 read-backs). The costliest rule (azure_role_assignment_privileged_or_elevated, ~11% of -t kql) 1.33 -> 0.92 s.
//   Per-thread CPU of a 2-thread -t kql run: main 4.7 s, worker 4.3 s, V8's four platform threads 2.6 s (GC and
//   optimising compiles; --single-threaded-gc moves their GC share onto the JS threads, total unchanged).
// Issue 11, session s13-onerule (load average 7-10 from other sessions; before = main ef8acbb; each build its own
//   TRANSPILE_CACHE_DIR). One corpus rule -t kql (aws_console_root_login, panther-analysis' global_helpers and
//   data_models found above it), callgrind: 1.47 G -> 0.79 G instructions (`node -e 0` is 0.50 G); CPU 0.20 -> 0.12 s,
//   70 -> 65 MB. Where it went (--cpu-prof): parsing the three helper modules the rule imports (~55 ms), every data
//   model file parsed, and @lezer/python's tables decoded at start-up. What: parsed modules kept beside the code cache
//   (src/cli/parsecache.ts, named by the bundle's identity, label and text); data models parsed per log type
//   (dataModelOf); the Python parser loaded on the first parse. A cold parse cache costs what a run cost before.
//   Corpus runs unchanged (a batch writes only imported modules' entries). Measuring note: a profiled or traced run
//   (--cpu-prof, --trace-gc) has other V8 flags, so it rejects the code cache and writes its own: profile with
//   another TRANSPILE_CACHE_DIR than the timed runs use.
// Issue 11, session s13-batch (2-core machine at load average 2-10 from other sessions; before = main ef8acbb, alternating
//   runs, each build with its own code-cache folder). A one-thread --cpu-prof of corpus -t all --out is flat: GC ~11%,
//   simplifyNnf ~12% (two runs per rule where KQL's string columns differ from the tests' types), lift ~15%, every
//   target's printer and the proofs' projections/read-backs 2-9% each, no function above 1.5% self. Fixed: YARA-L's
//   plainGroups scanned the whole body once per group, inside a loop over removals (tidyRegexes 714 -> 129 ms of a
//   25 s profile); simplifyNnf's implication memo and simplifyInContext's fact counts without an object per entry;
//   the KQL condition shares the other targets' whenever the two impliesStr agree on every literal's value (was: both
//   true); the KQL projection of a test log: a table's column types once per log type, scalars not structuredCloned.
//   Corpus (2 threads, medians of 3, load 1.6-3, with BDD tables in typed arrays, since reverted for their memory):
//   -t kql --out 5.34 -> 4.88 s, -t all --out 10.82 -> 10.25 s, test --json 8.72 -> 8.36 s; the final build at load
//   2.4-3.8 showed no difference (5.46/5.50, 12.52/12.24, 9.60/9.58): the cuts are a few % of CPU, inside this
//   machine's noise. Callgrind (-t all --jobs 1, same earlier build): azure_activity_rules 13.00 -> 12.98 G
//   instructions, kubernetes_rules 31.32 -> 31.16 G. Peak of -t all on 2 threads 301-322 MB either way.
// Issue 11, session s16-perf (load average 1.3-9 from other sessions: walls and /usr/bin/time CPU vary +-20% run to run;
//   before = f8b37d2). --cpu-prof of both threads of corpus -t all --out / test --json / -t kql: still flat (GC 9-13%,
//   simplifyNnf ~11%, lift ~15-20%, projections of test logs ~7% of -t kql, no function above 2% self); the live heap
//   at the end of a -t all run is 58 MB (20 MB of it code): nothing large held across rules, the peak is allocation.
//   Under load the 2 threads' --out writes block in open() (up to ~2-3 s per thread, 0.07 s when quiet). Callgrind:
//   reading the 50 rule files the plain YAML reader left to the yaml package 3.69 -> 3.09 G instructions (now 31;
//   closing bracket at the key's column, `---` start, keys with `:` or a leading `.`); -t yaral --jobs 1 over
//   kubernetes_rules 12.99 -> 12.89 G (the scratch print only when a literal tests a split or rstrip()). Tried and
//   left: --max-semi-space-size 32/64 (GC time -15%, RSS +55/+140 MB), --maglev, --always-sparkplug (slower).
// Issue 11, session s17-perf (2-core machine at load average 1-2.5, but walls and /usr/bin/time CPU still vary +-15% run
//   to run; before = f8ce4d2, each build its own code-cache folder, outputs to tmpfs: --out on ext4 right after an
//   `rm -rf` of the last run's folder charged 3-6 s of sys time to the next run). Where it went: the top fifth of the rules
//   took 65% of a -t kql run (azure_role_assignment_privileged_or_elevated alone ~9%: a helper read on many paths, 13
//   distinct literals in a 3,975-node condition, simplified five times), and the ast target wrote 104 MB for the corpus
//   (that rule's JSON 10 MB). What: the ast target writes a shared node once and a JSON Reference elsewhere (ast/ 104 ->
//   19 MB); simplifyNnf keeps junction() results per call by the context's facts and the operands' structure (25k
//   lookups, 5.2k hits on the corpus; it stops for a call where under one in eight hit); dropImpliedTypes' factsOf once
//   per node; the KQL projection of a test log copy-on-write instead of structuredClone (4,345 projections 495 -> 247
//   ms); simplifyInContext's facts in a typed array by key number, its per-pass tables plain maps; test evidence
//   (values, spellings at a path) once per path. Callgrind, -t all --jobs 1 --out (deterministic): azure_activity_rules
//   14.84 -> 12.72 G instructions, kubernetes_rules 32.75 -> 27.24 G (before the outctx and evidence changes, which
//   took kubernetes_rules -t kql,cwl 24.19 -> 23.94 G). This script over the corpus (one process, one thread, all five
//   targets): 16.2 -> 12.3 s (render 8.6 -> 6.1 s, read back 3.6 -> 2.7 s, lift 2.8 -> 2.3 s), peak 214 -> 206 MB.
//   Command line, 2 threads, medians of 5 alternating pairs: -t kql --out 4.97 -> 4.93 s (CPU 9.5 -> 9.4 s), -t all
//   --out 9.98 -> 9.88 s, peak 306 -> 295 MB (every run now under 300 MB), test --json 8.64 -> 8.37 s; one rule -t kql
//   0.16 s either way (node -e 0 is 0.08 s here). pySigma 1.5.0 + its Kusto backend by hand on the Sigma emitted for the
//   corpus (|cased removed: the backend refuses case-sensitive matching, 642 of the 876): 5.66 s (median of 5), 781
//   converted, 95 refused (correlations, field references); one file 0.41 s.
// Issue 11, session s18-perf (load average 2-2.6; walls vary +-15%: -t all medians 9.6-11.3 s on the same build
//   within the hour). No code change kept. Command line, 2 threads, medians of 5 (43003ac): -t kql --out 4.70 s (CPU
//   8.9 s, 239 MB), -t all --out 11.29 s (min 9.63; 288 MB), test 8.86 s (275 MB), one rule -t kql 0.14 s (66 MB);
//   --jobs 1: -t kql 6.4 s wall, 7.9 s CPU (2 threads cost ~0.7 s more CPU: the worker's own start and JIT). One-thread
//   -t kql profile: render 40% (KQL's build 18%, the passes after the NNF 14%), lift 22%, YAML 7%, the artifacts' read
//   back 11% (test-log projection 5%), GC 9%; the costliest rules are the same (azure_role_assignment_privileged_or_elevated
//   ~300 ms, k8s_system_principal_public_ip ~220 ms of render; 25 k8s rules ~30 ms each). Tried and left: ids kept
//   on the nodes (a non-enumerable symbol slot per node, made with defineProperty, checked against the id space)
//   instead of weak maps in predId/valId/nodeId: callgrind -t kql --jobs 1 over kubernetes_rules 14.14 -> 14.71 G
//   instructions (the property's definition on every new node costs more than the weak-map lookups it saves).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const build = process.env.BENCH_BUILD ? path.resolve(process.env.BENCH_BUILD) : fileURLToPath(new URL('../dist/', import.meta.url));
const fromBuild = async () => {
  const load = (p) => import(path.join(build, p));
  return {
    ...(await load('panther/load.js')),
    ...(await load('pipeline.js')),
    ...(await load('targets/registry.js')),
    ...(await load('proof/index.js')),
    ...(await load('mapping/load.js')),
    ...(await load('panther/pypanther.js')),
    ...(await load('cli/files.js')),
  };
};
const { loadRule, loadRuleFile, liftLoaded, proveRule, renderRule, proveOutput, targetNames, defaultTemplatesDir, loadMappings, collectRuleFiles } = process.env.BENCH_BUILD ? await fromBuild() : await import('./lib.mjs');

// Issue 11, session s14-perf (load average 4-10 from other sessions throughout: walls 3-4x the quiet figures; before =
//   a build of 924ce8b, alternating runs, each build its own code-cache folder). Corpus, 2 threads, /usr/bin/time, 3
//   pairs: -t all --out user 25.3/24.6/24.4 -> 22.6/24.6/25.5 s, peak 303-310 -> 301-320 MB; test --json user
//   21.5/23.2/24.9 -> 17.6/21.7/18.3 s; -t kql --out 9.8/14.8/10.3 -> 11.8/13.4/10.2 s; one rule 0.10-0.15 s either
//   way: all within the load's noise. In one process, alternating rounds of both builds (4 each, after a warm-up):
//   the corpus (-t sigma..cwl,ast) 63.1 -> 64.4 s (noise), kubernetes_rules + azure_activity_rules (the costliest
//   118 rules, mostly simplifyNnf) 25.0 -> 23.4 s. What: junction ids from a plain array (Int32Array.from with a
//   mapping function was most of junctionId); a missing --out file told by stat, not an exception; stderr to a pipe
//   or file in ~64 KB blocks; a one-reading target regex tested directly. Where a one-thread -t all --out profile
//   (25 s) still goes: renderRule 41% (simplifyNnf 12%, CWL 8%, KQL 8%, Sigma 5%, YARA-L 4%), the artifacts' proofs
//   17% (test logs projected 7%, read back 7%), lift 13%, GC 10%, writes 7% (file creation in the kernel ~3%, UTF-8 of
//   the 104 MB of AST JSON ~2%), YAML 5%, Python parse 5%; no function above 1.6% self. kubernetes_rules (60 rules of
//   3 log types, lifted per log type through udm()) take ~30% of the corpus' render and proof time.
// Issue 11, session s15-perf (2-core machine at load average 5-12 from other sessions throughout: walls 2-4x the quiet
//   figures; CPU = user+sys from /usr/bin/time, alternating runs of a build of main 645dc2a and the branch, each with its
//   own code-cache folder, warm). Corpus, 2 threads: -t kql --out CPU 11.60/12.71/12.03 -> 10.89/11.79/10.83 s, peak
//   ~235 MB either way; -t all --out 23.83/28.30 -> 23.55/25.48 s, peak 296-320 MB either way; test --json 21.60/20.16 ->
//   19.52/19.34 s, peak 273-283 -> 266-267 MB. What: a target's passes after the NNF (dropStrGuards, simplifyNnf,
//   impliedTypes) kept per condition with every question they asked of impliesStr and of the shown types and the answer,
//   and taken by a later target, log type or route whose answers agree (~460 of ~1,600 computations of corpus -t all were
//   over a condition computed before; registry.ts targetPasses); a batch writes its rules' own modules to the parse cache
//   (parsing them was ~9% of a -t kql run, reading them back ~1%; the first run after a build writes ~7 MB); the BDD's
//   unique table and ite memo keyed by numbers, not texts built per call (-38% on a BDD microbenchmark); a KQL test
//   log's row copied from the tables' empty row made once (projectKql -12%); outctx's `said` per term (simplifyInContext
//   5.3% -> 4.4% of a -t kql profile). Where a one-thread -t kql --out profile still goes: render 39% (the passes after the
//   NNF 16%, the KQL printer 18%), lift 19% (normalize's predId/simplify ~4% self), the proof's read-backs 11%
//   (test-log projection 5%), YAML 6% (50 of 876 rule files fall back to the yaml package: 3%), GC 6%.
// `npm run bench -- chains`: the growth of lift + prove with the length of an `and` chain, an `or` chain and an
// elif chain (issue: hardening, item 1). Measured on the 2-core machine with the lift of issue 10 (ms, median
// of 3, lift + prove, after warm-up):
//   and chain  n=10: 1   n=100: 6   n=500: 45   n=1000: 95      (before: n=22 1.4 s, n=26 48 s, n=30 never)
//   elif chains (lift/chain.ts: one loop, one decision tree with holes, tests stored once), load 6-8:
//     returns True           n=10: 9   n=100: 27   n=300: 57   n=1000: 145
//     alternating results    n=10: 6   n=100: 21   n=300: 53   n=1000: 95
//     assignments, return    n=10: 16  n=100: 7    n=300: 32   n=1000: 93
//     nested if per branch   n=10: 18  n=100: 88   n=300: 95   n=1000: 356
//     a field per branch     n=10: 22  n=100: 19   n=300: 36   n=1000: 95
//   (before: cubic path conditions, n=100 already over the simplification budget and reported as
//   unsupported-size, n=1000 out of stack; before the budget, 900 branches took 44 s)
if (process.argv[2] === 'chains') {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-chains-'));
  const write = (name, body) => {
    fs.writeFileSync(path.join(tmp, `${name}.py`), `def rule(event):\n${body}`);
    fs.writeFileSync(path.join(tmp, `${name}.yml`), `AnalysisType: rule\nRuleID: B.${name}\nFilename: ${name}.py\nLogTypes: [AWS.CloudTrail]\nSeverity: Low\n`);
    return path.join(tmp, `${name}.yml`);
  };
  const chain = (n, op) => `    return ${Array.from({ length: n }, (_, i) => `event.get("f${i}") == "${i}"`).join(` ${op} `)}\n`;
  // elif chains (issue 10): one field against constants, with each kind of branch; and a different field per branch
  const elif = (arm, head = '') => (n) =>
    `    x = event.get("f")\n${head}${Array.from({ length: n }, (_, i) => `    ${i ? 'elif' : 'if'} x == "v${i}":\n${arm(i)}`).join('')}    return ${head ? 'r' : 'False'}\n`;
  const elifFields = (n) => `${Array.from({ length: n }, (_, i) => `    ${i ? 'elif' : 'if'} event.get("f${i}") == "v":\n        return ${i % 2 ? 'True' : 'False'}\n`).join('')}    return False\n`;
  const time = (file) => {
    const ms = [];
    let fidelity = '';
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const loaded = loadRule(file);
      const rule = liftLoaded(loaded);
      fidelity = proveRule(rule, loaded).fidelity;
      ms.push(performance.now() - t);
    }
    return { ms: ms.sort((a, b) => a - b)[1], fidelity };
  };
  time(write('warm', chain(50, 'and')));
  for (const [kind, make, sizes] of [
    ['and', (n) => chain(n, 'and'), [10, 30, 100, 300, 1000]],
    ['or', (n) => chain(n, 'or'), [10, 30, 100, 300, 1000]],
    ['elif (returns True)', elif(() => '        return True\n'), [10, 30, 100, 300, 1000]],
    ['elif (alternating results)', elif((i) => `        return ${['True', 'False', '"x"', 'None'][i % 4]}\n`), [10, 30, 100, 300, 1000]],
    ['elif (assignments, then return)', elif((i) => `        r = ${i % 3 ? 'True' : 'False'}\n`, '    r = False\n'), [10, 30, 100, 300, 1000]],
    ['elif (nested if)', elif((i) => `        if event.get("g") == "w${i}":\n            return True\n        return False\n`), [10, 30, 100, 300, 1000]],
    ['elif (a field per branch)', elifFields, [10, 30, 100, 300, 1000]],
  ]) {
    let prev = null;
    for (const n of sizes) {
      const { ms, fidelity } = time(write(`${kind.replace(/\W+/g, '_')}${n}`, make(n)));
      const growth = prev ? ` (x${(ms / prev.ms).toFixed(1)} for x${(n / prev.n).toFixed(1)} terms)` : '';
      console.log(`  ${kind} chain of ${n}: ${ms.toFixed(1)} ms, ${fidelity}${growth}`);
      prev = { n, ms };
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// One process measures one slice of a folder: `--slice <folder> <k> <rounds>` takes every k-th rule file.

if (process.argv[2] === '--slice') {
  const [, , , dir, k, rounds] = process.argv;
  const files = collectRuleFiles([dir], () => '').filter((_, i) => i % Number(k) === 0);
  // garbage collections and their pauses (allocation, not retention, sets most of a batch's CPU and peak memory)
  const gc = { minor: 0, major: 0, ms: 0 };
  const { PerformanceObserver, constants } = await import('node:perf_hooks');
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.ms += e.duration;
      if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor++;
      else gc.major++;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const t0 = performance.now();
  const ctx = { mapper: loadMappings(), templatesDir: defaultTemplatesDir() };
  const setup = performance.now() - t0;
  const phase = { load: 0, lift: 0, prove: 0 };
  const render = Object.fromEntries(targetNames.map((t) => [t, 0]));
  const readBack = Object.fromEntries(targetNames.map((t) => [t, 0]));
  const totals = [];
  let errors = 0;
  for (let r = 0; r < Number(rounds); r++) {
    const r0 = performance.now();
    for (const f of files) {
      try {
        let t = performance.now();
        // as the CLI reads it: pypanther classes (`file.py::Class`) too
        const loaded = loadRuleFile(f.path, undefined, f.root);
        phase.load += performance.now() - t;
        t = performance.now();
        const rule = liftLoaded(loaded);
        phase.lift += performance.now() - t;
        t = performance.now();
        rule.reasons = proveRule(rule, loaded).reasons;
        phase.prove += performance.now() - t;
        for (const name of targetNames) {
          t = performance.now();
          const out = renderRule(rule, name, ctx);
          render[name] += performance.now() - t;
          t = performance.now();
          proveOutput(out, rule, ctx.mapper);
          readBack[name] += performance.now() - t;
        }
      } catch {
        errors++;
      }
    }
    totals.push(performance.now() - r0);
  }
  const rss = process.resourceUsage().maxRSS; // KB
  await new Promise((r) => setTimeout(r, 0)); // the observer's last entries
  obs.disconnect();
  console.log(JSON.stringify({ rules: files.length, rounds: Number(rounds), setup, phase, render, readBack, totals, errors, rss, gc }));
  process.exit(0);
}

const dir = process.argv[2] ?? 'rules';
const bootFlags = (await import(pathToFileURL(path.join(build, 'cli', 'boot.js')).href)).bootFlags?.() ?? [];
const rounds = Number(process.argv[3] ?? 1);
const self = fileURLToPath(import.meta.url);
const ms = (x) => `${x.toFixed(0)} ms`;
const slices = [4, 2, 1].map((k) => {
  // with the V8 flags the command line runs with (cli/boot.ts), so the phases are measured as it runs them
  const p = spawnSync(process.execPath, [...bootFlags, self, '--slice', dir, String(k), String(rounds)], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 26 });
  if (p.status !== 0) {
    console.error(p.stderr);
    process.exit(1);
  }
  return { k, ...JSON.parse(p.stdout.trim().split('\n').pop()) };
});
const whole = slices[2];
const per = (s, x) => x / s.rounds;
console.log(`bench: ${whole.rules} rule files under ${path.resolve(dir)}; ${rounds} round(s) per slice, each slice in a fresh process (times include JIT warm-up and parsing helpers); build ${build}`);
console.log('');
console.log('  slice       rules   total      per rule   load      lift      prove     render    read back  peak RSS   GCs (minor/full, pause)');
for (const s of slices) {
  const render = Object.values(s.render).reduce((a, b) => a + b, 0);
  const back = Object.values(s.readBack).reduce((a, b) => a + b, 0);
  const total = s.totals.reduce((a, b) => a + b, 0) / s.rounds;
  const label = s.k === 1 ? 'whole' : `1/${s.k}`;
  console.log(
    `  ${label.padEnd(10)} ${String(s.rules).padStart(6)}   ${ms(total).padStart(8)}   ${`${(total / Math.max(1, s.rules)).toFixed(1)} ms`.padStart(8)}   ${ms(per(s, s.phase.load)).padStart(7)}   ${ms(per(s, s.phase.lift)).padStart(7)}   ${ms(per(s, s.phase.prove)).padStart(7)}   ${ms(per(s, render)).padStart(7)}   ${ms(per(s, back)).padStart(8)}   ${`${(s.rss / 1024).toFixed(0)} MB`.padStart(7)}   ${s.gc.minor}/${s.gc.major}, ${ms(s.gc.ms)}`,
  );
}
console.log('');
console.log('  per target (whole folder)   render    read back + tests');
for (const t of Object.keys(whole.render)) console.log(`  ${t.padEnd(27)} ${ms(per(whole, whole.render[t])).padStart(7)}   ${ms(per(whole, whole.readBack[t])).padStart(8)}`);
const growth = (a, b) => (b.totals[0] / Math.max(1, b.rules)) / (a.totals[0] / Math.max(1, a.rules));
console.log('');
console.log(`  growth: per-rule cost of the whole / of 1/4: x${growth(slices[0], whole).toFixed(2)}; of 1/2 / of 1/4: x${growth(slices[0], slices[1]).toFixed(2)} (about 1 when the cost is linear; below 1 as warm-up is shared)`);
if (whole.errors) console.log(`  ${whole.errors / whole.rounds} rule(s) failed to load or lift (not timed beyond the failure)`);

// the whole command line, as a user runs it (bin/transpile.js: the bundle with its code cache, boot.js): one rule,
// and the folder (median of 5 / of 3)
const out = fs.mkdtempSync(path.join(fs.realpathSync((await import('node:os')).tmpdir()), 'bench-out-'));
const run = path.join(out, 'transpile.mjs');
fs.writeFileSync(run, `import(${JSON.stringify(pathToFileURL(path.join(build, 'cli', 'boot.js')).href)}).then((b) => b.boot());\n`);
const timed = (args, n) => {
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [run, ...args], { stdio: 'ignore' });
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(n / 2)];
};
const one = fs.existsSync('rules/aws_cloudtrail/aws_kms_cmk_loss.yml') ? 'rules/aws_cloudtrail/aws_kms_cmk_loss.yml' : collectRuleFiles([dir], () => '')[0].path;
console.log('');
console.log(`  command line (whole process, median): one rule -t kql ${ms(timed(['-t', 'kql', one], 5))}, -t sigma ${ms(timed(['-t', 'sigma', one], 5))}`);
console.log(`  folder -t all --out: --jobs 1 ${ms(timed(['-t', 'all', '--jobs', '1', '--out', out, dir], 3))}, default jobs ${ms(timed(['-t', 'all', '--out', out, dir], 3))}; test: --jobs 1 ${ms(timed(['test', '--jobs', '1', dir], 3))}, default jobs ${ms(timed(['test', dir], 3))}`);
fs.rmSync(out, { recursive: true, force: true });
