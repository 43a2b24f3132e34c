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
