import nunjucks from 'nunjucks';

let jinjaCompatInstalled = false;

/** nunjucks' Jinja2 compatibility (slices, `dict.items()` …) — process-wide, installed once. */
export function ensureJinjaCompat(): void {
  if (!jinjaCompatInstalled) {
    nunjucks.installJinjaCompat();
    jinjaCompatInstalled = true;
  }
}

/**
 * A nunjucks environment that renders Jinja2 templates from `templatesDir`. Jinja2 conventions:
 * no HTML autoescaping (these are config files), Python-style `dict.items()` and slices (nunjucks'
 * Jinja compatibility layer, installed once per process), and the common `tojson` filter.
 * `strict` turns printing an undefined variable into an error, which catches a template that uses
 * a value its `defaults.yaml` does not define.
 */
export function createTemplateEnvironment(
  templatesDir: string,
  options: { strict?: boolean } = {},
): nunjucks.Environment {
  ensureJinjaCompat();
  const loader = new nunjucks.FileSystemLoader(templatesDir, { noCache: true });
  const env = new nunjucks.Environment(loader, {
    autoescape: false,
    throwOnUndefined: options.strict ?? false,
  });
  env.addFilter('tojson', (value: unknown) => JSON.stringify(value));
  return env;
}

/** Line/column of a nunjucks error, when it has one. */
export function templateErrorPosition(error: unknown): { line?: number; column?: number } {
  const e = error as { lineno?: unknown; colno?: unknown };
  return {
    line: typeof e.lineno === 'number' ? e.lineno : undefined,
    column: typeof e.colno === 'number' ? e.colno : undefined,
  };
}

/**
 * nunjucks wraps render errors as "(/abs/path) [Line 2, Column 6]\n  reason"; keep the reason and
 * the position, drop the absolute path (it names a temporary or user directory, not the template).
 */
export function templateErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /\[Line (\d+)(?:, Column (\d+))?\]/.exec(message);
  const reasons = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('(') && !line.startsWith('Template render error'))
    .map((line) => line.replace(/^Error: /, ''));
  const reason = reasons.at(-1) ?? 'template error';
  if (!position) return reason;
  return `line ${position[1]}${position[2] ? `:${position[2]}` : ''}: ${reason}`;
}
