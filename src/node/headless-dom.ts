/**
 * Node-only: a DOM for headless notebook runs, from linkedom (lighter and faster than jsdom).
 *
 * Observable Plot draws continuous colour legends by painting a 256×1 canvas and embedding it
 * as an image; linkedom has no canvas (its getContext returns null without the native `canvas`
 * package). The stand-in below records the colours painted and returns them as a tiny SVG data
 * URL, so reports keep their continuous legends.
 */
import { parseHTML } from 'linkedom';

export function headlessDocument(): Document {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const createElement = document.createElement.bind(document);
  document.createElement = ((tag: string, options?: ElementCreationOptions) =>
    tag.toLowerCase() === 'canvas' ? canvasStandIn() : createElement(tag, options)) as typeof document.createElement;
  return document as unknown as Document;
}

/** Enough of a canvas for Plot's colour ramps: fillRect with a fillStyle, then toDataURL. */
function canvasStandIn(): HTMLCanvasElement {
  const fills: { x: number; y: number; w: number; h: number; colour: string }[] = [];
  const canvas = {
    width: 300,
    height: 150,
    getContext(kind: string) {
      if (kind !== '2d') return null;
      return {
        fillStyle: '#000',
        fillRect(x: number, y: number, w: number, h: number) {
          fills.push({ x, y, w, h, colour: String(this.fillStyle) });
        },
      };
    },
    toDataURL() {
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      const rects = fills
        .map((f) => `<rect x="${f.x}" y="${f.y}" width="${f.w}" height="${f.h}" fill="${esc(f.colour)}"/>`)
        .join('');
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas.width}" height="${canvas.height}" viewBox="0 0 ${canvas.width} ${canvas.height}" preserveAspectRatio="none" shape-rendering="crispEdges">${rects}</svg>`;
      return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    },
  };
  return canvas as unknown as HTMLCanvasElement;
}
