/**
 * `tests/*.nu` of an extension (docs/extension-guide.md, "Tests"): each file is run with `nu` from the
 * extension root, with the script environment; exit status 0 passes, anything else fails with the
 * script's last lines of output.
 */

import { runNu } from '../nushell/run-nu.js';
import { scriptEnvironment } from '../nushell/script-env.js';
import type { TreeEntry } from '../tree/walk-tree.js';

export interface NuTestResult {
  path: string;
  ok: boolean;
  message?: string;
}

/** Lines of a failing test's output shown in its message. */
const TAIL_LINES = 20;

export function nuTestFiles(entries: TreeEntry[]): TreeEntry[] {
  return entries.filter((e) => e.type === 'file' && /^tests\/[^/]+\.nu$/.test(e.path));
}

export async function runNuTests(
  root: string,
  entries: TreeEntry[],
  options: { nu: string; timeoutMs: number },
): Promise<NuTestResult[]> {
  const results: NuTestResult[] = [];
  for (const entry of nuTestFiles(entries)) {
    const run = await runNu({
      nu: options.nu,
      script: entry.absolutePath,
      args: [],
      cwd: root,
      env: scriptEnvironment(process.env, { EXTENSION_DIR: root }),
      timeoutMs: options.timeoutMs,
    });
    if (run.exitCode === 0 && !run.timedOut) {
      results.push({ path: entry.path, ok: true });
      continue;
    }
    const why = run.timedOut
      ? `timed out after ${Math.round(options.timeoutMs / 1000)}s`
      : run.signal
        ? `killed by ${run.signal}`
        : `exit code ${run.exitCode}`;
    const tail = run.output.slice(-TAIL_LINES).map((l) => l.line);
    results.push({ path: entry.path, ok: false, message: [why, ...tail].join('\n') });
  }
  return results;
}
