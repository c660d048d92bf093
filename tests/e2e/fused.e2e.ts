/**
 * Issue 16 item 2: the fused WebGPU meta-step in Chromium (SwiftShader here)
 * against the cpu backend's tape — loss, meta-gradient and θ after one
 * meta-optimizer step for six shapes (layer sizes, K, B, 0–3 inner steps,
 * first and second order, MSE and cross-entropy) — and its dispatch count:
 * two per meta-step whatever the inner steps. The numeric page runs it with
 * `?only=fused` (tests/e2e/numeric/fused.ts). WebGPU missing is a failure,
 * said plainly, as in numeric.e2e.ts.
 */
import type { E2EContext } from './context';
import { assert, log, measurements, type TestCase } from './harness';
import { openPage } from './browser';
import { waitFor } from './app-page';
import type { FusedPageState } from './numeric/main';

export function fusedTests(ctx: E2EContext): TestCase[] {
  return [
    {
      name: 'fused: the WebGPU fused MAML step matches the cpu tape (loss, meta-gradient, θ after a step) in 2 dispatches',
      timeoutMs: 4 * 60_000,
      fn: async () => {
        const { page, errors } = await openPage(ctx.browser, `${ctx.numericUrl}?only=fused`);
        try {
          await waitFor(
            'the fused checks to finish',
            () => page.evaluate(() => Boolean(window.__fused?.done)),
            3.5 * 60_000,
            500,
          );
          const s = (await page.evaluate(() => window.__fused)) as FusedPageState;
          if (errors.length) log(`page errors: ${errors.join(' | ')}`);
          assert.equal(
            s.status,
            'ran',
            `the fused checks did not run (${s.status}: ${s.reason}); WebGPU is needed`,
          );
          const table = (s.checks ?? []).map(
            (c) =>
              `${c.pass ? 'pass' : 'FAIL'}  max|diff| ${c.maxAbsDiff.toExponential(2).padEnd(9)} ${c.check}`,
          );
          table.forEach((line) => log(line));
          measurements['fused webgpu checks'] = table;
          measurements['fused webgpu dispatches per step'] = s.dispatches;
          log(`ran in ${s.seconds.toFixed(1)} s`);
          assert.deepEqual(
            (s.checks ?? []).filter((c) => !c.pass).map((c) => `${c.check} (${c.maxAbsDiff})`),
            [],
          );
          assert.ok((s.checks ?? []).length >= 18, 'every case reported');
          for (const [name, n] of Object.entries(s.dispatches ?? {}))
            assert.equal(n, 2, `dispatches per meta-step of ${name}`);
        } finally {
          await page.close();
        }
      },
    },
  ];
}
