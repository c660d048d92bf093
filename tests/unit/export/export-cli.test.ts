/**
 * `npm run cli -- export` as a person runs it: the files of a format land in
 * the folder, the weights read back equal to the session's (transposed to
 * PyTorch's layout), and a bad call ends with one line and exit code 1.
 */
import { mkdtempSync, rmSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trainer } from '../../../src/core/train/trainer';
import { defaultConfig } from '../../../src/core/spec/config';
import { builtinSource } from '../../../src/core/data/builtin';
import { readSafetensors } from '../../../src/core/export/safetensors';
import { transpose2d } from '../../../src/core/export/torch-layout';
import { builtinDatasetRecord, decodeWeights, sessionFromRun } from '../../../src/sessions/index';
import { writeSessionFile } from '../../../src/cli/session-file';
import { cli } from '../cli/run-cli';
import { useCpu } from '../../helpers/tf-cpu';

const dir = mkdtempSync(path.join(tmpdir(), 'mlp-export-cli-'));
const sessionPath = path.join(dir, 's.json');
let arrays: Float32Array[] = [];

beforeAll(async () => {
  await useCpu();
  const config = {
    ...defaultConfig('maml'),
    metaSteps: 2,
    metaBatch: 2,
    hidden: [4],
    valEvery: 2,
    valTasks: 2,
  };
  const t = new Trainer(builtinSource('sinusoid'), config);
  try {
    const result = await t.run();
    const doc = sessionFromRun({
      name: 'tiny',
      dataset: await builtinDatasetRecord('sinusoid'),
      config,
      backend: 'cpu',
      main: result.model,
      pretrain: null,
      result,
    });
    arrays = decodeWeights(doc.weights!);
    await writeSessionFile(sessionPath, doc);
  } finally {
    t.dispose();
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cli export', () => {
  it('writes safetensors + card, and refuses a missing session with one line', async () => {
    const out = path.join(dir, 'st');
    const [ok, noFile] = await Promise.all([
      cli(['export', '--session', sessionPath, '--format', 'safetensors', '--out', out]),
      cli(['export', '--session', path.join(dir, 'nope.json'), '--format', 'python', '--out', out]),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['adaptation.json', 'model.safetensors']);
    const t = readSafetensors(readFileSync(path.join(out, 'model.safetensors'))).tensors;
    expect(t.map((x) => [x.name, x.shape])).toEqual([
      ['0.weight', [4, 1]],
      ['0.bias', [4]],
      ['2.weight', [1, 4]],
      ['2.bias', [1]],
    ]);
    expect([...t[2]!.data]).toEqual([...transpose2d(arrays[2]!, 4, 1)]);
    const card = JSON.parse(readFileSync(path.join(out, 'adaptation.json'), 'utf8'));
    expect(card).toMatchObject({ algorithm: 'maml', model: { layers: [1, 4, 1] } });
    expect(noFile.code).toBe(1);
    expect(noFile.stderr.trim().split('\n')).toHaveLength(1);
    expect(noFile.stderr).toMatch(/cannot read session file .*nope\.json: no such file/);
  });
});
