import { Args } from '@oclif/core';
import type { InspectResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { formatBytes } from '../../render/progress.js';
import { renderTable } from '../../render/table.js';

export default class OciInspect extends BaseCommand<typeof OciInspect> {
  static override summary = 'Show the manifest, metadata, sizes and digests of an artifact';
  static override description =
    'Works on extensions (shows the metadata of their manifest.yaml too), container images and indexes, ' +
    'in registries or in OCI image layouts (oci-layout:PATH:TAG). Without a tag the highest version is shown.';
  static override examples = [
    '<%= config.bin %> oci inspect kubernetes:1.28.0',
    '<%= config.bin %> oci inspect oci-layout:./mirror:v1 --json',
  ];
  static override args = {
    reference: Args.string({
      description: 'NAME[:VERSION], REGISTRY/NS/NAME:TAG, …@sha256:… or oci-layout:PATH:TAG',
      required: true,
    }),
  };

  async run(): Promise<InspectResult> {
    const { inspectArtifact } = await import('@provisioning/workspace');
    const result = await this.withSession((session) => inspectArtifact(session, this.args.reference));
    if (!this.isJson) {
      this.log(renderInspect(result));
      await this.logStorage([result.reference]);
    }
    return result;
  }
}

function renderInspect(r: InspectResult): string {
  const lines = [
    r.reference,
    `  digest         ${r.digest}`,
    `  media type     ${r.mediaType}`,
    `  artifact type  ${r.artifactType ?? '-'}`,
    `  size           ${r.size} bytes (total ${formatBytes(r.totalSize)})`,
  ];
  if (r.subject) lines.push(`  subject        ${r.subject.digest}`);
  if (r.extension) {
    const e = r.extension;
    lines.push('', 'extension');
    const labels: Record<string, string> = {
      name: 'name',
      type: 'type',
      version: 'version',
      description: 'description',
      license: 'license',
      homepage: 'homepage',
      min_provisioning_version: 'min core',
    };
    for (const [key, label] of Object.entries(labels)) {
      if (e[key] !== undefined) lines.push(`  ${label.padEnd(14)} ${String(e[key])}`);
    }
    const deps = e.dependencies as Record<string, string> | undefined;
    if (deps && Object.keys(deps).length > 0) {
      lines.push(
        `  dependencies   ${Object.entries(deps)
          .map(([n, range]) => `${n} ${range}`)
          .join(', ')}`,
      );
    }
    if (Array.isArray(e.tags) && e.tags.length > 0) lines.push(`  tags           ${e.tags.join(', ')}`);
  }
  const annotations = Object.entries(r.annotations);
  if (annotations.length > 0) {
    lines.push('', 'annotations');
    for (const [key, value] of annotations) lines.push(`  ${key} = ${value}`);
  }
  if (r.signatures) {
    lines.push(
      '',
      `signatures (${r.signatures.tag}, ${r.signatures.digest}; check them with \`oci verify --key\`)`,
    );
    for (const sig of r.signatures.signatures) {
      const claim = sig.identity === null ? 'malformed payload' : `${sig.identity}@${sig.signedDigest}`;
      const notes = Object.entries(sig.annotations).map(([k, v]) => `${k}=${v}`);
      lines.push(`  ${sig.layerDigest}  ${claim}${notes.length > 0 ? `  ${notes.join(' ')}` : ''}`);
    }
  }
  const blobs = [
    ...(r.config ? [{ role: 'config', ...r.config }] : []),
    ...r.layers.map((layer) => ({ role: 'layer', ...layer })),
    ...r.manifests.map((m) => ({
      role: m.platform ? `${m.platform.os}/${m.platform.architecture}` : 'manifest',
      ...m,
    })),
  ];
  if (blobs.length > 0) {
    lines.push(
      '',
      renderTable(
        blobs.map((b) => ({ role: b.role, mediaType: b.mediaType, size: b.size, digest: b.digest })),
        ['role', { key: 'mediaType', header: 'media type' }, { key: 'size', align: 'right' }, 'digest'],
      ),
    );
  }
  return lines.join('\n');
}
