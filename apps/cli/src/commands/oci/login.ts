import { createInterface } from 'node:readline/promises';
import { Args } from '@oclif/core';
import { ProvisioningError } from '@provisioning/schemas';
import { BaseCommand } from '../../base-command.js';
import { promptHidden } from '../../io/prompt-hidden.js';
import { readPasswordFromStdin } from '../../io/read-password-stdin.js';
import { loginTarget } from '../../login-target.js';

export interface OciLoginOutput {
  registry: string;
  origin: string;
  username: string;
  /** Where the credentials went: the docker-format auth file (mode 0600), or `docker-credential-NAME`. */
  file: string;
  /** The Docker credential helper that keeps them, when one is configured. */
  helper: string | null;
}

export default class OciLogin extends BaseCommand<typeof OciLogin> {
  static override summary =
    'Log in to an OCI registry (credentials verified, then stored as docker login does)';
  static override description =
    'The password is read from stdin with --password-stdin, or asked for without echo on a terminal; it is ' +
    'never accepted as an argument. Credentials are checked against the registry, then stored through the ' +
    'Docker credential helper configured for the registry (credHelpers / credsStore), or else as `auths` in ' +
    'a docker-format auth file, mode 0600: --registry-config FILE, REGISTRY_AUTH_FILE, or ' +
    '$PROVISIONING_HOME/docker/config.json. docker, podman, oras and helm read the same formats.';
  /** `-u` and `--password-stdin` are what this command logs in with, not one-off credentials. */
  static override ownsCredentialFlags = true;
  static override examples = [
    'printf %s "$TOKEN" | <%= config.bin %> oci login localhost:5000 --username _token --password-stdin',
    "<%= config.bin %> oci login harbor.company.com --username 'robot$ci'",
  ];
  static override args = {
    registry: Args.string({ description: 'registry host[:port]', required: true }),
  };
  async run(): Promise<OciLoginOutput> {
    const config = await this.effectiveConfig();
    const target = loginTarget(this.args.registry, config, this.flags['plain-http']);
    if (target.host === config.registry.value && config.registryType.value === 'oci-layout') {
      throw embeddedLogin(target.host, config.layoutPath.value);
    }
    const username = this.flags.username ?? (await this.askUsername(target.host));
    const password = this.flags['password-stdin']
      ? await readPasswordFromStdin()
      : await this.askPassword(target.host);
    if (this.flags['password-stdin'] && password === '') {
      throw new ProvisioningError(
        'PASSWORD_REQUIRED',
        `login to ${target.host}: stdin was empty, no password read`,
        {
          kind: 'usage',
          hint: `pipe the password or token in: printf %s "$PASSWORD" | provisioning oci login ${target.host} --username ${shellWord(username)} --password-stdin`,
        },
      );
    }
    const { login } = await import('@provisioning/oci-client');
    const stored = await login(
      target.host,
      { username, password },
      {
        home: config.home.value,
        authFile: config.registryConfig.value,
        ...(target.plainHttp === undefined ? {} : { plainHttp: target.plainHttp }),
        insecure: config.insecure.value,
        timeout: config.timeout.value,
      },
    );
    const output: OciLoginOutput = {
      registry: target.host,
      origin: stored.origin,
      username,
      file: stored.file,
      helper: stored.helper ?? null,
    };
    if (!this.isJson)
      this.log(
        `Login succeeded for ${username} at ${stored.origin} (stored ${stored.helper ? 'by' : 'in'} ${stored.file})`,
      );
    return output;
  }

  private async askUsername(host: string): Promise<string> {
    if (!process.stdin.isTTY || this.flags['password-stdin']) {
      throw new ProvisioningError('USERNAME_REQUIRED', `login to ${host}: no user name given`, {
        kind: 'usage',
        hint: 'pass --username USER',
      });
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    return (await rl.question('Username: ').finally(() => rl.close())).trim();
  }

  private async askPassword(host: string): Promise<string> {
    if (!process.stdin.isTTY) {
      throw new ProvisioningError(
        'PASSWORD_REQUIRED',
        `login to ${host}: no password given and stdin is not a terminal`,
        {
          kind: 'usage',
          hint: `pipe it in: printf %s "$PASSWORD" | provisioning oci login ${host} --username USER --password-stdin`,
        },
      );
    }
    return promptHidden('Password: ');
  }
}

/** `login` to the local registry while it is the embedded storage: nothing to log in to (docs/registry.md). */
function embeddedLogin(host: string, storage: string): ProvisioningError {
  return new ProvisioningError(
    'LOGIN_NO_REGISTRY',
    `login to ${host}: no registry is configured: commands use the embedded storage ${storage}, which needs no login`,
    {
      kind: 'input',
      hint: '`oci login HOST` stores credentials for a registry that asks for them (e.g. Harbor); configure one in dependencies.registry.oci.endpoint or pass --registry',
      details: { registry: host, storage },
    },
  );
}

/** `word` as one shell word: quoted when it holds anything the shell would expand (`robot$ci`). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
