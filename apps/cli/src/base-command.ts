import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { snakeCaseKeys } from '@provisioning/schemas';
import type {
  ConfigFlags,
  EffectiveConfig,
  OciSession,
  OciSessionOptions,
  WorkspaceSettings,
} from '@provisioning/workspace';

export type BaseFlags = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags']>;
export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

const GLOBAL = 'GLOBAL';

/**
 * Base of every provisioning command: global flags, `--json`, lazily loaded effective
 * configuration, and one-line error rendering with stable exit codes (docs/architecture.md, "Error model").
 *
 * ```ts
 * export default class Tags extends BaseCommand<typeof Tags> {
 *   static override args = { name: Args.string({ required: true }) };
 *   async run(): Promise<TagsResult> {
 *     const config = await this.effectiveConfig();
 *     … if (!this.isJson) this.log(renderTable(rows)); return result;
 *   }
 * }
 * ```
 * Flags and args are parsed in `init()` and available as `this.flags` / `this.args`. Whatever
 * `run()` returns is printed as JSON on stdout with `--json`.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    workspace: Flags.string({
      summary:
        'Workspace directory (holds config/provisioning.yaml). Default: found from the current directory.',
      helpGroup: GLOBAL,
    }),
    registry: Flags.string({
      summary: 'OCI registry host[:port] (overrides configuration and PROVISIONING_REGISTRY).',
      helpGroup: GLOBAL,
    }),
    namespace: Flags.string({
      summary: 'Extensions namespace in the registry (overrides configuration and PROVISIONING_NAMESPACE).',
      helpGroup: GLOBAL,
    }),
    'plain-http': Flags.boolean({
      summary: 'Talk to the registry over plain HTTP instead of HTTPS.',
      helpGroup: GLOBAL,
      exclusive: ['insecure'],
    }),
    insecure: Flags.boolean({
      summary: 'Use HTTPS but skip TLS certificate verification (also for loopback registries).',
      helpGroup: GLOBAL,
      exclusive: ['plain-http'],
    }),
    timeout: Flags.string({
      summary:
        'How long a registry may keep a command waiting: seconds or a duration (30s, 2m). Default 60s (PROVISIONING_TIMEOUT).',
      helpValue: 'DURATION',
      helpGroup: GLOBAL,
    }),
    debug: Flags.boolean({
      summary: 'Print stack traces of errors (secrets are still redacted).',
      helpGroup: GLOBAL,
    }),
    username: Flags.string({
      char: 'u',
      summary:
        'User name for the registry; with --password-stdin, used for this command only (never stored).',
      helpGroup: GLOBAL,
    }),
    'password-stdin': Flags.boolean({
      summary: 'Read the registry password or token from stdin (with --username).',
      helpGroup: GLOBAL,
    }),
    'ca-file': Flags.string({
      summary: 'PEM file of a private CA to trust for the registry (besides the system roots).',
      helpGroup: GLOBAL,
    }),
    'cert-file': Flags.string({
      summary: 'PEM client certificate for mutual TLS with the registry (with --key-file).',
      helpGroup: GLOBAL,
    }),
    'key-file': Flags.string({
      summary: 'PEM private key of the --cert-file client certificate.',
      helpGroup: GLOBAL,
    }),
    'registry-config': Flags.string({
      summary:
        'Docker-format auth file to read credentials from and `oci login` into (default REGISTRY_AUTH_FILE, else $PROVISIONING_HOME/docker/config.json).',
      helpGroup: GLOBAL,
    }),
  };

  /**
   * `oci login` logs in with `-u`/`--password-stdin` itself; for every other command they are
   * one-off credentials for the configured registry.
   */
  static ownsCredentialFlags = false;

  /**
   * Commands that must run while a registry recorded by `oci-registry start` is dead (they are how
   * the user repairs it) set this; every other command fails with `REGISTRY_NOT_RUNNING` then.
   */
  static tolerateDeadLocalRegistry = false;

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  /** Every positional argument in order (what a command with `strict = false` reads for lists). */
  protected positional: string[] = [];
  private effectiveConfigPromise: Promise<EffectiveConfig> | undefined;
  private loadedConfigPromise: Promise<EffectiveConfig> | undefined;

  override async init(): Promise<void> {
    await super.init();
    const ctor = this.ctor as typeof BaseCommand;
    const { args, argv, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: ctor.baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
    this.positional = argv.map(String);
  }

  /** True when `--json` was given: only machine output goes to stdout. */
  get isJson(): boolean {
    return this.jsonEnabled();
  }

  /** Effective settings (defaults → home → workspace → env → flags), loaded once per command. */
  effectiveConfig(): Promise<EffectiveConfig>;
  /** The same for a workspace named by a command argument (`workspace migrate-to-oci WORKSPACE`). */
  effectiveConfig(overrides: { workspace: string }): Promise<EffectiveConfig>;
  effectiveConfig(overrides?: { workspace: string }): Promise<EffectiveConfig> {
    if (overrides) return this.loadEffectiveConfig(overrides.workspace);
    this.effectiveConfigPromise ??= this.loadEffectiveConfig();
    return this.effectiveConfigPromise;
  }

  /**
   * The configuration as loaded (defaults → home → workspace → env → flags), before the embedded
   * default is applied: for fast paths that never reach a registry. Loaded once per command and
   * shared with `effectiveConfig()`.
   */
  protected loadedConfig(): Promise<EffectiveConfig> {
    this.loadedConfigPromise ??= this.readConfig();
    return this.loadedConfigPromise;
  }

  private async readConfig(workspace?: string): Promise<EffectiveConfig> {
    // Imported on first use, and only the configuration part of the workspace package: `oci config`
    // or a bad flag value never load the registry client, the packager or the template engine.
    const { loadEffectiveConfig } = await import('@provisioning/workspace/lean');
    return loadEffectiveConfig({
      cwd: process.cwd(),
      env: process.env,
      flags: await this.configFlags(workspace),
    });
  }

  private async loadEffectiveConfig(workspace?: string): Promise<EffectiveConfig> {
    const [loaded, { applyEmbeddedDefault }] = await Promise.all([
      workspace === undefined ? this.loadedConfig() : this.readConfig(workspace),
      import('@provisioning/workspace/embedded-default'),
    ]);
    // nothing serving localhost:5000 → the local registry is its embedded storage (docs/registry.md)
    return applyEmbeddedDefault(loaded, {
      tolerateDeadRecord: (this.ctor as typeof BaseCommand).tolerateDeadLocalRegistry,
    });
  }

  /** The global flags as configuration input: the one mapping from flags to `ConfigFlags`. */
  protected async configFlags(workspace?: string): Promise<ConfigFlags> {
    return {
      workspace: workspace ?? this.flags?.workspace,
      registry: this.flags?.registry,
      namespace: this.flags?.namespace,
      plainHttp: this.flags?.['plain-http'] || undefined,
      insecure: this.flags?.insecure || undefined,
      timeout: this.flags?.timeout,
      registryConfig: this.flags?.['registry-config'],
      caFile: this.flags?.['ca-file'],
      certFile: this.flags?.['cert-file'],
      keyFile: this.flags?.['key-file'],
      registryCredential: await this.oneOffCredential(),
    };
  }

  /** The workspace's settings for resolve, install and validate (`WORKSPACE_NOT_FOUND` outside one). */
  protected async workspaceSettings(): Promise<WorkspaceSettings> {
    const { settingsFromEffectiveConfig } = await import('@provisioning/workspace/lean');
    return settingsFromEffectiveConfig(await this.effectiveConfig());
  }

  /** `fn` with an OCI session on the effective configuration, closed afterwards. */
  protected async withSession<R>(
    fn: (session: OciSession) => Promise<R>,
    options: OciSessionOptions = {},
  ): Promise<R> {
    const { withOciSession } = await import('@provisioning/workspace');
    const debug = this.debugLine;
    return withOciSession(await this.effectiveConfig(), { ...(debug ? { debug } : {}), ...options }, fn);
  }

  /** `-u USER --password-stdin` on a command that reaches a registry: read once, never stored. */
  private oneOffCredentialPromise: Promise<{ username: string; password: string } | undefined> | undefined;
  private oneOffCredential(): Promise<{ username: string; password: string } | undefined> {
    this.oneOffCredentialPromise ??= (async () => {
      if ((this.ctor as typeof BaseCommand).ownsCredentialFlags) return undefined;
      const username = this.flags?.username;
      const fromStdin = this.flags?.['password-stdin'];
      if (username === undefined && !fromStdin) return undefined;
      const { ProvisioningError } = await import('@provisioning/schemas');
      if (username === undefined || !fromStdin) {
        throw new ProvisioningError(
          'USAGE_INVALID',
          username === undefined ? '--password-stdin needs --username' : '--username needs --password-stdin',
          {
            hint: 'one-off credentials come as a pair: printf %s "$PASSWORD" | provisioning … -u USER --password-stdin (or `provisioning oci login` once)',
          },
        );
      }
      const { readPasswordFromStdin } = await import('./io/read-password-stdin.js');
      const password = await readPasswordFromStdin();
      if (password === '') {
        throw new ProvisioningError('PASSWORD_REQUIRED', 'stdin was empty, no password read for --username', {
          kind: 'usage',
          hint: 'pipe the password or token in: printf %s "$PASSWORD" | provisioning … -u USER --password-stdin',
        });
      }
      return { username, password };
    })();
    return this.oneOffCredentialPromise;
  }

  /**
   * Prints where content went when it is the embedded storage (its path), unless `--json`: call it
   * after a command's human output with the references it touched (docs/registry.md).
   */
  protected async logStorage(references: readonly string[]): Promise<void> {
    if (this.isJson) return;
    const { embeddedStorageLine } = await import('./render/storage-line.js');
    const line = embeddedStorageLine(await this.effectiveConfig(), references);
    if (line) this.log(line);
  }

  /** Plain (uncoloured) JSON on stdout with snake_case keys (docs/cli.md, "JSON output"). */
  override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(snakeCaseKeys(json), null, 2)}\n`);
  }

  /** With `--debug`: writes `debug: LINE` to stderr (a mirror skipped, a request retried…). */
  protected get debugLine(): ((line: string) => void) | undefined {
    if (!this.debugEnabled) return undefined;
    return (line: string) => process.stderr.write(`debug: ${line}\n`);
  }

  /** Stack traces only on request: `--debug` or a non-empty `DEBUG` environment variable. */
  protected get debugEnabled(): boolean {
    return Boolean(this.flags?.debug) || this.argv.includes('--debug') || Boolean(process.env.DEBUG);
  }

  /**
   * Prints the error our way (stderr `error: …` + `  hint: …`, JSON body on stdout with `--json`)
   * and exits through oclif's ExitError, which oclif's own handler exits on without printing.
   */
  override async catch(err: Error & { exitCode?: number }): Promise<never> {
    if (err instanceof Errors.ExitError) throw err;
    // Loaded on failure only: it brings the schema library, which many commands never need.
    const { describeError } = await import('./errors/describe-error.js');
    const ctor = this.ctor as typeof BaseCommand;
    const described = describeError(err, {
      debug: this.debugEnabled,
      helpCommand: `${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''} --help`.replace('  ', ' '),
      known: { flags: [...Object.keys(ctor.flags ?? {}), ...Object.keys(ctor.baseFlags ?? {}), 'json'] },
    });
    if (this.jsonEnabled()) this.logJson(described.json);
    process.stderr.write(`${described.lines.join('\n')}\n`);
    this.exit(described.exitCode);
  }
}
