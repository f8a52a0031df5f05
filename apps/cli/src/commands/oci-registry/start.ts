import { Flags } from '@oclif/core';
import type { BackendName } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export interface OciRegistryStartOutput {
  backend: BackendName;
  pid: number;
  endpoint: string;
  storage: string;
  shares_embedded_storage: boolean;
  /** Distribution: what was copied into its own storage from the embedded storage. */
  loaded: { repositories: number; tags: number } | null;
  log: string;
  notes: string[];
}

export default class OciRegistryStart extends BaseCommand<typeof OciRegistryStart> {
  static override tolerateDeadLocalRegistry = true;
  static override summary = 'Start a local OCI registry serving the embedded storage (no auth, plain HTTP)';
  static override description =
    'Backend unless --backend: zot if on PATH, else the built-in server; both serve the embedded storage ' +
    '($PROVISIONING_HOME/oci-registry) itself. --backend distribution runs CNCF Distribution (docker-registry or ' +
    'registry on PATH) on its own storage in $PROVISIONING_HOME/oci-registry-distribution and loads the embedded ' +
    'storage into it first. Runs detached; state in $PROVISIONING_HOME/oci-registry.json, log in ' +
    '$PROVISIONING_HOME/logs/oci-registry.log.';
  static override examples = [
    '<%= config.bin %> oci-registry start',
    '<%= config.bin %> oci-registry start --backend builtin --port 5001',
  ];
  static override flags = {
    port: Flags.integer({ summary: 'Port to listen on.', default: 5000, min: 1, max: 65535 }),
    host: Flags.string({
      summary: 'Address to listen on (keep it a loopback address: there is no auth).',
      default: '127.0.0.1',
    }),
    backend: Flags.string({
      summary: 'Registry implementation (default: zot if on PATH, else builtin).',
      options: ['zot', 'distribution', 'builtin'],
    }),
  };

  async run(): Promise<OciRegistryStartOutput> {
    const { startLocalRegistry, isLoopbackRegistry, endpointOf, localRegistryHost } = await import(
      '@provisioning/workspace'
    );
    const config = await this.effectiveConfig();
    const { state, notes, loaded } = await startLocalRegistry({
      home: config.home.value,
      layoutRoot: config.layoutPath.value,
      port: this.flags.port,
      host: this.flags.host,
      ...(this.flags.backend ? { backend: this.flags.backend as BackendName } : {}),
    });
    if (!isLoopbackRegistry(endpointOf(this.flags.host, this.flags.port))) {
      notes.push(
        `${state.endpoint} is not a loopback address: anyone who can reach it can push and delete (no auth)`,
      );
    }
    if (localRegistryHost(config.registry.value) === undefined || this.flags.port !== 5000) {
      notes.push(
        state.sharesEmbeddedStorage
          ? `the configured registry is ${config.registry.value}: pass --registry ${state.endpoint} to go through this server (without it, commands use the same storage directly when nothing answers on localhost:5000)`
          : `the configured registry is ${config.registry.value}: pass --registry ${state.endpoint} (or set it in the configuration) to use this server`,
      );
    }
    const output: OciRegistryStartOutput = {
      backend: state.backend,
      pid: state.pid,
      endpoint: state.endpoint,
      storage: state.storage,
      shares_embedded_storage: state.sharesEmbeddedStorage,
      loaded: loaded ?? null,
      log: state.log,
      notes,
    };
    if (!this.isJson) {
      this.log(`started the ${state.backend} registry on ${state.endpoint} (pid ${state.pid})`);
      this.log(
        `  storage:  ${state.storage}${state.sharesEmbeddedStorage ? ' (the embedded storage)' : ` (its own; loaded from the embedded storage ${config.layoutPath.value})`}`,
      );
      this.log(`  log:      ${state.log}`);
      this.log('  stop it with `provisioning oci-registry stop`');
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
    }
    return output;
  }
}
