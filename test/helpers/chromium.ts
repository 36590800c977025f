// Debian's chromium for the browser tests, started as this machine allows (no sandbox as root, no
// background traffic), with a fresh profile removed when it closes. `resolverRules` decides which names
// resolve: every test maps all other names to NOTFOUND, so no request can leave the machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context (service workers need one) in a temp profile; close() removes the profile. */
export async function launchChromium(resolverRules: string): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'gij-mock-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--host-resolver-rules=${resolverRules}`],
    });
    return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

/** "Another site": one blank page for any path, on its own loopback port. */
export async function blankPages(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title><p>page'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * The site the cross-origin browser tests attack from: blank pages on their own loopback port, and a chromium in
 * which evil.example is this machine and every other name fails to resolve, so no request can leave it.
 */
export async function foreignSite(): Promise<{ readonly pagePort: number; readonly context: BrowserContext; close(): Promise<void> }> {
  const { server, port } = await blankPages();
  const closePages = () => new Promise<void>((resolve) => server.close(() => resolve()));
  let browser: Chromium;
  try {
    browser = await launchChromium('MAP evil.example 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1');
  } catch (e) {
    await closePages();
    throw e;
  }
  return { pagePort: port, context: browser.context, close: async () => { await browser.close(); await closePages(); } };
}
