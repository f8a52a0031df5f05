import { Args, Flags } from '@oclif/core';
import { PLATFORM_APPS, type PlatformApp } from '@provisioning/schemas';
import type { BuildPlatformImageResult } from '@provisioning/workspace';
import { BaseCommand } from '../../../base-command.js';
import { createTransferProgress } from '../../../render/progress.js';

export default class PlatformImageBuild extends BaseCommand<typeof PlatformImageBuild> {
  static override summary = 'Pack a platform app as a container image on a Node base image';
  static override description =
    "Adds the app's built bundle as one layer under /opt/provisioning/APP/ to the base image (an index gives " +
    'its --platform image), sets the entrypoint to `node /opt/provisioning/APP/ENTRY`, and either pushes it to ' +
    'the configured registry as provisioning-platform/APP:vVERSION (the reference workspaces pin in ' +
    'platform.images) or writes an OCI image layout. The base layers are copied by digest, never changed. The ' +
    'same bundle, base and SOURCE_DATE_EPOCH give the same digest. See docs/platform.md.';
  static override examples = [
    '<%= config.bin %> platform image build api-gateway --base localhost:5000/library/node:20-slim --push',
    '<%= config.bin %> platform image build mcp-server --base localhost:5000/library/node:20 --version 1.2.0 --output ./images/mcp-server',
    '<%= config.bin %> platform image build orchestrator --base oci-layout:./node:20 --app-dir ./build/orchestrator --push',
  ];
  static override args = {
    app: Args.string({ description: 'the platform app', options: [...PLATFORM_APPS], required: true }),
  };
  static override flags = {
    base: Flags.string({
      summary: 'Base image: REGISTRY/NS/NAME:TAG, …@sha256:<hex> or oci-layout:PATH:TAG.',
      required: true,
    }),
    'app-dir': Flags.string({
      summary:
        "The app's built bundle (default: apps/APP/dist/image for api-gateway and mcp-server, else apps/APP/dist).",
    }),
    entry: Flags.string({ summary: 'Entry file inside the bundle (default: index.js).' }),
    version: Flags.string({ summary: 'Image version, tagged vVERSION (default: the CLI version).' }),
    output: Flags.string({ char: 'o', summary: 'Write an OCI image layout to DIR.', exclusive: ['push'] }),
    push: Flags.boolean({ summary: 'Push to the configured registry.', exclusive: ['output'] }),
    platform: Flags.string({
      summary: 'OS/ARCH[/VARIANT] to take from a base index (default: linux/amd64).',
    }),
    env: Flags.string({ summary: 'More container environment, KEY=VALUE (repeatable).', multiple: true }),
  };

  async run(): Promise<BuildPlatformImageResult> {
    const { buildPlatformImage } = await import('@provisioning/workspace');
    const progress = createTransferProgress('image build', { enabled: !this.isJson });
    const { flags } = this;
    const result = await this.withSession((session) =>
      buildPlatformImage(session, {
        app: this.args.app as PlatformApp,
        base: flags.base,
        version: flags.version ?? this.config.version,
        ...(flags['app-dir'] ? { appDir: flags['app-dir'] } : {}),
        ...(flags.entry ? { entry: flags.entry } : {}),
        ...(flags.output ? { output: flags.output } : {}),
        ...(flags.push ? { push: true } : {}),
        ...(flags.platform ? { platform: flags.platform } : {}),
        ...(flags.env ? { env: flags.env } : {}),
        onProgress: progress.onProgress,
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      this.log(`built ${result.app} → ${result.destination}`);
      await this.logStorage([result.destination]);
      this.log(`  digest      ${result.digest}`);
      this.log(`  base        ${result.base.reference}  ${result.base.digest}`);
      this.log(`  layer       ${result.layer.digest}  (${result.layer.files} files)`);
      this.log(`  platform    ${result.platform}`);
      this.log(`  entrypoint  ${result.entrypoint.join(' ')}`);
    }
    return result;
  }
}
