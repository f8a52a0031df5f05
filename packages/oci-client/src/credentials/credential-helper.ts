/**
 * Docker credential helpers (`docker-credential-NAME get|store|erase`), the protocol docker,
 * podman, oras and helm share: the server URL (or a JSON record for `store`) on stdin, JSON out.
 * Secrets only ever travel on the helper's stdin and stdout, never in argv or the environment.
 */
import { spawn } from 'node:child_process';
import { ProvisioningError } from '@provisioning/schemas';
import type { Credential } from './types.js';

const TIMEOUT_MS = 10_000;

function helperProgram(helper: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) {
    throw new ProvisioningError(
      'CREDENTIAL_HELPER_INVALID',
      `invalid Docker credential helper name ${JSON.stringify(helper)}`,
      { kind: 'input', hint: 'fix credHelpers / credsStore in your Docker config' },
    );
  }
  return `docker-credential-${helper}`;
}

interface HelperRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runHelper(program: string, action: 'get' | 'store' | 'erase', input: string): Promise<HelperRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, [action], { stdio: ['pipe', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (cause) =>
      reject(
        new ProvisioningError('CREDENTIAL_HELPER_FAILED', `cannot run Docker credential helper ${program}`, {
          kind: 'input',
          cause,
          hint: `install ${program} or remove it from your Docker config`,
        }),
      ),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // a helper that exits without reading stdin
    child.stdin.end(input);
  });
}

/** `docker-credential-NAME get`: the stored credential, or undefined when it has none for the server. */
export async function helperGet(helper: string, serverUrl: string): Promise<Credential | undefined> {
  const program = helperProgram(helper);
  const run = await runHelper(program, 'get', serverUrl);
  // helpers exit non-zero with "credentials not found in native keychain" when they have nothing
  if (run.code !== 0) return undefined;
  let parsed: { Username?: string; Secret?: string };
  try {
    parsed = JSON.parse(run.stdout) as { Username?: string; Secret?: string };
  } catch {
    throw new ProvisioningError(
      'CREDENTIAL_HELPER_FAILED',
      `Docker credential helper ${program} printed invalid JSON`,
      { kind: 'input', hint: `check ${program} works: echo ${serverUrl} | ${program} get` },
    );
  }
  if (!parsed.Secret) return undefined;
  if (parsed.Username === '<token>' || !parsed.Username) return { identityToken: parsed.Secret };
  return { username: parsed.Username, password: parsed.Secret };
}

/** `docker-credential-NAME store`, as `docker login` does when a helper is configured. */
export async function helperStore(
  helper: string,
  serverUrl: string,
  credential: { username: string; password: string },
): Promise<void> {
  const program = helperProgram(helper);
  const record = JSON.stringify({
    ServerURL: serverUrl,
    Username: credential.username,
    Secret: credential.password,
  });
  const run = await runHelper(program, 'store', record);
  if (run.code !== 0) throw helperFailed(program, 'store', run);
}

/** `docker-credential-NAME erase`; false when the helper had nothing for the server. */
export async function helperErase(helper: string, serverUrl: string): Promise<boolean> {
  const program = helperProgram(helper);
  const run = await runHelper(program, 'erase', serverUrl);
  if (run.code === 0) return true;
  if (/not found/i.test(run.stdout + run.stderr)) return false;
  throw helperFailed(program, 'erase', run);
}

function helperFailed(program: string, action: string, run: HelperRun): ProvisioningError {
  // the helper's own words, first line only: they never contain the secret (it went in on stdin)
  const said = (run.stderr.trim() || run.stdout.trim()).split('\n')[0]?.slice(0, 200) ?? '';
  return new ProvisioningError(
    'CREDENTIAL_HELPER_FAILED',
    `${program} ${action} failed (exit ${run.code})${said ? `: ${said}` : ''}`,
    { kind: 'input', hint: `check that ${program} works, or remove it from your Docker config` },
  );
}
