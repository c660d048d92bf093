/**
 * An image session (issue 13, point 8): a ProtoNet Conv-4 run on the
 * built-in Omniglot, saved and read back, names its data by the family's
 * name (no images in the file), keeps the network's settings and weights,
 * and reopens with the image shape of its data; its share link carries the
 * weights and never the images (its length is printed as a measurement).
 * A session on an uploaded folder keeps the folder's name, SHA-256 and
 * contents (file and class hashes) through the file and the share link,
 * and neither carries a byte of its images.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetLoader } from '../../../src/cli/assets';
import { loadBuiltinSource } from '../../../src/core/data/builtin';
import type { TaskSource } from '../../../src/core/data/types';
import { imageDefaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import type { TrainState } from '../../../src/core/train/trainer';
import { specFor } from '../../../src/core/algorithms/index';
import { initParamArrays, type ModelSpec } from '../../../src/core/models/model';
import { Rng } from '../../../src/core/rng';
import {
  decodeShareFragment,
  parseSessionBytes,
  serializeSession,
  shareFragmentFor,
} from '../../../src/sessions/codec';
import { CONV_SHARE_BYTES } from '../../../src/sessions/limits';
import { builtinDataset, sessionDocFromKept } from '../../../src/worker/session-io';
import { keptFromSession, sessionIsConv } from '../../../src/worker/kept-run';
import { useCpu } from '../../helpers/tf-cpu';
import { jsImageDecoder } from '../../../src/core/data/images/js-decoder';
import { DataStage } from '../../../src/worker/data-stage';
import { encodeBase64 } from '../../../src/sessions/base64';
import { letterFiles } from '../images/fixtures';
import { collector } from '../worker/pieces';

const config: TrainConfig = {
  ...imageDefaultConfig('protonet'),
  queries: 2,
  metaSteps: 2,
  valEvery: 100,
};

let source: TaskSource;
let spec: ModelSpec;
let state: TrainState;

/**
 * A run two steps in, made up rather than trained (Conv-4 on the pure-JS
 * CPU backend is slow): the session code only moves the numbers.
 */
beforeAll(async () => {
  await useCpu();
  source = await loadBuiltinSource('omniglot', nodeAssetLoader());
  spec = specFor('protonet', source, config);
  const params = initParamArrays(spec, new Rng(5));
  state = {
    step: 2,
    params,
    optimizer: null,
    rng: new Rng(config.seed).state(),
    best: { step: 2, value: 0.9, arrays: params.map((a) => a.map((v) => v * 0.5)) },
    sinceImprovement: 0,
    history: {
      train: [
        { step: 1, trainLoss: 1.6 },
        { step: 2, trainLoss: 1.4 },
      ],
      validation: [],
    },
  };
}, 60_000);

const kept = () => ({
  config,
  state,
  model: { spec, arrays: state.params, adaptStyle: 'protonet' as const },
});

describe('an Omniglot session', () => {
  it('saves and reopens by the family name, with the network and weights', async () => {
    const doc = sessionDocFromKept(kept(), await builtinDataset('omniglot'), 'cpu', 'stopped');
    expect(doc.dataset).toMatchObject({ source: 'builtin', name: 'omniglot' });
    expect(doc.dataset.rows).toBeUndefined();
    const bytes = serializeSession(doc, { gzip: true });
    const read = parseSessionBytes(bytes);
    if (!read.ok) throw new Error(read.error);
    expect(read.session.config).toMatchObject({ backbone: 'conv4', filters: 32 });
    expect(sessionIsConv(read.session)).toBe(true);
    expect(() => keptFromSession(read.session)).toThrow(/image shape/);
    const back = keptFromSession(read.session, source.imageShape);
    expect(back.model.spec).toEqual({
      kind: 'conv4',
      imageShape: { height: 28, width: 28, channels: 1 },
      filters: 32,
      outputDim: 0,
    });
    expect(back.model.adaptStyle).toBe('protonet');
    expect(back.state.step).toBe(2);
    expect(back.state.best.arrays).toEqual(state.best.arrays);
    console.log(`measurement: Omniglot Conv-4 (32) session file ${bytes.length} bytes gzipped`);
  });

  it('shares a link with the weights and never the images', async () => {
    const doc = sessionDocFromKept(kept(), await builtinDataset('omniglot'), 'cpu', 'stopped');
    // The page shares a conv session with this budget (64 KiB cannot hold Conv-4's weights).
    const res = shareFragmentFor(doc, { maxBytes: CONV_SHARE_BYTES });
    if (!res.ok) throw new Error(res.error);
    console.log(
      `measurement: Omniglot Conv-4 (32) share link fragment ${res.fragment.length} characters (checkpoint ${res.droppedCheckpoint ? 'left out' : 'kept'})`,
    );
    const weightFloats = state.params.reduce((n, a) => n + a.length, 0);
    // The images alone are 4 MB; the link is of the order of the weights (4 bytes a float, base64).
    expect(res.fragment.length).toBeLessThan(4 * weightFloats * 3);
    const back = decodeShareFragment(res.fragment);
    if (!back.ok) throw new Error(back.error);
    expect(back.session.dataset).toMatchObject({ source: 'builtin', name: 'omniglot' });
    expect(back.session.dataset.rows).toBeUndefined();
    const reopened = keptFromSession(back.session, source.imageShape);
    expect(reopened.state.best.arrays).toEqual(state.best.arrays);
  });
});

describe('a session on an uploaded image folder', () => {
  it('keeps the folder by name, SHA-256 and contents; its file and link carry no image', async () => {
    const files = letterFiles(['a', 'b', 'c', 'd', 'e', 'f'], 3, 28);
    const d = new DataStage(collector().post, () => {}, null, jsImageDecoder);
    const upload = {
      kind: 'folder' as const,
      name: 'letters',
      files: Object.entries(files).map(([path, bytes]) => ({
        path,
        file: new File([bytes as Uint8Array<ArrayBuffer>], path),
      })),
    };
    const settings = { size: 28, channels: 1 as const, minPerClass: 3, splitSeed: 1 };
    await d.stageImages(1, upload, settings, true);
    const dataset = d.datasetOf(d.source!)!;
    expect(dataset).toMatchObject({ source: 'images', name: 'letters' });
    expect(dataset.contents?.classes).toHaveLength(6);
    const doc = sessionDocFromKept(kept(), dataset, 'cpu', 'stopped');
    const read = parseSessionBytes(serializeSession(doc, { gzip: true }));
    if (!read.ok) throw new Error(read.error);
    expect(read.session.dataset).toEqual(dataset);
    const res = shareFragmentFor(doc, { maxBytes: CONV_SHARE_BYTES });
    if (!res.ok) throw new Error(res.error);
    const back = decodeShareFragment(res.fragment);
    if (!back.ok) throw new Error(back.error);
    expect(back.session.dataset).toEqual(dataset);
    expect(back.session.weights?.shapes).toEqual(doc.weights?.shapes);
    // No image travels: no run of any image's bytes (base64, as weights are written).
    const json = JSON.stringify(back.session);
    for (const bytes of Object.values(files))
      expect(json).not.toContain(encodeBase64(bytes.slice(8, 56)).slice(4, 40));
    expect(JSON.stringify(back.session.dataset).length).toBeLessThan(1500);
  });
});
