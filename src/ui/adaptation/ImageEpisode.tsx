/**
 * One image episode adapted (issue 13, item 5): a New episode button (N
 * held-out classes drawn reproducibly from the run's seed and a counter),
 * the K support images of each class, and a table of every query image
 * with its class and each model's predicted class and probability — the
 * meta-learned model and the baselines side by side. Right and wrong are
 * marked by a sign and a word as well as a colour.
 */
import { memo, useState } from 'react';
import { adaptationActions, useAppStore } from '../../store';
import { adaptationBusy } from '../../store/adaptation-actions';
import type { AdaptImages, AdaptResult } from '../../worker/adapt-types';
import { ImageThumb } from './ImageThumb';
import { modelLabel } from './models';
import {
  classLabel,
  episodeSentence,
  percentOf,
  queryClass,
  score,
  verdict,
} from './image-summary';

function NewEpisode() {
  const disabled = useAppStore(adaptationBusy);
  const seed = useAppStore((s) => s.setup.runConfig?.seed ?? s.setup.config.seed);
  const [draws, setDraws] = useState(0);
  return (
    <button
      type="button"
      disabled={disabled}
      onClick={() => {
        // A new draw per click, reproducible from the run's seed and the count, never Math.random.
        const n = draws + 1;
        setDraws(n);
        adaptationActions().setTask({ kind: 'random', seed: seed * 7919 + 104729 + n });
      }}
    >
      New episode
    </button>
  );
}

function SupportGrid({ img }: { img: AdaptImages }) {
  const { height, width, channels } = img;
  return (
    <ul className="support-grid" aria-label="Support images by class" data-testid="support-grid">
      {img.classNames.map((_, k) => (
        <li key={k}>
          <span className="class-tag">Class {classLabel(img.classNames, k)}</span>
          {Array.from({ length: img.shots }, (_, i) => (
            <ImageThumb
              key={i}
              pixels={img.support}
              index={k * img.shots + i}
              height={height}
              width={width}
              channels={channels}
              alt={`Support image ${i + 1} of class ${k + 1}`}
            />
          ))}
        </li>
      ))}
    </ul>
  );
}

function QueryTable({ result, img }: { result: AdaptResult; img: AdaptImages }) {
  const models = result.models.filter((m) => m.classes);
  const count = img.ways * img.queries;
  return (
    <table className="adapt-table query-table" data-testid="query-table">
      <caption>
        Every query image with its class and each model&apos;s prediction after {result.steps} step
        {result.steps === 1 ? '' : 's'}: predicted class and its probability, ✓ right or ✗ wrong
      </caption>
      <thead>
        <tr>
          <th scope="col">Query</th>
          <th scope="col">Class</th>
          {models.map((m) => {
            const s = score(m, img.queries);
            return (
              <th scope="col" key={m.name}>
                {modelLabel(m.name)}{' '}
                <span className="muted">
                  ({s.right}/{s.total})
                </span>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: count }, (_, j) => {
          const truth = queryClass(j, img.queries);
          return (
            <tr key={j}>
              <th scope="row">
                <ImageThumb
                  pixels={img.query}
                  index={j}
                  height={img.height}
                  width={img.width}
                  channels={img.channels}
                  alt={`Query image ${j + 1}, class ${truth + 1}`}
                />
              </th>
              <td>{truth + 1}</td>
              {models.map((m) => {
                const v = verdict(m, j, img.queries);
                if (!v) return <td key={m.name}>—</td>;
                return (
                  <td
                    key={m.name}
                    className={v.right ? 'verdict right' : 'verdict wrong'}
                    data-verdict={v.right ? 'right' : 'wrong'}
                  >
                    <span aria-hidden="true">{v.right ? '✓' : '✗'}</span>
                    <span className="visually-hidden">{v.right ? 'right:' : 'wrong:'}</span>{' '}
                    {v.predicted + 1} · {percentOf(v.probability)}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export const ImageEpisode = memo(function ImageEpisode({ result }: { result: AdaptResult }) {
  const img = result.images;
  if (!img) return null;
  return (
    <div className="image-episode" data-testid="image-episode">
      <div className="adapt-row">
        <NewEpisode />
        <span className="hint">
          {img.ways} held-out classes, {img.shots} support image{img.shots === 1 ? '' : 's'} each
        </span>
      </div>
      <p className="chart-summary" data-testid="image-episode-summary">
        {episodeSentence(result)}
      </p>
      <SupportGrid img={img} />
      <QueryTable result={result} img={img} />
    </div>
  );
});
