/**
 * `npm run test:e2e`: builds the app and the numeric test page, checks the
 * app's entry chunk (bundle.e2e.ts: no tfjs, within its size budget), serves
 * them on free localhost ports, drives Debian's Chromium (headless, WebGPU
 * through SwiftShader) through the tests in numeric.e2e.ts and app.e2e.ts,
 * prints every measurement and artifact path, and exits non-zero on any
 * failure.
 *
 * E2E_ONLY=<regex> runs the tests whose names match. Artifacts (screenshots)
 * go to test-results/e2e/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { adaptationTests } from './adaptation.e2e';
import { appTests } from './app.e2e';
import { benchmarkTests } from './benchmark.e2e';
import { budgetTests } from './budget.e2e';
import { launch } from './browser';
import { bundleTests } from './bundle.e2e';
import { csvTests } from './csv.e2e';
import { drawTests } from './draw.e2e';
import { embedTests } from './embed.e2e';
import { fusedTests } from './fused.e2e';
import { artifacts, measurements, runTests } from './harness';
import { imageTests } from './images.e2e';
import { imageUploadTests } from './image-upload.e2e';
import { newcomerTests } from './newcomer.e2e';
import { numericTests } from './numeric.e2e';
import { sessionTests } from './sessions.e2e';
import { sweepTests } from './sweep.e2e';
import { trainFusedTests } from './train-fused.e2e';
import { buildAndServe } from './server';
import { urlTests } from './url.e2e';

const outDir = path.resolve(import.meta.dirname, '../../test-results/e2e');

async function main(): Promise<number> {
  const t0 = performance.now();
  mkdirSync(outDir, { recursive: true });
  console.log('Building the app and the numeric test page…');
  const served = await buildAndServe(outDir);
  console.log(`Serving the app at ${served.appUrl} and the numeric page at ${served.numericUrl}`);
  const browser = await launch();
  console.log(`Chromium ${browser.version()}`);
  try {
    const ctx = { browser, ...served, outDir };
    const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
    const outcomes = await runTests(
      [
        ...bundleTests(ctx),
        ...numericTests(ctx),
        ...fusedTests(ctx),
        ...trainFusedTests(ctx),
        ...appTests(ctx),
        ...budgetTests(ctx),
        ...csvTests(ctx),
        ...sessionTests(ctx),
        ...adaptationTests(ctx),
        ...imageTests(ctx),
        ...drawTests(ctx),
        ...imageUploadTests(ctx),
        ...benchmarkTests(ctx),
        ...urlTests(ctx),
        ...newcomerTests(ctx),
        ...sweepTests(ctx),
        ...embedTests(ctx),
      ],
      only,
    );
    const failed = outcomes.filter((o) => !o.ok).length;
    const total = (performance.now() - t0) / 1000;
    console.log('\n── Browser test summary ──');
    for (const o of outcomes)
      console.log(
        `${o.ok ? 'pass' : 'FAIL'}  ${(o.ms / 1000).toFixed(1).padStart(6)} s  ${o.name}`,
      );
    console.log('\nMeasurements:');
    console.log(JSON.stringify(measurements, null, 2));
    for (const a of artifacts) console.log(`artifact: ${a}`);
    console.log(
      `\n${outcomes.length - failed} passed, ${failed} failed, total ${total.toFixed(0)} s (build, serve and tests)`,
    );
    return failed ? 1 : 0;
  } finally {
    await browser.close();
    await served.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
