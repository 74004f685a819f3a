/**
 * Everything the viewer writes: the view as PNG and SVG (each with the
 * classification banner), the bundle with its layout, the working state, and
 * a node's details as an HTML document. Documents are built with DOM calls
 * and textContent and then serialised, so data never becomes markup.
 */
import type Sigma from 'sigma';
import { drawOnCanvas } from '@sigma/export-image';
import type { ViewerBundle } from '@ocgnet/server/bundle';

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

/** "OFFICIAL-SENSITIVE — handling C (conditions: …)" */
export function bannerText(bundle: ViewerBundle): string {
  const { handling, conditions } = bundle.marking;
  return `${bundle.classification} — handling ${handling}${conditions.length > 0 ? ` (conditions: ${conditions.join('; ')})` : ''}`;
}

const BANNER = 28;

export async function viewAsPng(sigma: Sigma, bundle: ViewerBundle): Promise<Blob> {
  const canvas = await drawOnCanvas(sigma, { backgroundColor: '#ffffff' });
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height + 2 * BANNER;
  const context = out.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, out.width, out.height);
  context.drawImage(canvas, 0, BANNER);
  const text = bannerText(bundle);
  for (const y of [0, BANNER + canvas.height]) {
    context.fillStyle = '#b00020';
    context.fillRect(0, y, out.width, BANNER);
    context.fillStyle = '#ffffff';
    context.font = 'bold 14px sans-serif';
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(text, out.width / 2, y + BANNER / 2, out.width - 20);
  }
  return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG export failed'))), 'image/png'));
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
  const root = svgElement('svg', { xmlns: SVG, width, height: height + 2 * BANNER, viewBox: `0 0 ${width} ${height + 2 * BANNER}` });
  root.append(svgElement('rect', { x: 0, y: 0, width, height: height + 2 * BANNER, fill: '#ffffff' }));
  const graph = sigma.getGraph();
  const edges = svgElement('g', { 'stroke-linecap': 'round' });
  graph.forEachEdge((edge, _attributes, source, target) => {
    const display = sigma.getEdgeDisplayData(edge);
    const a = sigma.getNodeDisplayData(source);
    const b = sigma.getNodeDisplayData(target);
    if (!display || display.hidden || !a || !b || a.hidden || b.hidden) return;
    const p = sigma.framedGraphToViewport(a);
    const q = sigma.framedGraphToViewport(b);
    edges.append(svgElement('line', { x1: p.x.toFixed(1), y1: (p.y + BANNER).toFixed(1), x2: q.x.toFixed(1), y2: (q.y + BANNER).toFixed(1), stroke: display.color, 'stroke-width': Math.max(0.5, display.size) }));
  });
  root.append(edges);
  const nodes = svgElement('g', {});
  const labels = svgElement('g', { 'font-family': 'sans-serif', 'font-size': 11, fill: '#222222' });
  const ratio = sigma.getCamera().ratio;
  graph.forEachNode((node) => {
    const display = sigma.getNodeDisplayData(node) as (ReturnType<Sigma['getNodeDisplayData']> & { ringColor?: string }) | undefined;
    if (!display || display.hidden) return;
    const p = sigma.framedGraphToViewport(display);
    const radius = Math.max(1, sigma.scaleSize(display.size, ratio));
    const circle = svgElement('circle', { cx: p.x.toFixed(1), cy: (p.y + BANNER).toFixed(1), r: radius.toFixed(1), fill: display.color });
    if (display.type === 'ringed' && display.ringColor) {
      circle.setAttribute('stroke', display.ringColor);
      circle.setAttribute('stroke-width', String(Math.max(2, radius * 0.38)));
    }
    const title = document.createElementNS(SVG, 'title');
    title.textContent = String(display.label ?? node);
    circle.append(title);
    nodes.append(circle);
    if (display.forceLabel || radius >= 7) {
      const label = svgElement('text', { x: (p.x + radius + 2).toFixed(1), y: (p.y + BANNER + 4).toFixed(1) });
      label.textContent = String(display.label ?? node);
      labels.append(label);
    }
  });
  root.append(nodes, labels);
  for (const y of [0, BANNER + height]) {
    root.append(svgElement('rect', { x: 0, y, width, height: BANNER, fill: '#b00020' }));
    const text = svgElement('text', { x: width / 2, y: y + BANNER / 2 + 5, 'text-anchor': 'middle', 'font-family': 'sans-serif', 'font-size': 14, 'font-weight': 'bold', fill: '#ffffff' });
    text.textContent = bannerText(bundle);
    root.append(text);
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
  style.textContent = 'body{font-family:sans-serif;margin:2em}.banner{background:#b00020;color:#fff;font-weight:bold;text-align:center;padding:4px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}';
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
