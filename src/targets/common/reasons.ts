/** The reason table, re-exported for the targets: it lives in src/reasons.ts (the pipeline reads it too). */
export { OPAQUE_PREFIX, REASONS, reasonFidelity, reasonInfo, type ReasonInfo } from '../../reasons.js';
