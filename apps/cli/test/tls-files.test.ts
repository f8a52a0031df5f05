// A private CA (--ca-file) and mutual TLS (--cert-file, --key-file) to the configured registry, as
// oras takes them: a TLS Distribution whose certificate no system trusts, and a loopback HTTPS
// registry stand-in that demands a client certificate made with openssl.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let registry: RunningDistribution;
let mtls: Server;
let mtlsHost: string;
const file = (name: string) => join(box.root, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });

/** A private CA (openssl), and `NAME.pem`/`NAME.key` it signed, for 127.0.0.1 or a client. */
function issue(name: string, subject: string, serverForLoopback: boolean): void {
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    subject,
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.csr`),
  );
  writeFileSync(
    file(`${name}.ext`),
    serverForLoopback ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file(`${name}.csr`),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file(`${name}.ext`),
    '-out',
    file(`${name}.pem`),
  );
}

beforeAll(async () => {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=provisioning test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  issue('server', '/CN=127.0.0.1', true);
  issue('client', '/CN=ci robot', false);
  const read = (name: string) => readFileSync(file(name), 'utf8');
  registry = await startDistribution({ tls: { certPem: read('server.pem'), keyPem: read('server.key') } });

  mtls = createServer(
    {
      cert: read('server.pem'),
      key: read('server.key'),
      ca: read('ca.pem'),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v2/') res.end('{}');
      else if (req.url?.startsWith('/v2/provisioning-extensions/redis/tags/list'))
        res.end(JSON.stringify({ name: 'provisioning-extensions/redis', tags: ['1.0.0'] }));
      else {
        res.statusCode = 404;
        res.end('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}');
      }
    },
  );
  await new Promise<void>((resolve) => mtls.listen(0, '127.0.0.1', resolve));
  mtlsHost = `127.0.0.1:${(mtls.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await registry?.stop();
  await new Promise((resolve) => mtls?.close(resolve));
  box.cleanup();
});

describe('TLS material for the configured registry', () => {
  it('--ca-file trusts a private CA: the push verifies the certificate instead of skipping it', async () => {
    const dir = file('redis');
    expect((await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', dir])).code).toBe(0);
    const env = { PROVISIONING_REGISTRY: `https://${registry.host}` };
    const untrusted = await box.run(['oci', 'push', dir, 'redis', '1.0.0'], { env });
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toMatch(/certificate/i);
    const trusted = await box.run(['oci', 'push', dir, 'redis', '1.0.0', '--ca-file', file('ca.pem')], {
      env,
    });
    expect(trusted.code, trusted.stderr).toBe(0);
    const viaEnv = await box.run(['oci', 'tags', 'redis', '--json'], {
      env: { ...env, PROVISIONING_CA_FILE: file('ca.pem') },
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(JSON.parse(viaEnv.stdout).tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);
  });

  it('--cert-file/--key-file present a client certificate (mutual TLS); without them the handshake fails', async () => {
    const env = { PROVISIONING_REGISTRY: `https://${mtlsHost}` };
    const ca = ['--ca-file', file('ca.pem')];
    const withCert = await box.run(
      [
        'oci',
        'tags',
        'redis',
        ...ca,
        '--cert-file',
        file('client.pem'),
        '--key-file',
        file('client.key'),
        '--json',
      ],
      { env },
    );
    expect(withCert.code, withCert.stderr).toBe(0);
    expect(JSON.parse(withCert.stdout).tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);
    const without = await box.run(['oci', 'tags', 'redis', ...ca], { env });
    expect(without.code).toBe(3);
  });

  it('mistakes are one line: a missing file, a certificate without its key', async () => {
    const env = { PROVISIONING_REGISTRY: `https://${mtlsHost}` };
    const missing = await box.run(['oci', 'tags', 'redis', '--ca-file', file('nope.pem')], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe(`error: --ca-file ${file('nope.pem')}: no such file`);
    const half = await box.run(['oci', 'tags', 'redis', '--cert-file', file('client.pem')], { env });
    expect(half.code).toBe(2);
    expect(half.stderr.split('\n')[0]).toMatch(/^error: --cert-file needs --key-file/);
  });
});
