/**
 * Parse-checks an extension's Nushell files with `nu --ide-check` (docs/extension-guide.md,
 * "Scripts"): every error becomes a problem `scripts/install.nu:12:5: message`. Nothing is run.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { type ExtensionProblem, sortProblems } from '../problems.js';
import type { TreeEntry } from '../tree/walk-tree.js';
import { scriptEnvironment } from './script-env.js';

const run = promisify(execFile);

/** At most this many diagnostics per file (nu's own limit argument). */
const MAX_DIAGNOSTICS = 50;

interface Diagnostic {
  type: string;
  severity?: string;
  message?: string;
  span?: { start: number; end: number };
}

export function nuFiles(entries: TreeEntry[]): TreeEntry[] {
  return entries.filter((e) => e.type === 'file' && e.path.endsWith('.nu'));
}

export async function checkNuFiles(
  root: string,
  entries: TreeEntry[],
  nu: string,
): Promise<{ problems: ExtensionProblem[]; warnings: ExtensionProblem[] }> {
  const problems: ExtensionProblem[] = [];
  const warnings: ExtensionProblem[] = [];
  for (const entry of nuFiles(entries)) {
    const found = await checkNuFile(root, entry, nu);
    problems.push(...found.problems);
    warnings.push(...found.warnings);
  }
  return { problems, warnings };
}

async function checkNuFile(
  root: string,
  entry: TreeEntry,
  nu: string,
): Promise<{ problems: ExtensionProblem[]; warnings: ExtensionProblem[] }> {
  const source = await readFile(entry.absolutePath);
  let stdout: string;
  try {
    ({ stdout } = await run(
      nu,
      ['--no-config-file', '--ide-check', String(MAX_DIAGNOSTICS), entry.absolutePath],
      { cwd: root, env: scriptEnvironment(process.env, {}), maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
    ));
  } catch (error) {
    const reason = (error as { stderr?: string; message?: string }).stderr?.trim() || String(error);
    return { problems: [{ path: entry.path, message: `nu --ide-check failed: ${reason}` }], warnings: [] };
  }
  const problems: ExtensionProblem[] = [];
  const warnings: ExtensionProblem[] = [];
  const seen = new Set<string>();
  for (const text of stdout.split('\n')) {
    if (!text.startsWith('{')) continue;
    let diagnostic: Diagnostic;
    try {
      diagnostic = JSON.parse(text) as Diagnostic;
    } catch {
      continue;
    }
    if (diagnostic.type !== 'diagnostic' || !diagnostic.message) continue;
    const key = `${diagnostic.severity}|${diagnostic.message}|${diagnostic.span?.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const problem: ExtensionProblem = {
      path: entry.path,
      message: diagnostic.message,
      ...(diagnostic.span ? position(source, diagnostic.span.start) : {}),
    };
    (diagnostic.severity === 'Error' ? problems : warnings).push(problem);
  }
  return { problems: sortProblems(problems), warnings: sortProblems(warnings) };
}

/** 1-based line and column (in characters) of a byte offset; nothing when it lies outside the file. */
export function position(source: Buffer, offset: number): { line?: number; column?: number } {
  if (!Number.isInteger(offset) || offset < 0 || offset > source.length) return {};
  const before = source.subarray(0, offset).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (before.charCodeAt(i) === 10) line++;
  return { line, column: [...before.slice(lineStart)].length + 1 };
}
