/**
 * DataStage: the data trained on changes only through it, each change posts
 * `data-loaded` and drops the kept model, and it names its dataset for the
 * autosave; a refused upload leaves the data as it was.
 */
import { describe, expect, it } from 'vitest';
import { DataStage } from '../../../src/worker/data-stage';
import { collector } from './pieces';
import { nodeAssetLoader } from '../../../src/cli/assets';
import type { AssetLoader } from '../../../src/core/data/builtin';

const csv = (text: string, name = 'tasks.csv') => new File([text], name, { type: 'text/csv' });

function regressionCsv(): string {
  const lines = ['task,x,y'];
  for (let t = 0; t < 12; t++)
    for (let i = 0; i < 30; i++) lines.push(`t${t},${i / 10},${(t + 1) * (i / 10)}`);
  return lines.join('\n');
}

describe('DataStage', () => {
  it('loads a built-in family, names its dataset and drops the kept model', async () => {
    const c = collector();
    let replaced = 0;
    const d = new DataStage(c.post, () => replaced++);
    expect(d.source).toBeNull();
    await d.loadBuiltin('sinusoid');
    expect(replaced).toBe(1);
    expect(c.of('data-loaded')[0]?.summary).toMatchObject({
      name: d.source!.name,
      kind: 'regression',
      inputDim: 1,
      splitSizes: { train: null, val: null, test: null },
    });
    expect(d.datasetOf(d.source!)).toMatchObject({ source: 'builtin', name: 'sinusoid' });
    const old = d.source!;
    await d.loadBuiltin('linear');
    expect(d.datasetOf(old)).toBeNull();
  });

  it('loads Omniglot through the asset loader; without one it refuses, changing nothing', async () => {
    const c = collector();
    const bare = new DataStage(c.post);
    await bare.loadBuiltin('omniglot');
    expect(bare.source).toBeNull();
    expect(c.of('data-failed')[0]).toMatchObject({ name: 'omniglot' });
    expect(c.of('data-failed')[0]?.message).toMatch(/omniglot/i);
    expect(c.of('data-loaded')).toEqual([]);
    // A loader that reports progress in three chunks: the last report is always posted.
    const files = nodeAssetLoader();
    const chunked: AssetLoader = async (path, onProgress) => {
      const bytes = await files(path);
      for (const part of [0, 0.5, 1]) onProgress?.(Math.round(part * bytes.length), bytes.length);
      return bytes;
    };
    const d = new DataStage(c.post, () => {}, chunked);
    await d.loadBuiltin('omniglot');
    const progress = c.of('data-progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toMatchObject({ name: 'omniglot' });
    expect(progress.at(-1)?.loaded).toBe(progress.at(-1)?.total);
    expect(d.source?.imageShape).toEqual({ height: 28, width: 28, channels: 1 });
    expect(c.of('data-loaded')[0]?.summary).toMatchObject({
      kind: 'classification',
      inputDim: 784,
    });
    expect(d.datasetOf(d.source!)).toMatchObject({ source: 'builtin', name: 'omniglot' });
  });

  it('refuses an unknown family and "use the CSV" without an upload, changing nothing', async () => {
    const c = collector();
    let replaced = 0;
    const d = new DataStage(c.post, () => replaced++);
    await d.loadBuiltin('nope' as 'sinusoid');
    await d.useCsv();
    expect(c.of('data-failed').map((e) => e.name)).toEqual(['nope']);
    expect(c.of('error').map((e) => e.code)).toEqual(['no-data']);
    expect(replaced).toBe(0);
    expect(d.source).toBeNull();
  });

  it('stages an upload, trains on it only when asked, and names it by its hash', async () => {
    const c = collector();
    const d = new DataStage(c.post);
    await d.loadBuiltin('sinusoid');
    await d.parseCsv(1, [csv(regressionCsv())], false, 1);
    expect(c.of('csv-staged')[0]).toMatchObject({ uploadId: 1, inUse: false });
    expect(d.source!.name).not.toBe('tasks.csv');
    await d.useCsv();
    const loaded = c.of('data-loaded').at(-1)!.summary;
    expect(loaded.description).toMatch(/^tasks\.csv: 360 rows, 12 tasks\./);
    expect(loaded.limits).toBeDefined();
    expect(d.datasetOf(d.source!)).toMatchObject({ source: 'csv', name: 'tasks.csv' });
    expect(d.datasetOf(d.source!)?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a refused upload keeps the data trained on', async () => {
    const c = collector();
    const d = new DataStage(c.post);
    await d.loadBuiltin('sinusoid');
    const before = d.source;
    await d.parseCsv(2, [csv('just one column\n1\n2\n', 'bad.csv')], true, 1);
    expect(c.of('csv-refused')).toHaveLength(1);
    expect(d.source).toBe(before);
  });
});
