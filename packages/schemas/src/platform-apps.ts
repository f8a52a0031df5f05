/** The platform's apps (docs/platform.md), each packed as the image `provisioning-platform/<app>`. */
export const PLATFORM_APPS = ['api-gateway', 'control-center', 'mcp-server', 'orchestrator'] as const;

export type PlatformApp = (typeof PLATFORM_APPS)[number];

export function isPlatformApp(value: string): value is PlatformApp {
  return (PLATFORM_APPS as readonly string[]).includes(value);
}

/** Where an app's files go inside its image. */
export function appInstallDir(app: PlatformApp): string {
  return `/opt/provisioning/${app}`;
}
