/**
 * "Draw to adapt" (issue 13): on a grayscale image task (Omniglot), once a
 * model is kept, the person draws a few examples of each of N symbols of
 * their own, then a query, and sees it classified by the meta-learned model
 * adapted to their examples in the worker, live after every stroke.
 *
 * The drawings become the model's input on the page (rasterize.ts, the way
 * the Omniglot asset was made); examples and the prediction live in the
 * store's draw slice, the strokes being drawn in this component only.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { drawActions, useAppStore } from '../../store';
import { canDraw, MAX_SYMBOLS } from '../../store/draw-actions';
import { drawReady, MIN_SYMBOLS } from '../../store/draw-slice';
import { DrawCanvas } from './DrawCanvas';
import { Examples } from './Examples';
import { Prediction } from './Prediction';
import { rasterize, type Stroke } from './rasterize';
import { Thumbnail } from './Thumbnail';
import './draw.css';

export function DrawPanel() {
  const shape = useAppStore((s) => s.setup.data?.imageShape);
  if (!shape) return null;
  return (
    <section className="panel draw" aria-labelledby="draw-h">
      <h2 id="draw-h">Draw to adapt</h2>
      {shape.channels === 1 ? (
        <DrawBody size={shape.height} />
      ) : (
        <p className="hint">
          Drawing needs a model trained on grayscale images, such as Omniglot; these are colour.
        </p>
      )}
    </section>
  );
}

/** What happens, in words, for the kept model's algorithm. */
function Explanation({ size }: { size: number }) {
  const config = useAppStore((s) => s.setup.runConfig ?? s.setup.config);
  const how =
    config.algorithm === 'protonet'
      ? 'The network embeds each example; the prototype of a symbol is the mean embedding of its examples, and the query goes to the nearest prototype (a softmax over minus the squared distances). No weight changes.'
      : config.algorithm === 'anil'
        ? `The network's head (its last layer) takes ${config.evalInnerSteps} gradient steps at α = ${config.innerLr} on your examples, the body staying as meta-learned; then it classifies the query.`
        : `The whole network takes ${config.evalInnerSteps} gradient steps at α = ${config.innerLr} on your examples, starting from the meta-learned weights (the inner loop of evaluation); then it classifies the query.`;
  return (
    <div className="hint draw-explain">
      <p>
        Invent a few symbols the model has never seen, draw one or more examples of each (with the
        mouse, a pen or a finger, or the arrow keys and Space) and add each to its symbol. Then draw
        a query: it is classified after every stroke by the meta-learned model, adapted in the
        worker to your examples alone. The model was meta-trained {config.ways}-way {config.shots}
        -shot, so {config.shots} example
        {config.shots === 1 ? '' : 's'} of each symbol is what it expects.
      </p>
      <p>
        Each drawing becomes a {size}×{size} grayscale image the way the Omniglot images were made:
        scaled to the size Omniglot characters have in their frame, centred, drawn with their pen
        width, and averaged over each pixel&apos;s area (ink = 1, paper = 0). {how} Batch norm takes
        its statistics from your examples together with the query.
      </p>
    </div>
  );
}

function DrawBody({ size }: { size: number }) {
  const ready = useAppStore(canDraw);
  const hasModel = useAppStore((s) => s.adaptation.hasModel);
  const symbols = useAppStore((s) => s.draw.symbols);
  const complete = useAppStore((s) => drawReady(s.draw));
  const pending = useAppStore((s) => s.draw.pending);
  const waiting = useAppStore((s) => s.draw.waiting !== null);
  const limit = useAppStore((s) => {
    const c = s.setup.runConfig ?? s.setup.config;
    return c.algorithm === 'protonet' ? MAX_SYMBOLS : c.ways;
  });
  const [strokes, setStrokes] = useState<Stroke[]>([]);
  const image = useMemo(() => rasterize(strokes, { size }), [strokes, size]);
  const explainId = useId();
  const symbolsId = useId();
  const empty = strokes.length === 0;

  // A model trained N-way with a head tells apart at most N symbols.
  useEffect(() => {
    if (symbols > limit && limit >= MIN_SYMBOLS) drawActions().setSymbols(limit);
  }, [symbols, limit]);

  // A query drawn while the previous one was being classified goes as soon as that answer is in.
  useEffect(() => {
    if (!pending && waiting) drawActions().flush();
  }, [pending, waiting]);

  const classify = (s: readonly Stroke[]) => {
    if (s.length > 0) drawActions().classify(rasterize(s, { size }));
  };
  const add = (k: number) => {
    drawActions().addExample(k, image, size);
    setStrokes([]);
  };

  return (
    <>
      <Explanation size={size} />
      {!hasModel && (
        <p className="hint">
          Train a model on these images (or stop a run, or open a session) to draw your own symbols.
        </p>
      )}
      {hasModel && !ready && <p className="hint">Stop the run to draw: the model is training.</p>}
      <div className="field draw-symbols">
        <label htmlFor={symbolsId}>Symbols</label>
        <select
          id={symbolsId}
          value={symbols}
          onChange={(e) => drawActions().setSymbols(Number(e.target.value))}
        >
          {Array.from({ length: Math.max(0, limit - MIN_SYMBOLS + 1) }, (_, i) => (
            <option key={i} value={i + MIN_SYMBOLS}>
              {i + MIN_SYMBOLS}
            </option>
          ))}
        </select>
      </div>
      <div className="draw-row">
        <div className="draw-pad">
          <DrawCanvas
            strokes={strokes}
            onChange={setStrokes}
            onStrokeEnd={(s) => {
              if (ready && complete) classify(s);
            }}
            label="Drawing area"
            describedBy={explainId}
          />
          <p id={explainId} className="hint">
            Draw here with the mouse, a pen or a finger; with the keyboard, the arrow keys move the
            pen and Space puts it down or lifts it.
          </p>
          <div className="draw-buttons">
            <button type="button" disabled={empty} onClick={() => setStrokes([])}>
              Clear drawing
            </button>
            {Array.from({ length: symbols }, (_, k) => (
              <button key={k} type="button" disabled={empty} onClick={() => add(k)}>
                Add as example of symbol {k + 1}
              </button>
            ))}
            <button
              type="button"
              disabled={empty || !ready || !complete}
              onClick={() => classify(strokes)}
            >
              Classify
            </button>
          </div>
          {!complete && (
            <p className="hint">Add at least one example of every symbol to classify a query.</p>
          )}
        </div>
        <div className="draw-seen">
          <Thumbnail
            image={image}
            size={size}
            scale={112}
            label={`The drawing as the model sees it, ${size}×${size} pixels`}
          />
          <p className="hint">
            What the model sees ({size}×{size})
          </p>
        </div>
      </div>
      <Prediction size={size} />
      <h3>Your symbols</h3>
      <Examples />
    </>
  );
}
