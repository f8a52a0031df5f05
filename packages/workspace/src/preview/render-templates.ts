/**
 * Render an extension's Jinja2 templates with the packager's template environment (the same
 * conventions `test extension` uses), for the `taskserv create --check` preview.
 */
import { readdir } from 'node:fs/promises';
import { createTemplateEnvironment, templateErrorReason } from '@provisioning/packager';
import { ProvisioningError } from '@provisioning/schemas';

export { deepMerge, isPlainObject as isMapping } from '@provisioning/packager';

export interface RenderedTemplate {
  template: string;
  output: string;
}

export async function renderTemplates(
  templatesDir: string,
  values: Record<string, unknown>,
): Promise<RenderedTemplate[]> {
  const env = createTemplateEnvironment(templatesDir);
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
      throw new ProvisioningError(
        'TEMPLATE_RENDER_FAILED',
        `templates/${template}: ${templateErrorReason(err)}`,
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
