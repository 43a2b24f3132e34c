import { test } from 'vitest';
import { liftFile } from '../src/pipeline.js';
import { toNnf, conditionNnf } from '../src/targets/common/nnf.js';
const show = (n: any): string => n.k === 'lit' ? (n.neg ? '!' : '') + (n.atom.k + ':' + JSON.stringify(n.atom.left ?? n.atom.value).match(/"key":"(\w+)"/g)?.join('.') + (n.atom.right ? JSON.stringify(n.atom.right.v) : '') + (n.atom.list ? JSON.stringify(n.atom.list) : '')) : n.k === 'const' ? String(n.v) : n.k === 'quant' ? 'Q' : '(' + n.args.map(show).join(n.k === 'and' ? ' & ' : ' | ') + ')';
test('s', () => { const r = liftFile(process.env.F!).rule; console.log(show(toNnf(r.condition))); console.log(show(conditionNnf(r.condition))); });
