/** What every browser test suite receives from the runner. */
import type { Browser } from 'playwright-core';

export interface E2EContext {
  browser: Browser;
  appUrl: string;
  /** the app's build directory (served at appUrl) */
  appDir: string;
  numericUrl: string;
  /** where screenshots and other artifacts go */
  outDir: string;
}
