import type { LocalRegistryStatus } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export interface OciRegistryStatusOutput {
  condition: LocalRegistryStatus['condition'];
  backend: string | null;
  pid: number | null;
  endpoint: string | null;
  storage: string;
  shares_embedded_storage: boolean;
  repositories: number;
  healthy: boolean;
  log: string | null;
  last_log_line: string | null;
  started_at: string | null;
}

export default class OciRegistryStatus extends BaseCommand<typeof OciRegistryStatus> {
  static override tolerateDeadLocalRegistry = true;
  static override summary =
    'Show the local OCI registry: backend, pid, endpoint, storage, repositories, health';
  static override description =
    'Reads $PROVISIONING_HOME/oci-registry.json, checks that the process still runs and that /v2/ answers, ' +
    'and counts the repositories in its storage. When none runs, commands use the embedded storage directly. ' +
    'Exit status: 0 running; 1 stopped (none started); 3 crashed (process gone without `oci-registry stop`) ' +
    'or unhealthy (process alive, /v2/ silent).';
  static override examples = [
    '<%= config.bin %> oci-registry status',
    '<%= config.bin %> oci-registry status --json',
  ];

  async run(): Promise<OciRegistryStatusOutput> {
    const { localRegistryStatus } = await import('@provisioning/workspace');
    const config = await this.effectiveConfig();
    const s = await localRegistryStatus({ home: config.home.value, layoutRoot: config.layoutPath.value });
    const output: OciRegistryStatusOutput = {
      condition: s.condition,
      backend: s.backend,
      pid: s.pid,
      endpoint: s.endpoint,
      storage: s.storage,
      shares_embedded_storage: s.sharesEmbeddedStorage,
      repositories: s.repositories,
      healthy: s.healthy,
      log: s.log,
      last_log_line: s.lastLogLine,
      started_at: s.startedAt,
    };
    const exitCode = STATUS_EXIT[s.condition];
    if (exitCode === 0) {
      if (!this.isJson) this.log(renderStatus(output));
      return output;
    }
    if (this.isJson) this.logJson(output);
    else this.log(renderStatus(output));
    this.exit(exitCode);
  }
}

/** Like `systemctl status`: only a registry that answers is success (docs/registry.md). */
const STATUS_EXIT: Record<LocalRegistryStatus['condition'], number> = {
  running: 0,
  stopped: 1,
  crashed: 3,
  unhealthy: 3,
};

function renderStatus(s: OciRegistryStatusOutput): string {
  const rows: Array<[string, string]> = [];
  const storageNote = s.shares_embedded_storage
    ? ' (the embedded storage)'
    : ' (its own; not the embedded storage)';
  switch (s.condition) {
    case 'stopped':
      rows.push(['registry', 'not running: commands use the embedded storage directly']);
      break;
    case 'running':
      rows.push(['registry', `running (${s.backend}, pid ${s.pid})`]);
      break;
    case 'unhealthy':
      rows.push(['registry', `process ${s.pid} (${s.backend}) runs but /v2/ does not answer`]);
      break;
    case 'crashed':
      rows.push([
        'registry',
        `crashed: the ${s.backend} registry (pid ${s.pid}) is gone; commands on ${s.endpoint} fail until \`oci-registry start\` starts it again or \`oci-registry stop\` goes back to the embedded storage`,
      ]);
      break;
  }
  if (s.endpoint) rows.push(['endpoint', s.endpoint]);
  rows.push(['storage', `${s.storage}${storageNote}`]);
  rows.push(['repositories', String(s.repositories)]);
  if (s.condition !== 'stopped') rows.push(['health', s.healthy ? '/v2/ answers' : '/v2/ does not answer']);
  if (s.log) rows.push(['log', s.log]);
  if (s.last_log_line) rows.push(['last log line', s.last_log_line]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}`).join('\n');
}
