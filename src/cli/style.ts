/** Colour only on a terminal, never with NO_COLOR. */
export class Style {
  constructor(private on: boolean) {}
  private wrap(code: string, s: string): string {
    return this.on ? `\u001b[${code}m${s}\u001b[0m` : s;
  }
  red = (s: string): string => this.wrap('31', s);
  green = (s: string): string => this.wrap('32', s);
  yellow = (s: string): string => this.wrap('33', s);
  dim = (s: string): string => this.wrap('2', s);
  bold = (s: string): string => this.wrap('1', s);
}

/** Style's own colour codes: the only escape sequences the CLI writes to a terminal. */
const OWN_SGR = /^\u001b\[(?:0|1|2|31|32|33)m/;

/**
 * Text for a terminal: control characters (C0 but tab and newline, DEL, C1) are written as `\xHH`, so
 * that bytes from a rule file (ESC, BEL, an OSC title sequence) are never echoed raw. With colour on,
 * Style's own colour codes pass.
 */
export function terminalSafe(s: string, colour: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x1b && colour) {
      const m = OWN_SGR.exec(s.slice(i, i + 5));
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    const control = (c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f);
    out += control ? `\\x${c.toString(16).padStart(2, '0')}` : s[i];
  }
  return out;
}
