/**
 * The drawing surface: pen strokes from pointer events (mouse, pen and touch
 * alike; the pointer is captured so a stroke that leaves the canvas still
 * ends), drawn as the person sees them, dark ink on light paper. The
 * strokes are owned by the parent; this component reports each change and
 * each finished stroke (the moment to classify live).
 *
 * Keyboard: the canvas takes focus; the arrow keys move a pen cursor,
 * Space puts the pen down or lifts it (moves with the pen down draw), so a
 * symbol can be drawn without a pointer.
 *
 * Coordinates are canvas pixels (CANVAS_SIZE square); rasterize.ts fits them
 * to the model's frame, so the canvas's size does not matter to the model.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Point, Stroke } from './rasterize';

export const CANVAS_SIZE = 240;
/** the on-screen pen: about as wide relative to the canvas as the model's pen after fitting */
const PEN = 7;
const KEY_STEP = 10;

interface Props {
  strokes: readonly Stroke[];
  onChange: (strokes: Stroke[]) => void;
  /** a stroke was finished (pen lifted) */
  onStrokeEnd: (strokes: Stroke[]) => void;
  label: string;
  describedBy?: string;
}

function paint(canvas: HTMLCanvasElement, strokes: readonly Stroke[], cursor: Point | null): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#111';
  ctx.fillStyle = '#111';
  ctx.lineWidth = PEN;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    const first = s[0];
    if (!first) continue;
    if (s.length === 1) {
      ctx.beginPath();
      ctx.arc(first.x, first.y, PEN / 2, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first.x, first.y);
    for (const p of s.slice(1)) ctx.lineTo(p.x, p.y);
    ctx.stroke();
  }
  if (cursor) {
    ctx.strokeStyle = '#1565c0';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(cursor.x, cursor.y, PEN, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

export function DrawCanvas({ strokes, onChange, onStrokeEnd, label, describedBy }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  // The strokes as of the last event: pointer events can outrun React's re-render.
  const live = useRef<readonly Stroke[]>(strokes);
  useEffect(() => {
    live.current = strokes;
  }, [strokes]);
  const update = (next: Stroke[]) => {
    live.current = next;
    onChange(next);
  };
  const last = () => live.current[live.current.length - 1] ?? [];
  const without = () => live.current.slice(0, -1);
  /** the keyboard pen: where it is and whether it is down; null until the keyboard is used */
  const [cursor, setCursor] = useState<{ at: Point; down: boolean } | null>(null);

  useEffect(() => {
    if (ref.current) paint(ref.current, strokes, cursor?.at ?? null);
  }, [strokes, cursor]);

  const at = (e: PointerEvent<HTMLCanvasElement>): Point => {
    const r = e.currentTarget.getBoundingClientRect();
    const k = CANVAS_SIZE / (r.width || CANVAS_SIZE);
    return { x: (e.clientX - r.left) * k, y: (e.clientY - r.top) * k };
  };

  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    drawing.current = true;
    update([...live.current, [at(e)]]);
  };
  const move = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    update([...without(), [...last(), at(e)]]);
  };
  const up = () => {
    if (!drawing.current) return;
    drawing.current = false;
    onStrokeEnd([...live.current]);
  };

  const key = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const c = cursor ?? { at: { x: CANVAS_SIZE / 2, y: CANVAS_SIZE / 2 }, down: false };
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-KEY_STEP, 0],
      ArrowRight: [KEY_STEP, 0],
      ArrowUp: [0, -KEY_STEP],
      ArrowDown: [0, KEY_STEP],
    };
    const m = moves[e.key];
    if (m) {
      e.preventDefault();
      const clamp = (v: number) => Math.max(0, Math.min(CANVAS_SIZE, v));
      const next = { x: clamp(c.at.x + m[0]), y: clamp(c.at.y + m[1]) };
      if (c.down) {
        update([...without(), [...last(), next]]);
      }
      setCursor({ at: next, down: c.down });
    } else if (e.key === ' ') {
      e.preventDefault();
      if (c.down) onStrokeEnd([...live.current]);
      else update([...live.current, [c.at]]);
      setCursor({ at: c.at, down: !c.down });
    }
  };

  return (
    <canvas
      ref={ref}
      className="draw-canvas"
      width={CANVAS_SIZE}
      height={CANVAS_SIZE}
      tabIndex={0}
      role="application"
      aria-label={label}
      aria-describedby={describedBy}
      data-testid="draw-canvas"
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onKeyDown={key}
      onBlur={() => {
        if (cursor?.down) onStrokeEnd([...live.current]);
        setCursor(null);
      }}
    />
  );
}
