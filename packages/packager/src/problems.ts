/** One thing wrong with an extension directory. `path` is relative to the extension root. */
export interface ExtensionProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** `templates/a.j2:3:7: unexpected token` — the one-line form used by the CLI. */
export function formatExtensionProblem(problem: ExtensionProblem): string {
  let where = problem.path;
  if (problem.line !== undefined) {
    where += `:${problem.line}`;
    if (problem.column !== undefined) where += `:${problem.column}`;
  }
  return `${where}: ${problem.message}`;
}

/** Stable order: by path, then line, then message. */
export function sortProblems(problems: ExtensionProblem[]): ExtensionProblem[] {
  return [...problems].sort(
    (a, b) =>
      compareStrings(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0) || compareStrings(a.message, b.message),
  );
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
