/**
 * The migration report as one self-contained HTML file: no network, no external assets, works from
 * file://. The matrix is plain HTML (readable without script); a small inline script sorts it (click a
 * column head) and filters it by target, fidelity, log type and reason. Light and dark mode follow the
 * reader's system setting.
 */
import type { Report, ReportCell, ReportReason, Totals } from './model.js';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const FID_ORDER: Record<string, number> = { exact: 0, approximate: 1, unsupported: 2, error: 3 };

function reasonItem(r: ReportReason): string {
  return `<li><code>${esc(r.code)}</code>${r.direction ? ` <em>${esc(r.direction)}</em>` : ''}: ${esc(r.message)} <span class="loc">${esc(r.file)}:${r.line}${r.col ? `:${r.col}` : ''}</span></li>`;
}

function reasonsBlock(rs: ReportReason[]): string {
  if (rs.length === 0) return '';
  return `<details><summary>${rs.length} reason${rs.length > 1 ? 's' : ''}</summary><ul>${rs.map(reasonItem).join('')}</ul></details>`;
}

function badge(fid: string, proven: boolean): string {
  return `<span class="b ${esc(fid)}">${esc(fid)}</span>${proven ? '<span class="p" title="proven on the rule\'s tests">✓ proven</span>' : ''}`;
}

function targetCell(t: string, c: ReportCell | undefined): string {
  if (!c) return `<td data-t="${esc(t)}" data-fid="error" data-sort="3">-</td>`;
  const codes = c.reasons.map((r) => r.code).join(' ');
  const tests = c.tests;
  const title = `tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.declared} declared, ${tests.notEvaluable} not evaluable, ${tests.mocked} mocked`;
  return `<td data-t="${esc(t)}" data-fid="${esc(c.fidelity)}" data-proven="${c.proven ? 1 : 0}" data-codes="${esc(codes)}" data-sort="${(FID_ORDER[c.fidelity] ?? 4) * 2 + (c.proven ? 0 : 1)}" title="${esc(title)}">${badge(c.fidelity, c.proven)}${reasonsBlock(c.reasons)}</td>`;
}

function totalsTable(rep: Report): string {
  const rows = rep.targets.map((t) => {
    const x = rep.totals[t] as Totals;
    return `<tr><th>${esc(t)}</th><td>${x.exact}</td><td>${x.proven}</td><td>${x.approximate}</td><td>${x.unsupported}</td><td>${x.error}</td></tr>`;
  });
  return `<table class="totals"><thead><tr><th>target</th><th>exact</th><th>proven</th><th>approximate</th><th>unsupported</th><th>error</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function logTypeTable(rep: Report): string {
  const rows = Object.entries(rep.byLogType).map(([lt, per]) => {
    const n = rep.rules.filter((r) => (r.logType || '(none)') === lt).length;
    return `<tr><th>${esc(lt)}</th><td>${n}</td>${rep.targets.map((t) => `<td>${per[t]?.exact ?? 0}</td>`).join('')}</tr>`;
  });
  return `<table class="totals"><thead><tr><th>log type</th><th>rules</th>${rep.targets.map((t) => `<th>${esc(t)} exact</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function mappingTable(rep: Report): string {
  if (rep.mappings.length === 0) return '<p>No rule needs a field mapping.</p>';
  const rows = rep.mappings.map((m) => `<tr><td>${esc(m.target)}</td><td>${esc(m.logType)}</td><td>${m.rules.length}</td><td>${m.fields.length ? m.fields.map((f) => `<code>${esc(f)}</code>`).join(' ') : '<em>the whole log type</em>'}</td></tr>`);
  return `<table class="totals"><thead><tr><th>target</th><th>log type</th><th>rules</th><th>fields to map</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1d1f23;--mut:#5c6370;--line:#d9dde3;--head:#f3f5f8;--ex:#1a7f37;--ap:#9a6700;--un:#cf222e;--er:#6e40c9;--exb:#dafbe1;--apb:#fff8c5;--unb:#ffebe9;--erb:#fbefff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mut:#8d96a0;--line:#30363d;--head:#161b22;--ex:#3fb950;--ap:#d29922;--un:#f85149;--er:#bc8cff;--exb:#12261e;--apb:#272115;--unb:#2d1518;--erb:#231a33}}
body{background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:1.5rem}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
.mut,.loc{color:var(--mut)}.loc{font-size:.85em;white-space:nowrap}
table{border-collapse:collapse}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--head);position:sticky;top:0}
#matrix thead th{cursor:pointer;user-select:none}#matrix thead th[aria-sort=ascending]::after{content:" ▲"}#matrix thead th[aria-sort=descending]::after{content:" ▼"}
.totals td{text-align:right}
.b{display:inline-block;border-radius:1em;padding:0 .55em;font-size:.85em;font-weight:600}
.b.exact{color:var(--ex);background:var(--exb)}.b.approximate{color:var(--ap);background:var(--apb)}.b.unsupported{color:var(--un);background:var(--unb)}.b.error{color:var(--er);background:var(--erb)}
.p{margin-left:.35em;font-size:.8em;color:var(--ex);white-space:nowrap}
details summary{cursor:pointer;color:var(--mut);font-size:.85em}details ul{margin:.2rem 0;padding-left:1.1rem;max-width:38rem}
.filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end;margin:.6rem 0;padding:.6rem;background:var(--head);border:1px solid var(--line);border-radius:6px}
.filters label{display:flex;flex-direction:column;font-size:.8em;color:var(--mut)}
select,input{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:.2rem .4rem}
.hidden{display:none}code{font-size:.92em}
.sections{display:flex;flex-wrap:wrap;gap:2rem}
`;

const SCRIPT = `
(function(){
  var table=document.getElementById('matrix'),body=table.tBodies[0],rows=[].slice.call(body.rows);
  var fT=document.getElementById('f-target'),fF=document.getElementById('f-fid'),fL=document.getElementById('f-lt'),fR=document.getElementById('f-reason'),count=document.getElementById('count');
  function apply(){
    var t=fT.value,f=fF.value,l=fL.value,q=fR.value.trim().toLowerCase(),n=0;
    [].forEach.call(table.querySelectorAll('[data-t]'),function(c){c.classList.toggle('hidden',t!==''&&c.getAttribute('data-t')!==t);});
    rows.forEach(function(r){
      var cells=[].slice.call(r.querySelectorAll('td[data-t]')).filter(function(c){return t===''||c.getAttribute('data-t')===t;});
      var ok=l===''||r.getAttribute('data-lt')===l;
      if(ok&&f!==''){ok=cells.some(function(c){return f==='proven'?c.getAttribute('data-proven')==='1':c.getAttribute('data-fid')===f;});}
      if(ok&&q!==''){var text=(r.querySelector('td.lift').textContent+' '+cells.map(function(c){return c.textContent+' '+(c.getAttribute('data-codes')||'');}).join(' ')).toLowerCase();ok=text.indexOf(q)>=0;}
      r.classList.toggle('hidden',!ok);if(ok)n++;
    });
    count.textContent=n+' of '+rows.length+' rules';
  }
  [fT,fF,fL].forEach(function(e){e.addEventListener('change',apply);});fR.addEventListener('input',apply);
  [].forEach.call(table.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
    var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
    [].forEach.call(table.tHead.rows[0].cells,function(x){x.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',dir>0?'ascending':'descending');
    rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i];var sx=x.getAttribute('data-sort'),sy=y.getAttribute('data-sort');
      var c=(sx!==null&&sy!==null)?(Number(sx)-Number(sy)):x.textContent.localeCompare(y.textContent);return c*dir||a.cells[0].textContent.localeCompare(b.cells[0].textContent);});
    rows.forEach(function(r){body.appendChild(r);});
  });});
  // a link may preset the filters: #target=yaral&fidelity=unsupported&logtype=Okta.SystemLog&reason=unmapped
  var h=new URLSearchParams(location.hash.replace(/^#/,''));
  if(h.has('target'))fT.value=h.get('target');if(h.has('fidelity'))fF.value=h.get('fidelity');
  if(h.has('logtype'))fL.value=h.get('logtype');if(h.has('reason'))fR.value=h.get('reason');
  apply();
})();
`;

export function toHtml(rep: Report): string {
  const lts = Object.keys(rep.byLogType);
  const head = `<tr><th>rule</th><th>log type</th><th>lift</th>${rep.targets.map((t) => `<th data-t="${esc(t)}">${esc(t)}</th>`).join('')}</tr>`;
  const rows = rep.rules.map((r) => {
    if (r.error) {
      return `<tr data-lt="" data-id="${esc(r.file)}"><td><code>${esc(r.file)}</code></td><td></td><td class="lift" data-sort="3">${badge('error', false)}<ul><li>${esc(r.error.code)}: ${esc(r.error.message)} <span class="loc">${esc(r.error.file)}:${r.error.line}</span></li></ul></td>${rep.targets.map((t) => `<td data-t="${esc(t)}" data-fid="error" data-sort="6">-</td>`).join('')}</tr>`;
    }
    const lift = `<td class="lift" data-sort="${FID_ORDER[r.fidelity] ?? 4}" title="tests ${r.tests.passed}/${r.tests.passed + r.tests.failed}">${badge(r.fidelity, false)}${reasonsBlock(r.reasons)}</td>`;
    return `<tr data-lt="${esc(r.logType || '(none)')}" data-id="${esc(r.id)}"><td><code>${esc(r.id)}</code><div class="loc">${esc(r.file)}</div></td><td>${esc(r.logType)}</td>${lift}${rep.targets.map((t) => targetCell(t, r.targets[t])).join('')}</tr>`;
  });
  const opts = (xs: string[]): string => xs.map((x) => `<option value="${esc(x)}">${esc(x)}</option>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Migration report: ${rep.rules.length} rules</title>
<style>${CSS}</style></head><body>
<h1>Migration report</h1>
<p class="mut">${rep.rules.length} rules from ${rep.paths.map((p) => `<code>${esc(p)}</code>`).join(', ')}; ${esc(rep.tool.name)} ${esc(rep.tool.version)}; ${esc(rep.generated)}. A cell is the artifact's fidelity; <span class="p">✓ proven</span>: it claims exact, and its target's evaluator read it back and agreed with at least one of the rule's tests and refused none. Hover a cell for its test counts.</p>
<div class="sections"><section><h2>Totals per target</h2>${totalsTable(rep)}</section>
<section><h2>Field mappings needed</h2><details><summary>${rep.mappings.length} target × log type pair(s)</summary>${mappingTable(rep)}</details></section></div>
<section><h2>Exact per log type</h2><details><summary>${lts.length} log type(s)</summary>${logTypeTable(rep)}</details></section>
<h2>Matrix</h2>
<div class="filters" role="search">
<label>target<select id="f-target"><option value="">all targets</option>${opts(rep.targets)}</select></label>
<label>fidelity<select id="f-fid"><option value="">any</option>${opts(['exact', 'proven', 'approximate', 'unsupported', 'error'])}</select></label>
<label>log type<select id="f-lt"><option value="">all log types</option>${opts(lts)}</select></label>
<label>reason (code or text)<input id="f-reason" type="search" placeholder="e.g. unmapped-field"></label>
<span id="count" class="mut">${rep.rules.length} rules</span>
</div>
<table id="matrix"><thead>${head}</thead><tbody>
${rows.join('\n')}
</tbody></table>
<script>${SCRIPT}</script>
</body></html>
`;
}
