/** The six comparison operators the evaluators read (Logs Insights and YARA-L spell them alike). */

/** `a op b` for two values of one type, or undefined for an operator outside the six. */
export function compareSame<T extends number | string>(op: string, a: T, b: T): boolean | undefined {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
  return undefined;
}
