/**
 * The page `npm run bench:browser` drives: runs the cases described by the
 * query string through the app's own benchmark code (src/bench: the same
 * workloads, the same fresh worker per case with its time budget, the same
 * JSON rows as the app's Benchmark page) and puts the rows on
 * window.__bench and on the page.
 *
 * Query: backends, algorithms, B, hidden (";"-separated), layout (a list of
 * batched, tape, loop), innerSteps (a list), seconds,
 * budget (s per case), memory (s to wait for each worker's memory figure;
 * 0 skips it), profile=1, images ("5w1s,20w1s": Conv-4 cases), filters
 * ("32,64"), imageB (their meta-batch), and any WEBGPU_* flag.
 */
import {
  casesOf,
  rowOf,
  type BenchHidden,
  type BenchMethod,
  type BenchRow,
} from '../../src/bench/cases';
import { runCase } from '../../src/bench/runner';
import type { EngineBackendName } from '../../src/core/spec/backend';
import type { Layout } from '../../src/core/algorithms/learner';

declare global {
  interface Window {
    /** one row per finished case, in order; `done` once every case has settled */
    __bench?: { rows: BenchRow[]; done: boolean };
  }
}

const q = new URLSearchParams(location.search);
const list = (k: string, d: string, sep = ',') => (q.get(k) ?? d).split(sep).filter(Boolean);
const innerSteps = q.get('innerSteps');
const first = {
  layout: list('layout', 'batched')[0],
  steps: innerSteps ? Number(innerSteps.split(',')[0]) : undefined,
};
const cases = list('layout', 'batched').flatMap((layout) =>
  (innerSteps ? innerSteps.split(',').map(Number) : [undefined]).flatMap((steps) =>
    casesOf(
      {
        backends: list('backends', 'webgpu') as EngineBackendName[],
        methods: list('algorithms', 'maml') as BenchMethod[],
        metaBatches: list('B', '25').map(Number),
        hidden: list('hidden', '40,40', ';') as BenchHidden[],
        seconds: Number(q.get('seconds') ?? 6),
        // Image cases once, with the first layout and inner-step setting only.
        images: layout === first.layout && steps === first.steps ? list('images', '') : [],
        filters: list('filters', '32').map(Number) as (32 | 64)[],
      },
      {
        layout: layout as Layout,
        profile: q.get('profile') === '1',
        flags: Object.fromEntries(
          [...q.entries()].filter(([k]) => k.startsWith('WEBGPU_')).map(([k, v]) => [k, Number(v)]),
        ),
        ...(steps === undefined ? {} : { settings: { innerSteps: steps } }),
        ...(q.get('imageB') ? { imageMetaBatch: Number(q.get('imageB')) } : {}),
      },
    ),
  ),
);
const budgetMs = Number(q.get('budget') ?? 600) * 1000;
const memoryWaitMs = Number(q.get('memory') ?? 25) * 1000;
const state: NonNullable<Window['__bench']> = { rows: [], done: false };
window.__bench = state;
const out = document.getElementById('out')!;
for (const c of cases) {
  const row = rowOf(c, await runCase(c, { budgetMs, memoryWaitMs }));
  state.rows.push(row);
  out.textContent = JSON.stringify(state.rows, null, 2);
}
state.done = true;
