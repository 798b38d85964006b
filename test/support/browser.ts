import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it where missing), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/*
 * Flags for a browser that reaches nothing by itself: no background networking, component updates, sync, QUIC or
 * first-run pages, so every request it makes is one the page under test asked for.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  /** The browser's one context, on its own new profile directory. */
  context: BrowserContext;
  close: () => Promise<void>;
}

/**
 * Launches headless chromium on a new empty profile. No browser is a failure, said loudly: a browser test that
 * skipped would pass CI having proved nothing.
 */
export async function launchChromium(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `NO BROWSER: ${CHROMIUM} does not exist. The explorer's browser tests need Debian's chromium: run \`apt-get install -y chromium\` (.ci/run does), or set CHROMIUM_PATH.`,
    );
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'court-graph-chromium-'));
  // Playwright passes the profile to chromium as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS, headless: true });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
