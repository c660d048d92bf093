/**
 * Draws recharts charts into a document without layout and returns their
 * SVG markup: the chart worker's work, kept apart from its messages so a
 * unit test can draw in Node.
 */
import { chartDocument } from './dom-installed';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { drawingElement } from './drawings';
import type { Drawing } from './protocol';
import { SAMPLES } from './samples';

export interface Renderer {
  draw(id: number, d: Drawing): Promise<string>;
  drop(id: number): void;
}

/**
 * Draw one sample of each kind and forget them: recharts' first render of a
 * kind costs several times a later one (code not yet compiled), and without
 * this it would land on the first chart of a run, when the worker competes
 * for the cores with training.
 */
export async function warmUp(r: Renderer): Promise<void> {
  for (const d of SAMPLES) {
    await r.draw(0, d);
    r.drop(0);
  }
}

const UNDRAWN = ['width', 'height', 'name', 'orientation', 'offset', 'radius'];

/** Geometry attributes whose numbers the page draws (data-* values stay exact: tests read them). */
const GEOMETRY = / (d|x|y|x1|x2|y1|y2|cx|cy|r|width|height|transform|viewBox)="([^"]*)"/g;

/**
 * Coordinates to a tenth of a pixel: recharts writes them with 15 digits, and
 * a 400-point line chart came to 26 kB of markup, most of it digits no screen
 * shows, which the page then parses on its main thread.
 */
function roundCoordinates(markup: string): string {
  return markup.replace(
    GEOMETRY,
    (_, name: string, value: string) =>
      ` ${name}="${value.replace(/-?\d+\.\d{2,}/g, (n) => String(Math.round(Number(n) * 10) / 10))}"`,
  );
}

/** Resolves once recharts' follow-up renders have stopped changing the markup. */
async function settled(host: HTMLElement): Promise<void> {
  // recharts fills its store in effects after the first commit and renders
  // again from it; a few macrotasks let those updates land (two equal reads
  // in a row: nothing more is coming).
  let last = '';
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 0));
    const now = host.innerHTML;
    if (now === last) break;
    last = now;
  }
}

interface Root {
  host: HTMLElement;
  root: ReturnType<typeof createRoot>;
  /** what recharts threw during this root's last render */
  last: { failure: unknown };
}

export function makeRenderer(): Renderer {
  const doc = chartDocument;
  const roots = new Map<number, Root>();
  return {
    async draw(id, d) {
      let entry = roots.get(id);
      if (!entry) {
        const host = doc.createElement('div');
        doc.body.appendChild(host);
        const last = { failure: null as unknown };
        const root = createRoot(host, {
          onUncaughtError: (e) => {
            last.failure = e;
          },
        });
        entry = { host, root, last };
        roots.set(id, entry);
      }
      entry.last.failure = null;
      const { host, root } = entry;
      flushSync(() => root.render(drawingElement(d)));
      await settled(host);
      if (roots.get(id) !== entry) throw new Error('the chart was dropped while it was drawn');
      const failure = entry.last.failure;
      if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
      // recharts copies a line's attributes onto its dots: the test id names the line alone.
      host.querySelectorAll('.recharts-dot').forEach((el) => el.removeAttribute('data-testid'));
      // The drawing is a picture (the page hides it from assistive technology and puts
      // the numbers in a sentence): nothing in it may take focus.
      host.querySelectorAll('[tabindex]').forEach((el) => el.removeAttribute('tabindex'));
      host.querySelectorAll('[role]').forEach((el) => el.removeAttribute('role'));
      // recharts copies its props onto every mark; these draw nothing there.
      host.querySelectorAll('line, circle, text, tspan').forEach((el) => {
        for (const name of UNDRAWN) el.removeAttribute(name);
      });
      // A white ground, so an exported SVG or PNG looks as it does on the page.
      const svg = host.querySelector('svg');
      // (once per root: React keeps the svg element between redraws, and the ground with it)
      if (svg && !svg.querySelector(':scope > rect[data-ground]')) {
        const ground = doc.createElementNS('http://www.w3.org/2000/svg', 'rect');
        ground.setAttribute('width', '100%');
        ground.setAttribute('height', '100%');
        ground.setAttribute('fill', '#ffffff');
        ground.setAttribute('data-ground', '');
        svg.insertBefore(ground, svg.firstChild);
      }
      return roundCoordinates(host.innerHTML);
    },
    drop(id) {
      const entry = roots.get(id);
      if (!entry) return;
      entry.root.unmount();
      entry.host.remove();
      roots.delete(id);
    },
  };
}
