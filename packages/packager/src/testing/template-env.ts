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

/** nunjucks prefixes messages with "Template render error: (path) [Line n, Column m]"; keep the reason. */
export function templateErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('Template render error') && !line.startsWith('('));
  return lines.join(' ') || message.split('\n')[0] || 'template error';
}
