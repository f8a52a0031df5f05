import { spawn } from 'node:child_process';
import { ProvisioningError } from '@provisioning/schemas';

/**
 * Runs `provisioning ARGS --json` in the workspace. The two write tools go through the CLI's own
 * commands so they behave exactly as `dep resolve` / `oci pull` do (locks, atomic installs, the
 * lockfile), with nothing re-implemented here. Output is small JSON, so it is collected.
 */
export async function runCliJson(
  cliBin: string,
  cwd: string,
  args: string[],
): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [cliBin, ...args, '--json'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const status = await new Promise<number>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done(code ?? 1));
  });
  const parsed = parseJson(stdout);
  if (status === 0 && parsed) return parsed;
  const failure = (parsed?.error ?? {}) as { code?: string; message?: string };
  const line =
    failure.message ?? (stderr.trim().split('\n')[0] || `provisioning ${args[0]} exited with ${status}`);
  throw new ProvisioningError((failure.code ?? 'INTERNAL') as never, line);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
