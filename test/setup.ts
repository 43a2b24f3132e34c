/**
 * Property tests run on a fixed seed, so that a run of the suite (and CI) is repeatable. To explore further by
 * hand: `FC_SEED=random npx vitest run` (a new seed each run, printed with any counterexample) or `FC_SEED=<n>`
 * to replay one; `FC_RUNS=<n>` sets the default number of runs where a test names none.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED;
fc.configureGlobal({
  ...(seed === 'random' ? {} : { seed: seed === undefined ? 20261207 : Number(seed) }),
  ...(process.env.FC_RUNS ? { numRuns: Number(process.env.FC_RUNS) } : {}),
});
