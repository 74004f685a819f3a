/**
 * Labels that never overlap: sigma's label grid picks candidates per cell, but two
 * labels from neighbouring cells can still cross. This drawer keeps the boxes drawn in
 * the current frame and skips a label whose box would overlap one of them (a node
 * with `forceLabel`, the selection or a path, is always drawn). Text goes on the
 * canvas (never HTML).
 */
import type Sigma from 'sigma';
import { drawDiscNodeLabel } from 'sigma/rendering';
import type { NodeLabelDrawingFunction } from 'sigma/rendering';

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

export class LabelCollisions {
  #drawn: Box[] = [];

  /** Clears the frame's boxes before sigma draws its labels. */
  attach(sigma: Sigma): void {
    sigma.on('beforeRender', () => {
      this.#drawn = [];
    });
  }

  /** Boxes drawn in the last frame (for tests). */
  get drawn(): readonly Box[] {
    return this.#drawn;
  }

  readonly draw: NodeLabelDrawingFunction = (context, data, settings) => {
    if (!data.label) return;
    context.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
    const left = data.x + data.size + 3;
    const box: Box = {
      left: left - 1,
      right: left + context.measureText(data.label).width + 1,
      top: data.y - settings.labelSize / 2 - 2,
      bottom: data.y + settings.labelSize / 2 + 2,
    };
    if (!data.forceLabel && this.#drawn.some((drawn) => overlaps(drawn, box))) return;
    this.#drawn.push(box);
    drawDiscNodeLabel(context, data, settings);
  };
}
