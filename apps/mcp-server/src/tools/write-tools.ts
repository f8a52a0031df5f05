import { z } from 'zod';
import { runCliJson } from '../run-cli.js';
import type { ToolContext } from '../tool-context.js';
import { guarded } from '../tool-result.js';

/** The only tools that write, and only on a server started with `--allow-writes`. */
export const WRITE_TOOLS = ['dep_resolve', 'oci_pull'] as const;

const anyJson = z.record(z.string(), z.unknown());

export function registerWriteTools(ctx: ToolContext): void {
  const cli = (args: string[]) => {
    if (ctx.cliBin === undefined) throw new Error('write tools need the CLI entry');
    return runCliJson(ctx.cliBin, ctx.workspace, [...args, '--workspace', ctx.workspace, ...ctx.cliArgs]);
  };
  ctx.server.registerTool(
    'dep_resolve',
    {
      title: 'Resolve and install the workspace dependencies',
      description:
        'Runs `provisioning dep resolve` in the workspace: installs into .provisioning/extensions and writes config/provisioning.lock.',
      inputSchema: { offline: z.boolean().optional().describe('use only the local cache') },
      outputSchema: { result: anyJson },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    ({ offline }) =>
      guarded(async () => ({ result: await cli(['dep', 'resolve', ...(offline ? ['--offline'] : [])]) })),
  );
  ctx.server.registerTool(
    'oci_pull',
    {
      title: 'Pull an extension into a directory',
      description:
        'Runs `provisioning oci pull REF --output DIR` (DIR relative to the workspace; default ./NAME).',
      inputSchema: {
        reference: z.string().min(1).describe('NAME[:VERSION] or REGISTRY/NS/NAME:TAG'),
        output: z.string().optional().describe('directory to unpack into'),
      },
      outputSchema: { result: anyJson },
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
    ({ reference, output }) =>
      guarded(async () => ({
        result: await cli(['oci', 'pull', reference, ...(output ? ['--output', output] : [])]),
      })),
  );
}
