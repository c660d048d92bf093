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
export function roundCoordinates(markup: string): string {
  return markup.replace(
    GEOMETRY,
    (_, name: string, value: string) => ` ${name}="${value.replace(/(-?\d+\.\d)\d+/g, '$1')}"`,
  );
}

export function makeRenderer(): Renderer {
  const doc = chartDocument;
  const roots = new Map<number, { host: HTMLElement; root: ReturnType<typeof createRoot> }>();
  let failure: unknown = null;
  return {
    async draw(id, d) {
      let entry = roots.get(id);
      if (!entry) {
        const host = doc.createElement('div');
        doc.body.appendChild(host);
        const root = createRoot(host, {
          onUncaughtError: (e) => {
            failure = e;
          },
        });
        entry = { host, root };
        roots.set(id, entry);
      }
      failure = null;
      const { host, root } = entry;
      flushSync(() => root.render(drawingElement(d)));
      // recharts fills its store in effects after the first commit and renders
      // again from it; one macrotask lets those updates land.
      await new Promise((r) => setTimeout(r, 0));
      if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
      // The band's border lines are drawn with no stroke: leave them out of the markup.
      host.querySelectorAll('.recharts-area-curve').forEach((el) => el.remove());
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
      if (svg) {
        const ground = doc.createElementNS('http://www.w3.org/2000/svg', 'rect');
        ground.setAttribute('width', '100%');
        ground.setAttribute('height', '100%');
        ground.setAttribute('fill', '#ffffff');
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
