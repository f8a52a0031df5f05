import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { type OciDescriptor, packExtension } from '@provisioning/packager';
import { BaseCommand } from '../../../base-command.js';

export interface PackageOutput {
  name: string;
  version: string;
  type: string;
  tarball: string;
  layer: OciDescriptor;
  config: OciDescriptor;
  manifest: OciDescriptor;
  /** `replaced`: digest the tag pointed at before, when it pointed elsewhere. */
  oci_layout: { path: string; tag: string; replaced: string | null } | null;
}

export default class OciPackage extends BaseCommand<typeof OciPackage> {
  static override summary = 'Package an extension directory as a reproducible OCI artifact';
  static override description =
    'Validates DIR, writes NAME-VERSION.tar.gz (byte-identical for identical trees; mtime from ' +
    'SOURCE_DATE_EPOCH, else 0) and prints the layer, config and manifest digests. With --oci-layout the ' +
    'artifact is also stored in an OCI image layout (one layout per extension, like a repository), ' +
    'tagged with its version.';
  static override examples = [
    '<%= config.bin %> oci package ./extensions/taskservs/redis',
    '<%= config.bin %> oci package ./extensions/taskservs/redis --output dist --oci-layout ./layout',
  ];
  static override args = {
    dir: Args.string({ description: 'extension directory (holds manifest.yaml)', required: true }),
  };
  static override flags = {
    output: Flags.string({ char: 'o', summary: 'Directory for the tarball (default: current directory).' }),
    'oci-layout': Flags.string({
      summary: 'Also store the artifact in this OCI image layout (created if missing).',
    }),
  };

  async run(): Promise<PackageOutput> {
    const packed = await packExtension(this.args.dir, { outputDir: this.flags.output });
    let ociLayout: PackageOutput['oci_layout'] = null;
    if (this.flags['oci-layout']) {
      const { storePackedInLayout } = await import('@provisioning/workspace');
      ociLayout = await storePackedInLayout(packed, this.flags['oci-layout']);
    }
    const output: PackageOutput = {
      name: packed.manifest.name,
      version: packed.manifest.version,
      type: packed.manifest.type,
      tarball: packed.tarballPath,
      layer: packed.layer.descriptor,
      config: packed.config.descriptor,
      manifest: packed.imageManifestDescriptor,
      oci_layout: ociLayout,
    };
    if (!this.isJson) {
      this.log(path.relative(process.cwd(), packed.tarballPath) || packed.tarballPath);
      this.log(`  layer     ${output.layer.digest}  (${output.layer.size} bytes)`);
      this.log(`  config    ${output.config.digest}`);
      this.log(`  manifest  ${output.manifest.digest}`);
      if (ociLayout) this.log(`  stored in oci-layout:${ociLayout.path}:${ociLayout.tag}`);
      if (ociLayout?.replaced) this.log(`  tag ${ociLayout.tag} moved (it pointed at ${ociLayout.replaced})`);
    }
    return output;
  }
}
