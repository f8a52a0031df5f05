import { validateExtension } from '@provisioning/packager';
import { z } from 'zod';
import type { ToolContext } from '../tool-context.js';
import { guarded } from '../tool-result.js';
import { resolveInside } from './paths.js';

const problem = z.object({
  file: z.string().describe('path relative to the extension directory'),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
  location: z.string().describe('file:line:column, ready to show'),
});

export const validateExtensionInput = {
  path: z.string().min(1).describe('extension directory (relative paths are taken from the workspace)'),
};
export const validateExtensionOutput = {
  ok: z.boolean(),
  name: z.string().nullable(),
  version: z.string().nullable(),
  problems: z.array(problem),
  warnings: z.array(problem),
};

type Problem = z.infer<typeof problem>;

function asProblem(p: { path: string; line?: number; column?: number; message: string }): Problem {
  const location = [p.path, p.line, p.column].filter((part) => part !== undefined).join(':');
  return { file: p.path, line: p.line, column: p.column, message: p.message, location };
}

/** `validate_extension`: the packager's layout check (the one `oci package validate` runs), offline. */
export function registerValidateExtension(ctx: ToolContext): void {
  ctx.server.registerTool(
    'validate_extension',
    {
      title: 'Validate an extension directory',
      description:
        'Checks an extension directory (manifest.yaml, kcl/, scripts/) without touching the network; every problem names file:line.',
      inputSchema: validateExtensionInput,
      outputSchema: validateExtensionOutput,
      annotations: { readOnlyHint: true },
    },
    ({ path }) =>
      guarded(async () => {
        const result = await validateExtension(resolveInside(ctx.workspace, path));
        return {
          ok: result.ok,
          name: result.manifest?.name ?? null,
          version: result.manifest?.version ?? null,
          problems: result.problems.map(asProblem),
          warnings: result.warnings.map(asProblem),
        };
      }),
  );
}
