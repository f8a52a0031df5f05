import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort } from './free-port.js';
import { requireBinary } from './require-binary.js';
import { tempDir } from './temp-dir.js';
import { createTokenIssuer } from './token-issuer.js';

export type DistributionAuth =
  | 'none'
  | { htpasswd: { user: string; password: string } }
  | { token: { realm: string; service: string; issuer: string; rootCertPem: string } };

export interface DistributionOptions {
  auth?: DistributionAuth;
  /** Allow `DELETE` of manifests and blobs (Distribution's default is off). Default true. */
  deleteEnabled?: boolean;
  /**
   * Serve HTTPS: `true` with a fresh self-signed certificate (clients need `insecure`), or with the
   * given PEM certificate and key (e.g. one a test CA signed, for `--ca-file`). Default false.
   */
  tls?: boolean | { certPem: string; keyPem: string };
  /**
   * Serve this existing storage root (e.g. a benchmark's pre-generated registry) instead of a fresh
   * temporary one; `stop()` leaves it in place.
   */
  storageDir?: string;
}

export interface RunningDistribution {
  /** `127.0.0.1:PORT` — what goes into references. */
  host: string;
  /** `http://127.0.0.1:PORT` (`https://` with `tls`) */
  url: string;
  /** PEM of the self-signed certificate when started with `tls`. */
  certPem?: string;
  /** Root of the registry's filesystem storage. */
  storageDir: string;
  /** The registry process (benchmarks read its CPU time from /proc). */
  pid: number | undefined;
  /** Stop the process and remove config and (unless given as `storageDir`) storage. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kill registries still alive when the test process exits (a crashed suite must not leak them). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

function configYaml(
  port: number,
  storageDir: string,
  deleteEnabled: boolean,
  authBlock: string,
  tls?: { certPath: string; keyPath: string },
): string {
  return [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storageDir)}`,
    '  delete:',
    `    enabled: ${deleteEnabled}`,
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    ...(tls
      ? [
          '  tls:',
          `    certificate: ${JSON.stringify(tls.certPath)}`,
          `    key: ${JSON.stringify(tls.keyPath)}`,
        ]
      : []),
    authBlock,
    '',
  ].join('\n');
}

async function authConfig(auth: DistributionAuth, dir: string): Promise<string> {
  if (auth === 'none') return '';
  if ('htpasswd' in auth) {
    const path = join(dir, 'htpasswd');
    // Distribution only accepts bcrypt entries; cost 5 keeps the suites fast.
    const hash = bcrypt.hashSync(auth.htpasswd.password, 5);
    await writeFile(path, `${auth.htpasswd.user}:${hash}\n`, { mode: 0o600 });
    return ['auth:', '  htpasswd:', '    realm: provisioning-test', `    path: ${JSON.stringify(path)}`].join(
      '\n',
    );
  }
  const certPath = join(dir, 'token-root.pem');
  await writeFile(certPath, auth.token.rootCertPem);
  return [
    'auth:',
    '  token:',
    `    realm: ${JSON.stringify(auth.token.realm)}`,
    `    service: ${JSON.stringify(auth.token.service)}`,
    `    issuer: ${JSON.stringify(auth.token.issuer)}`,
    `    rootcertbundle: ${JSON.stringify(certPath)}`,
  ].join('\n');
}

/** Status of `GET url` (the self-signed certificate of a `tls` registry is not verified), or undefined. */
function probe(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { rejectUnauthorized: false, timeout: 1000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
      res.once('error', () => resolve(undefined));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
  });
}

async function waitForV2(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr().trim()}`);
    }
    const status = await probe(`${url}/v2/`);
    if (status === 200 || status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`docker-registry did not answer ${url}/v2/ within 15 s: ${stderr().trim()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startOnce(options: DistributionOptions): Promise<RunningDistribution> {
  const binary = requireBinary('docker-registry');
  const dir = await tempDir('provisioning-registry-');
  const storageDir = options.storageDir ?? join(dir.path, 'storage');
  const port = await freePort();
  const configPath = join(dir.path, 'config.yml');
  const authBlock = await authConfig(options.auth ?? 'none', dir.path);
  let certPem: string | undefined;
  let tls: { certPath: string; keyPath: string } | undefined;
  if (options.tls) {
    const issuer = options.tls === true ? createTokenIssuer('127.0.0.1') : undefined;
    const given = options.tls === true ? undefined : options.tls;
    certPem = given?.certPem ?? issuer?.certPem;
    const keyPem = given?.keyPem ?? issuer?.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    tls = { certPath: join(dir.path, 'tls-cert.pem'), keyPath: join(dir.path, 'tls-key.pem') };
    await writeFile(tls.certPath, certPem ?? '');
    await writeFile(tls.keyPath, keyPem ?? '', { mode: 0o600 });
  }
  await writeFile(configPath, configYaml(port, storageDir, options.deleteEnabled ?? true, authBlock, tls));

  const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  installExitHook();
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    // Keep only the tail: enough to explain a failed start.
    stderr = (stderr + chunk).slice(-4000);
  });
  child.once('exit', () => running.delete(child));

  const host = `127.0.0.1:${port}`;
  const url = `${options.tls ? 'https' : 'http'}://${host}`;
  const stop = async () => {
    await stopChild(child);
    running.delete(child);
    await dir.remove();
  };
  try {
    await waitForV2(url, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, url, storageDir, pid: child.pid, stop, ...(certPem === undefined ? {} : { certPem }) };
}

/**
 * Start a real CNCF Distribution registry (`docker-registry serve CONFIG`) on a free loopback
 * port with a temporary storage root; resolves once `/v2/` answers. Retries a few times when the
 * port was taken between choosing and binding it.
 */
export async function startDistribution(options: DistributionOptions = {}): Promise<RunningDistribution> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      lastError = error;
      if (error instanceof Error && error.message.includes('is not installed')) throw error;
    }
  }
  throw lastError;
}
