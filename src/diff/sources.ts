/**
 * The two sides of a diff: rule files from paths (a file or a folder each), or the rules of a git
 * revision. A revision is read with git's read-only plumbing (`git ls-tree`, and `git cat-file --batch`,
 * which prints what `git show <ref>:<path>` prints, in one process) into a temporary folder laid out as
 * the repository, so that the rule YAML, its Python file, the `global_helpers/` and `data_models/`
 * folders beside or above it are all those of that revision. Nothing in the working tree changes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectRuleFiles } from '../cli/files.js';

export interface SideFiles {
  /** Rule YAML paths to load. */
  files: string[];
  /** How a path of this side is shown (a git side shows `<ref>:<path>`). */
  show: (file: string) => string;
  /** Artifact texts name their rule's file; this makes the paths of both sides comparable. */
  canonical: (text: string) => string;
  /** Remove temporary files. */
  dispose: () => void;
}

function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

function replaceAll(text: string, from: string, to: string): string {
  return from ? text.split(from).join(to) : text;
}

/** Rule files under paths (files or folders). */
export function pathSide(paths: string[], prefixFrom?: string, prefixTo?: string): SideFiles {
  const files = collectRuleFiles(paths, () => '').map((f) => f.path);
  return {
    files,
    show: (f) => f,
    canonical: (t) => (prefixFrom !== undefined && prefixTo !== undefined ? replaceAll(t, prefixFrom, prefixTo) : t),
    dispose: () => {},
  };
}

/** The folder prefix a side's paths carry in artifacts: the tree folder's own name (outputs name files so). */
export function folderPrefix(p: string): string {
  const abs = path.resolve(p);
  const dir = fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  return `${path.basename(dir)}/`;
}

export class GitError extends Error {}

function git(args: string[], cwd: string, input?: Buffer): Buffer {
  try {
    return execFileSync('git', args, { cwd, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'], ...(input ? { input } : {}) });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new GitError(`git ${args.join(' ')}: ${(err.stderr?.toString() || err.message).trim().split('\n')[0]}`);
  }
}

/** Read many blobs of one revision at once (`git cat-file --batch`). Missing ones are left out. */
function readBlobs(root: string, ref: string, files: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (files.length === 0) return out;
  const buf = git(['cat-file', '--batch'], root, Buffer.from(files.map((f) => `${ref}:${f}\n`).join('')));
  let off = 0;
  for (const f of files) {
    const nl = buf.indexOf(10, off);
    if (nl < 0) break;
    const header = buf.subarray(off, nl).toString();
    off = nl + 1;
    const m = /^\S+ (\w+) (\d+)$/.exec(header);
    if (!m) continue; // "<ref>:<path> missing"
    const size = Number(m[2]);
    if (m[1] === 'blob') out.set(f, buf.subarray(off, off + size));
    off += size + 1;
  }
  return out;
}

const SKIP = new Set(['node_modules', '.git', 'global_helpers', 'data_models', 'lookup_tables', 'packs', 'policies', 'queries', 'correlation_rules']);

/**
 * The rules under `paths` as they are at `ref`. What is read at the ref: every `.yml`/`.yaml` under the
 * paths (skipping the folders the rule walk skips), every `.py` in the folders that hold them, and every
 * file of each `global_helpers/` and `data_models/` folder beside them or in a parent folder up to the
 * repository root. `--helpers`/`--data-models` folders given on the command line are read from the
 * working tree for both sides.
 */
export function gitSide(ref: string, paths: string[]): SideFiles {
  const cwd = process.cwd();
  const root = git(['rev-parse', '--show-toplevel'], cwd).toString().trim();
  git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  const rels = (paths.length ? paths : ['.']).map((p) => path.relative(root, path.resolve(cwd, p)).split(path.sep).join('/') || '.');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'transpile-diff-'));
  const list = (rel: string[], recursive = true): string[] =>
    git(['ls-tree', ...(recursive ? ['-r'] : []), '--name-only', '-z', ref, '--', ...rel], root)
      .toString()
      .split('\0')
      .filter(Boolean);
  const wanted = new Set<string>();
  const yamls = list(rels).filter((f) => /\.ya?ml$/i.test(f) && !f.split('/').slice(0, -1).some((d) => SKIP.has(d) || d.startsWith('.')));
  yamls.forEach((f) => wanted.add(f));
  const dirs = new Set(yamls.map((f) => path.posix.dirname(f)));
  const pyDirs = [...dirs].map((d) => (d === '.' ? '' : `${d}/`));
  for (const f of list(pyDirs.map((d) => d || '.'), false)) if (f.endsWith('.py')) wanted.add(f);
  // helpers and data models beside each rule folder or above it, up to the root
  const ancestors = new Set<string>();
  for (const d of dirs) {
    let cur = d;
    for (;;) {
      ancestors.add(cur);
      if (cur === '.' || cur === '') break;
      cur = path.posix.dirname(cur);
    }
  }
  const helperDirs = [...ancestors].flatMap((a) => ['global_helpers', 'data_models'].map((h) => (a === '.' ? h : `${a}/${h}`)));
  if (helperDirs.length) for (const f of list(helperDirs)) if (/\.(py|ya?ml)$/i.test(f)) wanted.add(f);
  const blobs = readBlobs(root, ref, [...wanted]);
  for (const [f, b] of blobs) {
    const dest = path.join(tmp, ...f.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, b);
  }
  const tmpPaths = rels.map((r) => path.join(tmp, ...(r === '.' ? [] : r.split('/')))).filter((p) => fs.existsSync(p));
  const files = tmpPaths.length ? collectRuleFiles(tmpPaths, () => '').map((f) => f.path) : [];
  // the same file in the working tree is shown relative to the working directory
  const cwdInTmp = path.join(tmp, path.relative(root, cwd));
  const asWorking = (f: string): string => {
    const abs = path.resolve(f);
    if (!abs.startsWith(tmp + path.sep)) return f;
    return path.relative(cwd, path.join(root, path.relative(tmp, abs))) || '.';
  };
  return {
    files,
    show: (f) => {
      const abs = path.resolve(f);
      return abs.startsWith(tmp + path.sep) ? `${ref}:${path.relative(tmp, abs).split(path.sep).join('/')}` : f;
    },
    canonical: (t) => {
      // paths under the temporary folder read as the working tree's
      const withSep = cwdInTmp.endsWith(path.sep) ? cwdInTmp : `${cwdInTmp}${path.sep}`;
      let out = replaceAll(t, withSep, '');
      out = replaceAll(out, `${tmp}${path.sep}`, path.relative(cwd, root) ? `${path.relative(cwd, root)}${path.sep}` : '');
      void asWorking;
      return out;
    },
    dispose: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}
