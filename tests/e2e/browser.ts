/**
 * Chromium for the browser tests: Debian's /usr/bin/chromium, headless, with
 * WebGPU enabled (SwiftShader here) and the background chatter switched off.
 * Each page gets a long-task observer before any script runs, and every
 * console error and page error is kept for the report.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
  }
}

export interface OpenedPage {
  page: Page;
  errors: string[];
}

export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__longTasks!.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  return { page, errors };
}

/** The longest main-thread task that started after `since` (performance.now() in the page). */
export async function worstLongTask(
  page: Page,
  since: number,
): Promise<{ ms: number; count: number; at: number[][] }> {
  return page.evaluate((t0) => {
    const tasks = (window.__longTasks ?? []).filter((t) => t.start >= t0);
    return {
      ms: Math.max(0, ...tasks.map((t) => t.duration)),
      count: tasks.length,
      // [seconds after `since`, ms] of the ten longest, to tell which moment they belong to
      at: tasks
        .slice()
        .sort((a, b) => b.duration - a.duration)
        .slice(0, 10)
        .map((t) => [Math.round((t.start - t0) / 100) / 10, Math.round(t.duration)]),
    };
  }, since);
}

export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

interface AxNode {
  role?: { value?: string };
  name?: { value?: string };
  ignored?: boolean;
}

/** Interactive nodes of the accessibility tree without a name (via the DevTools protocol). */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  await cdp.detach();
  const interactive = new Set([
    'button',
    'textbox',
    'combobox',
    'checkbox',
    'slider',
    'spinbutton',
    'link',
    'radio',
  ]);
  return nodes
    .filter((n) => !n.ignored && interactive.has(n.role?.value ?? ''))
    .filter((n) => !(n.name?.value ?? '').trim())
    .map((n) => n.role?.value ?? '?');
}
