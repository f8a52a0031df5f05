/**
 * The control center in real Chromium: a CNCF Distribution holding the sample extensions of extensions/,
 * the real API gateway serving the built UI (dist/) on a free port behind a bearer token, and the
 * pages driven the way a user does (keyboard included).
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type RunningApiServer, startApiServer } from '@provisioning/api-gateway';
import { writeWorkspace } from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution, type TempDir, tempDir } from '@provisioning/testkit';
import {
  loadEffectiveConfig,
  OciSession,
  publishExtension,
  resolveWorkspace,
  settingsFromEffectiveConfig,
} from '@provisioning/workspace';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';

const REPO = resolve(import.meta.dirname, '../../..');
const DIST = resolve(import.meta.dirname, '../dist');
const RESULTS = resolve(import.meta.dirname, '../test-results');
const SAMPLES = ['runc', 'containerd', 'etcd', 'kubernetes', 'redis', 'postgres', 'web', 'local'];
const CORE = '3.5.0';
const TOKEN = 'ui-test-token-0123456789';

let registry: RunningDistribution;
let tmp: TempDir;
let server: RunningApiServer;
let browser: Browser;
let page: Page;
const apiCalls: { url: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  await stat(join(DIST, 'index.html')).catch(() => {
    throw new Error(`${DIST}/index.html is missing; run: pnpm --filter @provisioning/control-center build`);
  });
  browser = await launchChromium();
  registry = await startDistribution();
  tmp = await tempDir('control-center-');
  const root = join(tmp.path, 'ws');
  await writeWorkspace(root, { registry: registry.host, taskservs: ['kubernetes:1.28.0'] });
  const env = { PROVISIONING_HOME: join(tmp.path, 'home'), PATH: process.env.PATH };
  const config = await loadEffectiveConfig({ cwd: root, env });
  const session = new OciSession(config);
  try {
    for (const name of SAMPLES) await publishExtension(session, name, { dir: REPO });
  } finally {
    await session.close();
  }
  await resolveWorkspace({ settings: settingsFromEffectiveConfig(config), coreVersion: CORE });
  const tokenFile = join(tmp.path, 'token');
  await writeFile(tokenFile, `${TOKEN}\n`);
  server = await startApiServer({ workspace: root, env, port: 0, version: CORE, uiDir: DIST, tokenFile });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/')) apiCalls.push({ url: r.url(), auth: r.headers().authorization });
  });
  await page.goto(`${server.url}/#token=${TOKEN}`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await registry?.stop().catch(() => undefined);
  await tmp?.remove();
});

describe('control center in Chromium', () => {
  it('takes the token from the URL, keeps it out of the address bar and sends it on every call', async () => {
    await page.getByRole('link', { name: 'kubernetes' }).waitFor();
    expect(page.url()).not.toContain(TOKEN);
    expect(await page.evaluate(() => sessionStorage.getItem('provisioning.token'))).toBe(TOKEN);
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(apiCalls.every((c) => c.auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('searches by keyboard: Tab to the search box, type, Enter, follow a result', async () => {
    await page.goto(`${server.url}/#/`);
    await page.getByRole('link', { name: 'kubernetes' }).waitFor();
    for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.id === 'search')); i++) {
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search');
    await page.keyboard.type('container');
    await page.keyboard.press('Enter');
    await page.getByTestId('result-count').filter({ hasText: 'matching “container”' }).waitFor();
    const names = await page
      .locator('[data-extension]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-extension')));
    expect(names).toContain('containerd');
    expect(names).toContain('kubernetes'); // "container orchestration" in its description
    expect(names).not.toContain('redis');
    // Keyboard only: Tab until the containerd link has focus, then Enter follows it.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.textContent === 'containerd')) break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'containerd' }).waitFor();
    expect(page.url()).toContain('#/ext/provisioning-extensions/containerd');
  });

  it('shows an extension: versions, dependencies, signature status', async () => {
    await page.goto(`${server.url}/#/ext/provisioning-extensions/kubernetes`);
    await page.locator('[data-signature]').waitFor();
    expect(await page.locator('#version option').allTextContents()).toContain('1.28.0');
    expect(await page.locator('#version').inputValue()).toBe('1.28.0');
    const deps = await page
      .locator('[data-dependency]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-dependency')));
    expect(deps.sort()).toEqual(['containerd', 'etcd']);
    expect(await page.locator('[data-signature]').getAttribute('data-signature')).toBe('unsigned');
  });

  it('renders the README as markdown (headings, no raw "# " lines)', async () => {
    await page.getByTestId('readme').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('readme').locator('h1, h2').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('readme').textContent()).not.toMatch(/^#\s/m);
    // GitHub tables render as tables, not pipes
    expect(await page.getByTestId('readme').locator('table').count()).toBeGreaterThan(0);
  });

  it('draws the dependency graph of kubernetes with the sample graph’s nodes and edges', async () => {
    await page.locator('svg [data-node-id]').first().waitFor();
    const nodes = await page
      .locator('[data-node-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    const edges = await page
      .locator('[data-edge]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-edge')));
    expect(nodes.sort()).toEqual(['containerd@1.7.0', 'etcd@3.5.9', 'kubernetes@1.28.0', 'runc@1.1.12']);
    expect(edges.sort()).toEqual([
      'containerd@1.7.0->runc@1.1.12',
      'kubernetes@1.28.0->containerd@1.7.0',
      'kubernetes@1.28.0->etcd@3.5.9',
    ]);
    // Each edge is labelled with the constraint the API reports for it.
    const labels = await page
      .locator('[data-edge]')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-constraint'), e.querySelector('text')?.textContent]),
      );
    for (const [constraint, text] of labels) expect(text).toBe(constraint);
    expect(
      await page.locator('[data-edge="containerd@1.7.0->runc@1.1.12"]').getAttribute('data-constraint'),
    ).toBe('>=1.1.0');
  });

  it('shows the workspace: modules with lock digests, drift, history', async () => {
    await page.getByRole('link', { name: 'Workspace' }).click();
    await page.getByRole('heading', { name: 'Modules' }).waitFor();
    const modules = await page
      .locator('[data-module]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-module')));
    expect(modules).toContain('kubernetes');
    expect(modules).toContain('runc');
    expect(await page.locator('[data-module="kubernetes"] code[title^="sha256:"]').count()).toBe(1);
    // a transitive module says which module pulls it in
    expect(await page.locator('[data-module="runc"]').textContent()).toContain('via containerd');
    expect(await page.getByRole('heading', { name: 'Drift' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'History and rollback targets' }).count()).toBe(1);
  });

  it('explains why a version is chosen for an installed module', async () => {
    await page.locator('[data-module="containerd"]').getByRole('link').click();
    await page.getByTestId('why').waitFor();
    expect(await page.getByTestId('why').textContent()).toContain('containerd@1.7.0');
  });

  it('resolves a module list as a dry run and explains a conflict', async () => {
    await page.goto(`${server.url}/#/why`);
    await page.getByLabel(/Modules, one per line/).fill('taskservs/kubernetes@^1.28\nredis');
    await page.getByRole('button', { name: 'Resolve (dry run)' }).click();
    await page.getByTestId('plan').waitFor();
    const planned = await page
      .locator('[data-planned]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-planned')));
    expect(planned.sort()).toEqual(['containerd', 'etcd', 'kubernetes', 'redis', 'runc']);
    expect(await page.getByTestId('plan').locator('[data-node-id]').count()).toBe(5);

    await page.getByLabel(/Modules, one per line/).fill('clusters/web, taskservs/postgres@>=17');
    await page.getByRole('button', { name: 'Resolve (dry run)' }).click();
    await page.getByTestId('explanation').waitFor();
    const text = await page.getByTestId('explanation').textContent();
    expect(text).toContain('RESOLUTION_FAILED');
    expect(text).toContain('postgres');
    expect(await page.locator('[aria-live] [data-testid="explanation"]').count()).toBe(1);
  });

  it('saves a screenshot of the graph as a test artifact', async () => {
    await page.goto(`${server.url}/#/ext/provisioning-extensions/web`);
    await page.locator('svg [data-node-id]').first().waitFor();
    await mkdir(RESULTS, { recursive: true });
    const file = join(RESULTS, 'extension-web.png');
    await page.screenshot({ path: file, fullPage: true });
    expect((await stat(file)).size).toBeGreaterThan(10_000);
  });
});
