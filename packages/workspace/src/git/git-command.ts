/**
 * Running the `git` binary for git sources (docs/sources.md, "Git sources"). Credentials come only
 * from git's own credential helpers: git never prompts (`GIT_TERMINAL_PROMPT=0`, no askpass, ssh in
 * batch mode), URLs never carry secrets, and git's messages are reduced to one line with any
 * `user:password@` removed. Only the https, http, ssh and git transports are allowed.
 */
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { ProvisioningError } from '@provisioning/schemas';

export interface GitRunOptions {
  /** What is being done, for messages: `listing the tags of URL`. */
  action: string;
  /** The repository URL the command talks to (named in errors). */
  url?: string;
  env?: Record<string, string>;
  /** Where stdout goes instead of being collected. */
  stdout?: Writable;
  /**
   * The registry timeout (`--timeout`, docs/oci.md "Timeouts and retries") as a stall timeout: an
   * HTTP transfer slower than 1 byte/s for this long fails (`http.lowSpeedTime`). Whatever the
   * transport, git is stopped after 30 minutes or 10 times this, whichever is longer.
   */
  timeoutMs?: number;
}

/** stdout kept for parsing (a tag listing); content streams go through `stdout` instead. */
const MAX_STDOUT_BYTES = 64 * 1024 * 1024;
const MAX_STDERR_BYTES = 64 * 1024;

export function gitEnvironment(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  delete env.SSH_ASKPASS;
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_ASKPASS = '';
  env.GCM_INTERACTIVE = 'never';
  env.GIT_ALLOW_PROTOCOL = 'https:http:ssh:git';
  env.LC_ALL = 'C';
  // a user's own ssh command (and its key agent) is kept; ours never asks for a password
  if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined)
    env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  return env;
}

export async function runGit(args: string[], options: GitRunOptions): Promise<string> {
  const stall = options.timeoutMs
    ? [
        '-c',
        'http.lowSpeedLimit=1',
        '-c',
        `http.lowSpeedTime=${Math.max(1, Math.ceil(options.timeoutMs / 1000))}`,
      ]
    : [];
  const child = spawn('git', [...stall, ...args], {
    env: { ...gitEnvironment(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let outBytes = 0;
  let err = '';
  let tooMuch = false;
  if (options.stdout) child.stdout.pipe(options.stdout);
  else
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_STDOUT_BYTES) {
        tooMuch = true;
        child.kill('SIGKILL');
      } else out.push(chunk);
    });
  child.stderr.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-MAX_STDERR_BYTES);
  });
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      child.kill('SIGKILL');
    },
    Math.max(30 * 60_000, 10 * (options.timeoutMs ?? 0)),
  );
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status) => resolve(status));
    });
    if (timedOut) {
      throw new ProvisioningError('NETWORK_ERROR', `${options.action}: git timed out`, {
        kind: 'network',
        hint: 'check that the git server answers, then retry',
        details: { url: options.url },
      });
    }
    if (tooMuch) {
      throw new ProvisioningError(
        'GIT_FAILED',
        `${options.action}: git printed more than ${MAX_STDOUT_BYTES} bytes`,
        {
          kind: 'registry',
          hint: 'this is not a repository of extensions',
        },
      );
    }
    if (code !== 0) throw gitFailure(err, options);
    return Buffer.concat(out).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ProvisioningError('GIT_MISSING', `${options.action}: the git binary is not installed`, {
        kind: 'input',
        hint: 'install git (Debian/Ubuntu: `sudo apt-get install git`) and make sure it is on PATH',
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** git's stderr as one of our errors: the cause in the user's words, git's own line kept short. */
export function gitFailure(
  stderr: string,
  options: Pick<GitRunOptions, 'action' | 'url'>,
): ProvisioningError {
  const lines = stderr
    .split('\n')
    .map((line) => redact(line.trim()))
    .filter((line) => line !== '' && !line.startsWith('hint:'));
  const fatal = lines.filter((line) => /^(fatal|error):/.test(line));
  const last = (fatal.at(-1) ?? lines.at(-1) ?? 'git failed without a message').replace(
    /^(fatal|error): /,
    '',
  );
  const text = lines.join('\n');
  const url = options.url ? redact(options.url) : undefined;
  const details = { ...(url ? { url } : {}), git: last };
  if (
    /could not read (Username|Password)|Authentication failed|terminal prompts disabled|HTTP Basic: Access denied|Permission denied \(publickey|returned error: 40[13]/i.test(
      text,
    )
  ) {
    return new ProvisioningError(
      'GIT_AUTH_FAILED',
      `${options.action}: the server wants credentials, or refused them`,
      {
        kind: 'registry',
        hint: `store them with a git credential helper (\`git credential approve\`, \`git config --global credential.helper store\`); provisioning never prompts and never takes passwords in URLs`,
        details,
      },
    );
  }
  if (
    /repository .* not found|not exported|does not appear to be a git repository|Repository not found|returned error: 404|No such file or directory/i.test(
      text,
    )
  ) {
    return new ProvisioningError(
      'GIT_REPOSITORY_MISSING',
      `${options.action}: no such repository (${last})`,
      {
        kind: 'input',
        hint: 'check the URL (dependencies.extensions.gitea.url and .repository, or the git+… reference)',
        details,
      },
    );
  }
  if (/couldn't find remote ref/i.test(text)) {
    return new ProvisioningError(
      'TAG_NOT_FOUND',
      `${options.action}: the tag is not on the server (${last})`,
      {
        kind: 'input',
        hint: 'list the release tags with `git ls-remote --tags URL`',
        details,
      },
    );
  }
  if (
    /Connection refused|Could not resolve host|unable to connect|Connection timed out|Failed to connect|Network is unreachable|Connection reset|unable to access/i.test(
      text,
    )
  ) {
    return new ProvisioningError(
      'NETWORK_ERROR',
      `${options.action}: the git server cannot be reached (${last})`,
      {
        kind: 'network',
        hint: 'check the URL and that the server is running, then retry',
        details,
      },
    );
  }
  return new ProvisioningError('GIT_FAILED', `${options.action}: ${last}`, {
    kind: 'registry',
    hint: 'run the same git command by hand to see more, or retry',
    details,
  });
}

/** Removes `user:password@` (and tokens as the user part) from URLs inside `text`. */
export function redact(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"]*@/gi, '$1***@');
}
