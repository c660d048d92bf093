/**
 * The worker's data picture (src/worker/preview.ts): built-in families are
 * sampled with the request's seed and shape, a CSV upload is read from the
 * tables the worker staged (only the upload asked for), nothing throws, and
 * the session answers a `preview` at once, before any backend is up.
 */
import { describe, expect, it } from 'vitest';
import { builtinPreview } from '../../../src/core/data/preview';
import { CsvStage } from '../../../src/worker/csv-stage';
import { previewEvent, previewFor } from '../../../src/worker/preview';
import type { WorkerEvent } from '../../../src/worker/protocol';
import { WorkerSession } from '../../../src/worker/session';
import { collector } from './pieces';

const sinusoid = {
  kind: 'builtin',
  family: 'sinusoid',
  seed: 3,
  shots: 5,
  ways: 5,
  queries: 5,
} as const;

function leafCsv(): File {
  const lines = ['len,wid,species'];
  for (let i = 0; i < 60; i++) lines.push(`${i / 10},${(i % 7) / 2},s${i % 6}`);
  return new File([lines.join('\n')], 'leaves.csv', { type: 'text/csv' });
}

async function staged(uploadId: number) {
  const stage = new CsvStage(collector().post);
  const s = await stage.parse(uploadId, [leafCsv()], 1, 2);
  if (!s) throw new Error('the upload was refused');
  return s;
}

describe('previewFor', () => {
  it('samples a built-in family exactly as core does for the same seed and shape', () => {
    expect(previewFor(sinusoid, null)).toEqual(builtinPreview('sinusoid', sinusoid));
    expect(previewFor({ ...sinusoid, family: 'omniglot' }, null)).toBeNull();
  });

  it('draws the staged upload it is asked for, on its first two numeric columns', async () => {
    const s = await staged(4);
    const p = previewFor({ kind: 'csv', uploadId: 4 }, s);
    expect(p?.kind).toBe('classification');
    expect(p?.origin).toMatchObject({ from: 'csv', fileNames: ['leaves.csv'], xColumn: 'len' });
    expect(p?.origin).toMatchObject({ yColumn: 'wid', classes: 6 });
    expect(p?.panels[0]?.points[1]).toEqual({ x: 0.1, y: 0.5, c: 1, support: true });
  });

  it('has no picture of another upload than the one staged, nor without one', async () => {
    const s = await staged(4);
    expect(previewFor({ kind: 'csv', uploadId: 3 }, s)).toBeNull();
    expect(previewFor({ kind: 'csv', uploadId: 4 }, null)).toBeNull();
  });

  it('turns a sampler that throws into no picture', () => {
    expect(previewFor({ ...sinusoid, shots: -1 }, null)).toBeNull();
    expect(previewEvent(9, { ...sinusoid, shots: -1 }, null)).toEqual({
      type: 'preview',
      id: 9,
      preview: null,
    });
  });
});

describe('WorkerSession preview', () => {
  it('answers at once with the same id, with no backend started', async () => {
    const got: WorkerEvent[] = [];
    const session = new WorkerSession((batch) => got.push(...batch));
    session.handle({ type: 'preview', id: 7, request: sinusoid });
    await Promise.resolve();
    expect(got).toEqual([
      { type: 'preview', id: 7, preview: builtinPreview('sinusoid', sinusoid) },
    ]);
  });
});
