import { createInterface } from 'node:readline/promises';
import { Args, Flags } from '@oclif/core';
import { ProvisioningError } from '@provisioning/schemas';
import { BaseCommand } from '../../base-command.js';
import { loginTarget } from './logout.js';

export interface OciLoginOutput {
  registry: string;
  origin: string;
  username: string;
  /** Where the credentials were stored (mode 0600). */
  file: string;
}

export default class OciLogin extends BaseCommand<typeof OciLogin> {
  static override summary = 'Log in to an OCI registry (credentials verified, then stored with mode 0600)';
  static override description =
    'The password is read from stdin with --password-stdin, or asked for without echo on a terminal; it is ' +
    'never accepted as an argument. Credentials are checked against the registry before they are stored in ' +
    '$PROVISIONING_HOME/credentials.json, keyed by the registry origin.';
  static override examples = [
    'printf %s "$TOKEN" | <%= config.bin %> oci login localhost:5000 --username _token --password-stdin',
    "<%= config.bin %> oci login harbor.company.com --username 'robot$ci'",
  ];
  static override args = {
    registry: Args.string({ description: 'registry host[:port]', required: true }),
  };
  static override flags = {
    username: Flags.string({ char: 'u', summary: 'User name (asked for on a terminal when missing).' }),
    'password-stdin': Flags.boolean({
      summary: 'Read the password from stdin (one line, or everything piped).',
    }),
  };

  async run(): Promise<OciLoginOutput> {
    const config = await this.effectiveConfig();
    const target = loginTarget(this.args.registry, config, this.flags['plain-http']);
    if (target.host === config.registry.value && config.registryType.value === 'oci-layout') {
      throw embeddedLogin(target.host, config.layoutPath.value);
    }
    const username = this.flags.username ?? (await this.askUsername(target.host));
    const password = this.flags['password-stdin'] ? await readStdin() : await this.askPassword(target.host);
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
        ...(target.plainHttp === undefined ? {} : { plainHttp: target.plainHttp }),
        insecure: config.insecure.value,
      },
    );
    const output: OciLoginOutput = {
      registry: target.host,
      origin: stored.origin,
      username,
      file: stored.file,
    };
    if (!this.isJson)
      this.log(`Login succeeded for ${username} at ${stored.origin} (stored in ${stored.file})`);
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

/** Everything on stdin, without the final line break `echo` adds. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buf.length;
    if (total > 64 * 1024) {
      throw new ProvisioningError('PASSWORD_TOO_LONG', 'the password on stdin is longer than 64 KiB', {
        kind: 'usage',
        hint: 'pipe only the password or token into --password-stdin',
      });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Read a line from the terminal in raw mode without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  // echo off before the prompt shows: whatever is typed after seeing it must not appear
  stdin.setRawMode(true);
  process.stderr.write(question);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') {
          return done(
            new ProvisioningError('LOGIN_CANCELLED', 'login cancelled', {
              kind: 'usage',
              hint: 'run it again',
            }),
          );
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
