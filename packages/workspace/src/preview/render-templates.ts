/**
 * Render an extension's Jinja2 templates with nunjucks, with the conventions the packager's
 * `test extension` uses (no autoescape, Jinja compatibility, `tojson`). The packager does not export
 * a rendering function, so this small one lives here.
 */
import { readdir } from 'node:fs/promises';
import { ProvisioningError } from '@provisioning/schemas';
import nunjucks from 'nunjucks';

let jinjaCompat = false;

export interface RenderedTemplate {
  template: string;
  output: string;
}

export async function renderTemplates(
  templatesDir: string,
  values: Record<string, unknown>,
): Promise<RenderedTemplate[]> {
  if (!jinjaCompat) {
    nunjucks.installJinjaCompat();
    jinjaCompat = true;
  }
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templatesDir, { noCache: true }), {
    autoescape: false,
  });
  env.addFilter('tojson', (value: unknown) => JSON.stringify(value));
  const names = (await readdir(templatesDir).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.j2'))
    .sort();
  const out: RenderedTemplate[] = [];
  for (const template of names) {
    // partials (`_name.j2`) are rendered through the templates that include them
    if (template.startsWith('_')) continue;
    try {
      out.push({ template, output: env.render(template, values) });
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err))
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .at(-1);
      throw new ProvisioningError(
        'TEMPLATE_RENDER_FAILED',
        `templates/${template}: ${reason ?? 'render error'}`,
        {
          kind: 'input',
          hint: 'check the infra settings against the extension defaults.yaml',
          cause: err,
        },
      );
    }
  }
  return out;
}

/** Mappings merge key by key; lists and scalars replace (the contract's rule for infra settings). */
export function deepMerge(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] = isMapping(current) && isMapping(value) ? deepMerge(current, value) : value;
  }
  return result;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
