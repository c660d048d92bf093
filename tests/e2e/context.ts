/** What every browser test suite receives from the runner. */
import type { Browser } from 'playwright-core';

export interface E2EContext {
  browser: Browser;
  appUrl: string;
  numericUrl: string;
  /** where screenshots and other artifacts go */
  outDir: string;
}
