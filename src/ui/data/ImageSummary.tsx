/**
 * The summary of a staged image upload, shown before the person trains on
 * it: images and classes, the sizes seen, the split of the classes into
 * meta-train / val / test, a table of images per class, a thumbnail grid
 * (each class's first image, named for screen readers) and every file or
 * class that was skipped, with counts by reason. All of it plain text: a
 * file name with markup in it is shown, never interpreted.
 */
import { useEffect, useRef } from 'react';
import { actions, useAppStore } from '../../store';
import type { ImagesStaged } from '../../worker/protocol';

type Summary = ImagesStaged['summary'];
type ProblemKind = Summary['problems'][number]['kind'];

const REASONS: Record<ProblemKind, (n: number) => string> = {
  'not-image': (n) => `${n} file${n === 1 ? ' is' : 's are'} not an image`,
  unsupported: (n) => `${n} image${n === 1 ? '' : 's'} in a format this browser cannot decode`,
  'too-large': (n) => `${n} image${n === 1 ? ' is' : 's are'} over the size limit`,
  corrupt: (n) => `${n} image${n === 1 ? ' is' : 's are'} corrupt`,
  'no-class': (n) => `${n} image${n === 1 ? ' is' : 's are'} not inside a class folder`,
  'small-class': (n) => `${n} class${n === 1 ? ' has' : 'es have'} too few images`,
};

const SPLIT_LABELS = { train: 'meta-train', val: 'meta-val', test: 'meta-test' } as const;

/** "12 files skipped: 1 is not an image, 2 images are corrupt; 1 class left out …" */
export function skippedText(s: Summary): string {
  const counts = new Map<ProblemKind, number>();
  for (const p of s.problems) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  const files = s.problems.filter((p) => p.kind !== 'small-class').length;
  const reasons = [...counts].map(([k, n]) => REASONS[k](n));
  if (reasons.length === 0) return 'No file was skipped.';
  return `${files} file${files === 1 ? '' : 's'} skipped: ${reasons.join(', ')}.`;
}

function Thumb({ bytes, size, channels }: { bytes: Uint8Array; size: number; channels: 1 | 3 }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      for (let c = 0; c < 3; c++)
        img.data[i * 4 + c] = bytes[channels === 1 ? i : i * 3 + c] as number;
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [bytes, size, channels]);
  return <canvas ref={ref} width={size} height={size} className="image-thumb" aria-hidden="true" />;
}

export function ImageSummary() {
  const staged = useAppStore((s) => s.images.staged);
  const inUse = useAppStore((s) => s.images.inUse);
  const lowered = useAppStore((s) => s.csv.lowered);
  const config = useAppStore((s) => s.setup.config);
  if (!staged) return null;
  const s = staged.summary;
  const { width, height, channels } = s.imageShape;
  const sizes =
    s.sizes.minWidth === s.sizes.maxWidth && s.sizes.minHeight === s.sizes.maxHeight
      ? `${s.sizes.minWidth}×${s.sizes.minHeight}`
      : `${s.sizes.minWidth}–${s.sizes.maxWidth} × ${s.sizes.minHeight}–${s.sizes.maxHeight}`;
  const formats = Object.entries(s.formats)
    .map(([f, n]) => `${n} ${f.toUpperCase()}`)
    .join(', ');
  const split = `${s.splitSizes.train} / ${s.splitSizes.val} / ${s.splitSizes.test} classes`;
  return (
    <div className="image-summary" data-testid="images-summary">
      <h3>
        {s.name} <span className="help">{inUse ? '(in use)' : '(not in use)'}</span>
      </h3>
      {!inUse && (
        <p className="notice notice-staged" data-testid="images-staged-note">
          These images are read but not in use yet.{' '}
          <button type="button" className="primary" onClick={() => actions().useImages()}>
            Use these images
          </button>
        </p>
      )}
      <dl className="csv-stats">
        <div>
          <dt>Images</dt>
          <dd data-testid="images-count">
            {s.images} images in {s.classes.length} classes
          </dd>
        </div>
        <div>
          <dt>Original sizes</dt>
          <dd>
            {sizes} ({formats})
          </dd>
        </div>
        <div>
          <dt>Model input</dt>
          <dd>
            {width}×{height} {channels === 1 ? 'grayscale' : 'RGB'}
            {s.inverted ? ', inverted (dark strokes on light paper become ink = 1)' : ''}
          </dd>
        </div>
        <div>
          <dt>Meta-train / val / test</dt>
          <dd data-testid="images-split">{split}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd data-testid="images-skipped">{skippedText(s)}</dd>
        </div>
      </dl>
      {s.problems.length > 0 && (
        <ul className="image-problems" data-testid="images-problems">
          {s.problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      {inUse && lowered.length > 0 && (
        <p className="notice notice-warn" data-testid="images-lowered">
          Lowered to fit these classes:{' '}
          {lowered
            .map((k) => `${k === 'shots' ? 'K' : k === 'ways' ? 'N' : 'queries'} = ${config[k]}`)
            .join(', ')}
          .
        </p>
      )}
      <table className="image-classes">
        <caption>Images per class and the split of the classes</caption>
        <thead>
          <tr>
            <th scope="col">First image</th>
            <th scope="col">Class</th>
            <th scope="col">Split</th>
            <th scope="col">Images</th>
          </tr>
        </thead>
        <tbody data-testid="images-classes">
          {s.classes.map((c) => (
            <tr key={c.name}>
              <td>
                <span role="img" aria-label={`first image of class ${c.name}`}>
                  <Thumb bytes={c.thumbnail} size={s.thumbSize} channels={channels} />
                </span>
              </td>
              <th scope="row">{c.name}</th>
              <td>{SPLIT_LABELS[c.split]}</td>
              <td>{c.images}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
