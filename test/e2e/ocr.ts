/**
 * Reading exported images back as a person would: Debian's tesseract-ocr
 * (installed by scripts/test-deps.sh), on each red marking banner found in
 * the image, cropped, scaled up three times and turned black on white in
 * Chromium first (tesseract reads small white-on-red text poorly). Outside CI a
 * missing tesseract skips the OCR tests; in CI (CI=true) it fails them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export const TESSERACT = process.env.OCGNET_TESSERACT ?? '/usr/bin/tesseract';
/** Tesseract is there, with its English data. */
export const HAVE_TESSERACT =
  existsSync(TESSERACT) && /^eng$/m.test(spawnSync(TESSERACT, ['--list-langs'], { encoding: 'utf8' }).stdout ?? '');
/** The skip reason the suite summary prints for OCR tests. */
export const NO_TESSERACT = `no tesseract with English data at ${TESSERACT} (apt-get install tesseract-ocr tesseract-ocr-eng, or set OCGNET_TESSERACT)`;

/** The banners' red (#b00020), as the viewer and the partnership profiles draw it. */
const BANNER_RED: [number, number, number] = [0xb0, 0x00, 0x20];

/** A horizontal band of banner rows: [first row, last row + 1) in image pixels. */
export interface Band {
  top: number;
  bottom: number;
}

interface Pixels {
  data: Uint8ClampedArray;
}
interface Context2d {
  drawImage(
    image: unknown,
    sx: number,
    sy: number,
    sw: number,
    sh: number,
    dx: number,
    dy: number,
    dw: number,
    dh: number,
  ): void;
  drawImage(image: unknown, dx: number, dy: number): void;
  getImageData(x: number, y: number, width: number, height: number): Pixels;
  putImageData(pixels: Pixels, x: number, y: number): void;
  fillRect(x: number, y: number, width: number, height: number): void;
  fillStyle: string;
  imageSmoothingEnabled: boolean;
  imageSmoothingQuality: string;
}
interface Canvas {
  width: number;
  height: number;
  getContext(type: '2d'): Context2d;
  toDataURL(type: string): string;
}
interface BrowserSide {
  document: { createElement(tag: 'canvas'): Canvas };
  fetch(url: string): Promise<{ blob(): Promise<unknown> }>;
  createImageBitmap(blob: unknown): Promise<{ width: number; height: number }>;
}

/**
 * Finds the banner bands of a PNG (runs of rows at least a quarter banner-red, less than 24 pixels apart) and returns
 * each, scaled `scale` times, as a black-on-white PNG for tesseract.
 */
export async function bannerCrops(
  browser: Browser,
  png: Buffer,
  scale = 3,
): Promise<{ width: number; height: number; bands: Band[]; crops: Buffer[] }> {
  const page = await browser.newPage();
  try {
    const result = await page.evaluate(
      async ({ source, red, factor, gap }) => {
        const g = globalThis as unknown as BrowserSide;
        const image = await g.createImageBitmap(await (await g.fetch(source)).blob());
        const canvas = g.document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        const { data } = context.getImageData(0, 0, image.width, image.height);
        const isRed = (i: number) =>
          Math.abs(data[i]! - red[0]) <= 24 &&
          Math.abs(data[i + 1]! - red[1]) <= 24 &&
          Math.abs(data[i + 2]! - red[2]) <= 24;
        // A banner row is red over a quarter of its width at least; rows of dense text inside a banner
        // are not, so runs less than a text line apart are one banner.
        const bannerRow = (y: number) => {
          let count = 0;
          for (let x = 0; x < image.width; x++) if (isRed((y * image.width + x) * 4)) count++;
          return count >= image.width / 4;
        };
        const bands: { top: number; bottom: number }[] = [];
        let start = -1;
        for (let y = 0; y <= image.height; y++) {
          const banner = y < image.height && bannerRow(y);
          if (banner && start < 0) start = y;
          if (!banner && start >= 0) {
            const last = bands.at(-1);
            if (last && start - last.bottom < gap) last.bottom = y;
            else bands.push({ top: start, bottom: y });
            start = -1;
          }
        }
        const crops = bands.map(({ top, bottom }) => {
          const margin = 20;
          const out = g.document.createElement('canvas');
          out.width = image.width * factor + 2 * margin;
          out.height = (bottom - top) * factor + 2 * margin;
          const c = out.getContext('2d');
          c.fillStyle = `rgb(${red.join(',')})`;
          c.fillRect(0, 0, out.width, out.height);
          c.imageSmoothingEnabled = true;
          c.imageSmoothingQuality = 'high';
          c.drawImage(
            image,
            0,
            top,
            image.width,
            bottom - top,
            margin,
            margin,
            image.width * factor,
            (bottom - top) * factor,
          );
          // White on red → black on white, keeping the anti-aliasing: stretch luminance from the red's to white's.
          const pixels = c.getImageData(0, 0, out.width, out.height);
          const floor = 0.299 * red[0] + 0.587 * red[1] + 0.114 * red[2];
          for (let i = 0; i < pixels.data.length; i += 4) {
            const luminance = 0.299 * pixels.data[i]! + 0.587 * pixels.data[i + 1]! + 0.114 * pixels.data[i + 2]!;
            const ink = Math.min(1, Math.max(0, (luminance - floor) / (255 - floor)));
            pixels.data[i] = pixels.data[i + 1] = pixels.data[i + 2] = Math.round(255 * (1 - ink));
            pixels.data[i + 3] = 255;
          }
          c.putImageData(pixels, 0, 0);
          return out.toDataURL('image/png');
        });
        return { width: image.width, height: image.height, bands, crops };
      },
      { source: `data:image/png;base64,${png.toString('base64')}`, red: BANNER_RED, factor: scale, gap: 24 },
    );
    return { ...result, crops: result.crops.map((url) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')) };
  } finally {
    await page.close();
  }
}

/** Tesseract's reading of a PNG (one block of text, English), kept beside it in `folder` as `name`.txt. */
export function ocr(png: Buffer, folder: string, name: string): string {
  const path = join(folder, `${name}.png`);
  writeFileSync(path, png);
  const run = spawnSync(TESSERACT, [path, 'stdout', '--psm', '6', '--dpi', '300', '-l', 'eng'], { encoding: 'utf8' });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`tesseract failed (${run.status}): ${run.stderr}`);
  writeFileSync(join(folder, `${name}.txt`), run.stdout);
  return run.stdout;
}

/** Text as a list of words: Unicode-folded, lower case, letters and digits only (punctuation and dashes are separators). */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '');
}

/**
 * The words of `expected` that `found` does not hold in the same order: each
 * expected word is looked for after the previous match. Empty when every
 * word was read, in order.
 */
export function missingInOrder(expected: readonly string[], found: readonly string[]): string[] {
  const missing: string[] = [];
  let at = 0;
  for (const word of expected) {
    const index = found.indexOf(word, at);
    if (index < 0) missing.push(word);
    else at = index + 1;
  }
  return missing;
}
