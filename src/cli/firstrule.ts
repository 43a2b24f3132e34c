/**
 * A hook run once, after the first rule this thread converts or tests (`work.ts`). `boot.ts` saves the
 * V8 code cache there: the cache then holds the functions one rule compiles, whatever the command. Saved
 * at the end of a corpus run instead it held every function the batch compiled (1.6 MB), and a later
 * one-rule run spent ~35% more CPU reading it (0.26 s against 0.19 s for aws_console_root_login).
 * Worker threads set no hook.
 */
let hook: (() => void) | undefined;

export function onFirstRule(f: () => void): void {
  hook = f;
}

export function firstRuleDone(): void {
  const h = hook;
  if (!h) return;
  hook = undefined;
  h();
}
