/**
 * The image upload in the store: uploadImages sends the input size, the
 * channels and the K + Q of the image configuration it will train with;
 * a staged upload in use switches an MLP configuration to the image
 * defaults lowered to the data's limits, and a refusal changes neither the
 * staged upload nor the data in use; events of an older upload are ignored;
 * an empty folder is refused in the page.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createActions, type Actions } from '../../../src/store/actions';
import { initialState, type AppState } from '../../../src/store/slices';
import type { Command, ImagesStaged, WorkerEvent } from '../../../src/worker/protocol';

let sent: Command[];
let store: StoreApi<AppState>;
let a: Actions;

const staged = (uploadId: number): ImagesStaged => ({
  uploadId,
  summary: {
    name: 'letters.zip',
    imageShape: { height: 28, width: 28, channels: 1 },
    inverted: true,
    classes: [],
    thumbSize: 24,
    images: 70,
    skippedNonImages: 0,
    ignored: 0,
    formats: { png: 70 },
    sizes: { minWidth: 28, maxWidth: 28, minHeight: 28, maxHeight: 28 },
    splitSizes: { train: 6, val: 2, test: 2 },
    problems: [],
  },
  limits: { shots: 6, ways: 2, queries: 6 },
  settings: { size: 28, channels: 1, minPerClass: 6, splitSeed: 0 },
  sha256: 'ab'.repeat(32),
  inUse: true,
});

const loaded: WorkerEvent = {
  type: 'data-loaded',
  summary: {
    name: 'letters.zip',
    kind: 'classification',
    inputDim: 784,
    description: 'letters.zip: 70 images',
    splitSizes: { train: 6, val: 2, test: 2 },
    imageShape: { height: 28, width: 28, channels: 1 },
    limits: { shots: 6, ways: 2, queries: 6 },
    upload: 'images',
  },
};

const zip = () => ({ kind: 'zip' as const, file: new File([new Uint8Array(4)], 'letters.zip') });

beforeEach(() => {
  sent = [];
  store = createStore<AppState>()(() => ({
    ...initialState(),
    run: { ...initialState().run, status: 'idle' },
  }));
  a = createActions(store, { send: (c) => sent.push(c) }, () => 0);
});

describe('image uploads in the store', () => {
  it('sends the input and the K + Q of the image defaults, and trains on it at once without a run', () => {
    a.setImageInput(42, 3);
    a.uploadImages(zip());
    const cmd = sent[0] as Extract<Command, { type: 'images-stage' }>;
    expect(cmd.type).toBe('images-stage');
    // The MLP configuration in use becomes ProtoNet on Conv-4, 1-shot with 5 queries.
    expect(cmd.settings).toMatchObject({ size: 42, channels: 3, minPerClass: 6 });
    expect(cmd.use).toBe(true);
    expect(store.getState().images.reading).toBe('letters.zip');
  });

  it('the upload in use switches to the image defaults lowered to the data', () => {
    expect(store.getState().setup.config.backbone).not.toBe('conv4');
    a.uploadImages(zip());
    a.receive([{ type: 'images-staged', ...staged(1) }, loaded]);
    const s = store.getState();
    expect(s.images).toMatchObject({ reading: null, inUse: true, refusal: null });
    expect(s.csv.inUse).toBe(false);
    expect(s.setup.config).toMatchObject({ backbone: 'conv4', algorithm: 'protonet', ways: 2 });
    expect(s.csv.lowered).toEqual(['ways']);
    expect(s.setup.configNote).toMatch(/image defaults/);
  });

  it('a refusal keeps what was staged and in use; older events are ignored', () => {
    a.uploadImages(zip());
    a.receive([{ type: 'images-staged', ...staged(1) }, loaded]);
    const before = store.getState();
    a.uploadImages(zip());
    a.receive([{ type: 'images-staged', ...staged(1), inUse: false }]);
    expect(store.getState().images.staged).toBe(before.images.staged);
    a.receive([{ type: 'images-refused', uploadId: 2, name: 'bomb.zip', message: 'too big' }]);
    const s = store.getState();
    expect(s.images.refusal).toEqual({ name: 'bomb.zip', message: 'too big' });
    expect(s.images.staged).toBe(before.images.staged);
    expect(s.setup.data).toBe(before.setup.data);
    expect(s.images.reading).toBeNull();
  });

  it('an empty folder is refused in the page, nothing sent', () => {
    a.uploadImages({ kind: 'folder', name: 'The chosen folder', files: [] });
    expect(sent).toEqual([]);
    expect(store.getState().images.refusal?.message).toMatch(/The chosen folder is empty/);
  });
});
