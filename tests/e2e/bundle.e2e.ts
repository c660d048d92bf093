/**
 * The build check of `npm test`, on the build the browser tests made anyway
 * (so nothing is built twice): the page's entry chunk and its static imports
 * hold no tfjs and fit their gzip budget (scripts/check-bundle.ts). The
 * sizes of every chunk are printed and recorded with the measurements.
 */
import { checkBundle, formatReport } from '../../scripts/check-bundle';
import type { E2EContext } from './context';
import { log, record, type TestCase } from './harness';

export function bundleTests(ctx: E2EContext): TestCase[] {
  return [
    {
      name: 'build: the entry chunk holds no tfjs and is within its gzip budget',
      timeoutMs: 60_000,
      fn: async () => {
        const report = await checkBundle(ctx.appDir);
        for (const line of formatReport(report)) log(line);
        record('entry chunk', {
          file: report.initial[0]?.file,
          rawBytes: report.initial[0]?.raw,
          gzipBytes: report.initial[0]?.gzip,
          initialGzipBytes: report.initialGzip,
          budgetGzipBytes: report.budgetGzip,
        });
        if (report.problems.length > 0) throw new Error(report.problems.join('\n'));
      },
    },
  ];
}
