/**
 * Everything the viewer writes: the view as PNG and SVG (each with the
 * classification banner), the bundle with its layout, the working state, and
 * a node's details as an HTML document. Documents are built with DOM calls
 * and textContent and then serialised, so data never becomes markup.
 */
import type Sigma from 'sigma';
import { drawOnCanvas } from '@sigma/export-image';
import type { ViewerBundle } from '@ocgnet/bundle';

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadJson(value: unknown, fileName: string): void {
  download(new Blob([JSON.stringify(value)], { type: 'application/json' }), fileName);
}

/** "OFFICIAL-SENSITIVE — handling C (conditions: …)": the classification, the handling code and every condition, in full. */
export function bannerText(bundle: ViewerBundle): string {
  const { handling, conditions } = bundle.marking;
  return `${bundle.classification} — handling ${handling}${conditions.length > 0 ? ` (conditions: ${conditions.join('; ')})` : ''}`;
}

/**
 * The banner as drawn in the PNG and SVG exports: red, white bold text at a
 * fixed legible size, wrapped onto as many lines as the marking needs (never
 * squeezed to fit, never cut off). Sizes are in CSS pixels.
 */
export const EXPORT_BANNER = Object.freeze({
  fontSize: 14,
  lineHeight: 18,
  padding: 6,
  margin: 10,
  fill: '#b00020',
  colour: '#ffffff',
  fontFamily: 'sans-serif',
});

function bannerFont(scale = 1): string {
  return `bold ${EXPORT_BANNER.fontSize * scale}px ${EXPORT_BANNER.fontFamily}`;
}

/**
 * Splits `text` into lines no wider than `maxWidth` by `measure`: at spaces,
 * and inside a word only when the word alone is wider than a line. Every
 * character of `text` but the spaces where lines break is kept.
 */
export function wrapLines(text: string, maxWidth: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (measure(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    // A word wider than a whole line is broken between characters.
    let rest = word;
    while (measure(rest) > maxWidth) {
      let cut = 1;
      while (cut < rest.length && measure(rest.slice(0, cut + 1)) <= maxWidth) cut++;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

let measuring: CanvasRenderingContext2D | null = null;

/** The banner's lines for a drawing `width` CSS pixels wide, measured with the banner's font. */
export function bannerLines(bundle: ViewerBundle, width: number): string[] {
  measuring ??= document.createElement('canvas').getContext('2d');
  const context = measuring!;
  context.font = bannerFont();
  // SVG readers may substitute a slightly wider sans-serif: leave them a tenth of the line.
  return wrapLines(
    bannerText(bundle),
    Math.max(40, (width - 2 * EXPORT_BANNER.margin) * 0.9),
    (text) => context.measureText(text).width,
  );
}

/** Height of a banner of `lines` lines, in CSS pixels. */
export function bannerHeight(lines: number): number {
  return lines * EXPORT_BANNER.lineHeight + 2 * EXPORT_BANNER.padding;
}

export async function viewAsPng(sigma: Sigma, bundle: ViewerBundle): Promise<Blob> {
  const canvas = await drawOnCanvas(sigma, { backgroundColor: '#ffffff' });
  const { width } = sigma.getDimensions();
  // drawOnCanvas draws at the device pixel ratio: the banner follows it.
  const scale = width > 0 ? canvas.width / width : 1;
  const lines = bannerLines(bundle, width);
  const banner = Math.ceil(bannerHeight(lines.length) * scale);
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height + 2 * banner;
  const context = out.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, out.width, out.height);
  context.drawImage(canvas, 0, banner);
  for (const y of [0, banner + canvas.height]) {
    context.fillStyle = EXPORT_BANNER.fill;
    context.fillRect(0, y, out.width, banner);
    context.fillStyle = EXPORT_BANNER.colour;
    context.font = bannerFont(scale);
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    lines.forEach((line, i) =>
      context.fillText(line, out.width / 2, y + (EXPORT_BANNER.padding + (i + 0.5) * EXPORT_BANNER.lineHeight) * scale),
    );
  }
  return new Promise((resolve, reject) =>
    out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG export failed'))), 'image/png'),
  );
}

const SVG = 'http://www.w3.org/2000/svg';

function svgElement(name: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** The visible nodes and edges as drawn now (sigma's display data, in viewport pixels). */
export function viewAsSvg(sigma: Sigma, bundle: ViewerBundle): string {
  const { width, height } = sigma.getDimensions();
  const lines = bannerLines(bundle, width);
  const banner = bannerHeight(lines.length);
  const root = svgElement('svg', {
    xmlns: SVG,
    width,
    height: height + 2 * banner,
    viewBox: `0 0 ${width} ${height + 2 * banner}`,
  });
  root.append(svgElement('rect', { x: 0, y: 0, width, height: height + 2 * banner, fill: '#ffffff' }));
  const graph = sigma.getGraph();
  const edges = svgElement('g', { 'stroke-linecap': 'round' });
  graph.forEachEdge((edge, _attributes, source, target) => {
    const display = sigma.getEdgeDisplayData(edge);
    const a = sigma.getNodeDisplayData(source);
    const b = sigma.getNodeDisplayData(target);
    if (!display || display.hidden || !a || !b || a.hidden || b.hidden) return;
    const p = sigma.framedGraphToViewport(a);
    const q = sigma.framedGraphToViewport(b);
    edges.append(
      svgElement('line', {
        x1: p.x.toFixed(1),
        y1: (p.y + banner).toFixed(1),
        x2: q.x.toFixed(1),
        y2: (q.y + banner).toFixed(1),
        stroke: display.color,
        'stroke-width': Math.max(0.5, display.size),
      }),
    );
  });
  root.append(edges);
  const nodes = svgElement('g', {});
  const labels = svgElement('g', { 'font-family': 'sans-serif', 'font-size': 11, fill: '#222222' });
  const ratio = sigma.getCamera().ratio;
  graph.forEachNode((node) => {
    const display = sigma.getNodeDisplayData(node) as
      (ReturnType<Sigma['getNodeDisplayData']> & { ringColor?: string }) | undefined;
    if (!display || display.hidden) return;
    const p = sigma.framedGraphToViewport(display);
    const radius = Math.max(1, sigma.scaleSize(display.size, ratio));
    const circle = svgElement('circle', {
      cx: p.x.toFixed(1),
      cy: (p.y + banner).toFixed(1),
      r: radius.toFixed(1),
      fill: display.color,
    });
    if (display.type === 'ringed' && display.ringColor) {
      circle.setAttribute('stroke', display.ringColor);
      circle.setAttribute('stroke-width', String(Math.max(2, radius * 0.38)));
    }
    const title = document.createElementNS(SVG, 'title');
    title.textContent = String(display.label ?? node);
    circle.append(title);
    nodes.append(circle);
    if (display.forceLabel || radius >= 7) {
      const label = svgElement('text', { x: (p.x + radius + 2).toFixed(1), y: (p.y + banner + 4).toFixed(1) });
      label.textContent = String(display.label ?? node);
      labels.append(label);
    }
  });
  root.append(nodes, labels);
  // The marking, top and bottom: one <text> per wrapped line, each within the drawing's width.
  for (const [position, y] of [
    ['top', 0],
    ['bottom', banner + height],
  ] as const) {
    const group = svgElement('g', {
      class: 'marking',
      'data-position': position,
      'text-anchor': 'middle',
      'font-family': EXPORT_BANNER.fontFamily,
      'font-size': EXPORT_BANNER.fontSize,
      'font-weight': 'bold',
      fill: EXPORT_BANNER.colour,
    });
    group.append(svgElement('rect', { x: 0, y, width, height: banner, fill: EXPORT_BANNER.fill }));
    lines.forEach((line, i) => {
      const text = svgElement('text', {
        x: width / 2,
        y: (y + EXPORT_BANNER.padding + (i + 0.5) * EXPORT_BANNER.lineHeight + 5).toFixed(1),
      });
      text.textContent = line;
      group.append(text);
    });
    root.append(group);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
}

/** A node's details as a standalone HTML document (no script, no inline style beyond a <style> in the exported file). */
export function detailsAsHtml(bundle: ViewerBundle, title: string, rows: [string, string][]): string {
  const doc = document.implementation.createHTMLDocument(title);
  const meta = doc.createElement('meta');
  meta.setAttribute('http-equiv', 'Content-Security-Policy');
  meta.setAttribute('content', "default-src 'none'; style-src 'unsafe-inline'");
  doc.head.prepend(meta);
  const style = doc.createElement('style');
  style.textContent =
    'body{font-family:sans-serif;margin:2em}.banner{background:#b00020;color:#fff;font-weight:bold;text-align:center;padding:4px;white-space:normal;overflow-wrap:anywhere}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}';
  doc.head.append(style);
  const banner = () => {
    const div = doc.createElement('div');
    div.className = 'banner';
    div.textContent = bannerText(bundle);
    return div;
  };
  const heading = doc.createElement('h1');
  heading.textContent = title;
  const table = doc.createElement('table');
  for (const [key, value] of rows) {
    const tr = doc.createElement('tr');
    const th = doc.createElement('th');
    th.textContent = key;
    const td = doc.createElement('td');
    td.textContent = value;
    tr.append(th, td);
    table.append(tr);
  }
  doc.body.append(banner(), heading, table, banner());
  return `<!doctype html>\n${new XMLSerializer().serializeToString(doc.documentElement)}`;
}
