/**
 * "SVG" and "PNG" buttons for a figure drawn as SVG: the SVG is serialized as
 * it is on screen (its styles are attributes, so the file looks the same);
 * the PNG is that SVG drawn onto a canvas at twice the size.
 */
import type { RefObject } from 'react';
import { downloadBlob, downloadText } from './download';

function svgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.removeAttribute('aria-hidden');
  return new XMLSerializer().serializeToString(clone);
}

async function pngBlob(svg: SVGSVGElement, scale = 2): Promise<Blob | null> {
  const w = svg.width.baseVal.value;
  const h = svg.height.baseVal.value;
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function ImageExport(p: {
  svg: RefObject<SVGSVGElement | null>;
  name: string;
  what: string;
}) {
  return (
    <span className="image-export">
      <button
        type="button"
        aria-label={`Export ${p.what} as SVG`}
        onClick={() => {
          if (p.svg.current) downloadText(`${p.name}.svg`, svgText(p.svg.current), 'image/svg+xml');
        }}
      >
        SVG
      </button>
      <button
        type="button"
        aria-label={`Export ${p.what} as PNG`}
        onClick={() => {
          const svg = p.svg.current;
          if (!svg) return;
          void pngBlob(svg).then((b) => b && downloadBlob(`${p.name}.png`, b));
        }}
      >
        PNG
      </button>
    </span>
  );
}
