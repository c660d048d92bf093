/**
 * How fast the Omniglot data side is, as JSON on stdout: loading the
 * committed asset (read, SHA-256 check, inflate, class pools) and drawing
 * episodes (the cost the trainer pays per meta-batch before any tensor).
 *
 *   npx tsx bench/omniglot-data.ts
 */
import { performance } from 'node:perf_hooks';
import { nodeAssetLoader } from '../src/cli/assets';
import { loadBuiltinSource } from '../src/core/data/builtin';
import { Rng } from '../src/core/rng';

const t0 = performance.now();
const source = await loadBuiltinSource('omniglot', nodeAssetLoader());
const loadMs = performance.now() - t0;

const shapes = [
  { ways: 5, shots: 1, queries: 15, batch: 32 },
  { ways: 5, shots: 5, queries: 15, batch: 32 },
  { ways: 20, shots: 1, queries: 5, batch: 16 },
];
const rng = new Rng(1);
const sampling = shapes.map(({ batch, ...shape }) => {
  source.sample('train', batch, shape, rng); // warm-up
  const reps = 20;
  const s = performance.now();
  for (let i = 0; i < reps; i++) source.sample('train', batch, shape, rng);
  const ms = (performance.now() - s) / reps;
  return { ...shape, metaBatch: batch, msPerBatch: Number(ms.toFixed(2)) };
});
console.log(
  JSON.stringify(
    {
      loadMs: Math.round(loadMs),
      heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      sampling,
    },
    null,
    2,
  ),
);
