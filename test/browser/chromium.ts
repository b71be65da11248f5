// Debian's Chromium driven by playwright-core (never a downloaded browser). CI installs /usr/bin/chromium; where it
// is absent the browser tests skip and say why.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SKIP_REASON = `skipped: ${CHROMIUM} is absent (apt-get install chromium to run the browser checks)`;
if (!hasChromium) console.warn(`browser tests ${SKIP_REASON}`);

/** test-output/ (gitignored), for the pages and screenshots a person may want to look at after a run. */
export function outputDir(sub: string): string {
  const dir = fileURLToPath(new URL(`../../test-output/${sub}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
