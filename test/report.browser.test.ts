/**
 * The HTML report in a real browser (Debian's chromium, headless; .ci/run installs it): the matrix renders,
 * a filter preset by the link's hash applies, and the screenshot is not blank.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../src/cli/main.js';

const browser = ['chromium', 'chromium-browser'].find((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), stdin: () => '', isTTY: false, env: {} });
  return { code, out, err };
}

const headless = (args: string[]) =>
  spawnSync(browser as string, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('the HTML report in a headless browser', () => {
  it('has a browser to run in (CI always installs one)', () => {
    if (!browser) {
      console.warn('no chromium on this machine: the browser checks of the HTML report are skipped (CI installs it)');
      expect(process.env.CI, 'CI must provide chromium (.ci/run installs it)').toBeFalsy();
    }
  });

  it.runIf(browser)('renders the matrix, applies a filter from the link, and paints a non-blank page', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-html-'));
    const html = path.join(dir, 'report.html');
    const json = path.join(dir, 'report.json');
    expect((await run(['report', 'rules', '-o', html])).code).toBe(0);
    expect((await run(['report', 'rules', '-o', json])).code).toBe(0);
    const rep = JSON.parse(fs.readFileSync(json, 'utf8'));
    const want = rep.rules.filter((r: { targets: Record<string, { fidelity: string }> }) => r.targets.yaral?.fidelity === 'unsupported').length;
    expect(want).toBeGreaterThan(0);
    const dom = headless(['--dump-dom', `file://${html}#target=yaral&fidelity=unsupported`]);
    expect(dom.status, dom.stderr).toBe(0);
    expect(dom.stdout).toContain('<table id="matrix">');
    expect((dom.stdout.match(/<tr data-lt=/g) ?? []).length).toBe(rep.rules.length);
    expect(dom.stdout).toContain(`${want} of ${rep.rules.length} rules`);
    const png = path.join(dir, 'shot.png');
    const shot = headless([`--screenshot=${png}`, '--window-size=1400,1000', `file://${html}`]);
    expect(shot.status, shot.stderr).toBe(0);
    const bytes = fs.readFileSync(png);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    // a blank 1400x1000 page compresses to a few KB; the report's tables and badges do not
    expect(bytes.length).toBeGreaterThan(30_000);
  });
});
