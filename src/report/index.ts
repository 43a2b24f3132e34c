/** `transpile report`: the migration report in HTML, Markdown, JSON or SARIF 2.1.0. */
import { toHtml } from './html.js';
import { toMarkdown } from './markdown.js';
import type { Report } from './model.js';
import { toSarif } from './sarif.js';

export { buildReport, type Report } from './model.js';

export const REPORT_FORMATS = ['html', 'markdown', 'json', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The format a file name asks for (.html, .md, .json, .sarif), if any. */
export function formatOfFile(file: string): ReportFormat | undefined {
  const m = /\.([a-z]+)$/i.exec(file);
  const ext = m?.[1]?.toLowerCase();
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  if (ext === 'sarif' || /\.sarif\.json$/i.test(file)) return 'sarif';
  if (ext === 'json') return 'json';
  return undefined;
}

export function renderReport(rep: Report, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return toHtml(rep);
    case 'markdown':
      return toMarkdown(rep);
    case 'sarif':
      return `${JSON.stringify(toSarif(rep), null, 2)}\n`;
    case 'json':
      return `${JSON.stringify(rep, null, 2)}\n`;
  }
}
