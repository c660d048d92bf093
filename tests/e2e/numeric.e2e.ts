/**
 * Point 7 of the main-screen issue: the engine's numeric checks in the real
 * browser, on every backend it has. The page (tests/e2e/numeric) runs them;
 * this test prints the per-backend table and fails on any failed check, on a
 * crash, and on WebGPU missing (the product's promise on this machine; a
 * Chromium without SwiftShader WebGPU must say so, not pass on another
 * backend). WebGL or WASM missing is reported as missing.
 */
import type { E2EContext } from './context';
import { assert, log, measurements, type TestCase } from './harness';
import { openPage } from './browser';
import { waitFor } from './app-page';

interface Check {
  check: string;
  maxAbsDiff: number;
  tolerance: string;
  pass: boolean;
}
interface Report {
  backend: string;
  status: 'ran' | 'missing' | 'crashed';
  reason: string;
  checks: Check[];
  seconds: number;
}

export function numericTests(ctx: E2EContext): TestCase[] {
  return [
    {
      name: 'numeric: MAML meta-gradients and the conv4 forward and gradients per backend (loop, cpu, finite differences)',
      timeoutMs: 8 * 60_000,
      fn: async () => {
        const { page, errors } = await openPage(ctx.browser, ctx.numericUrl);
        try {
          await waitFor(
            'the numeric page to finish',
            () =>
              page.evaluate(() =>
                Boolean((window as { __numeric?: { done: boolean } }).__numeric?.done),
              ),
            7.5 * 60_000,
            500,
          );
          const reports = await page.evaluate(
            () => (window as unknown as { __numeric: { reports: Report[] } }).__numeric.reports,
          );
          const table: string[] = [];
          for (const r of reports) {
            if (r.status !== 'ran') {
              table.push(`${r.backend.padEnd(7)} ${r.status.toUpperCase()}: ${r.reason}`);
              continue;
            }
            for (const c of r.checks)
              table.push(
                `${r.backend.padEnd(7)} ${c.pass ? 'pass' : 'FAIL'}  max|diff| ${c.maxAbsDiff.toExponential(2).padEnd(9)} tol ${c.tolerance.padEnd(18)} ${c.check}`,
              );
            table.push(`${r.backend.padEnd(7)} ran in ${r.seconds.toFixed(1)} s`);
          }
          table.forEach((line) => log(line));
          measurements['numeric per backend'] = table;
          if (errors.length) log(`page errors: ${errors.join(' | ')}`);
          const crashed = reports.filter((r) => r.status === 'crashed');
          assert.deepEqual(
            crashed.map((r) => `${r.backend}: ${r.reason}`),
            [],
          );
          const webgpu = reports.find((r) => r.backend === 'webgpu');
          assert.equal(
            webgpu?.status,
            'ran',
            `WebGPU is missing in this Chromium (${webgpu?.reason}); the browser tests need it`,
          );
          const failedChecks = reports.flatMap((r) =>
            r.checks
              .filter((c) => !c.pass)
              .map((c) => `${r.backend}: ${c.check} (${c.maxAbsDiff})`),
          );
          assert.deepEqual(failedChecks, []);
        } finally {
          await page.close();
        }
      },
    },
  ];
}
