/**
 * The drawn examples, grouped by symbol: each as the 28×28 image the model
 * gets, with a button to remove it; and one to forget them all.
 */
import { drawActions, useAppStore } from '../../store';

import { Thumbnail } from './Thumbnail';

export function Examples() {
  const symbols = useAppStore((s) => s.draw.symbols);
  const examples = useAppStore((s) => s.draw.examples);
  return (
    <div className="draw-examples" data-testid="draw-examples">
      {Array.from({ length: symbols }, (_, k) => {
        const mine = examples.map((e, i) => ({ e, i })).filter(({ e }) => e.symbol === k);
        return (
          <div key={k} className="draw-symbol" role="group" aria-label={`Symbol ${k + 1}`}>
            <h4>
              Symbol {k + 1}: {mine.length} example{mine.length === 1 ? '' : 's'}
            </h4>
            {mine.length === 0 && <p className="hint">None yet.</p>}
            <ul>
              {mine.map(({ e, i }, j) => (
                <li key={i}>
                  <Thumbnail
                    image={e.image}
                    size={e.size}
                    scale={40}
                    label={`Example ${j + 1} of symbol ${k + 1}`}
                  />
                  <button
                    type="button"
                    className="draw-remove"
                    onClick={() => drawActions().removeExample(i)}
                    aria-label={`Remove example ${j + 1} of symbol ${k + 1}`}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
      <button
        type="button"
        disabled={examples.length === 0}
        onClick={() => drawActions().clearAll()}
      >
        Remove all examples
      </button>
    </div>
  );
}
