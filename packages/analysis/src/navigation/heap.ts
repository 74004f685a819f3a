/**
 * Binary min-heaps for the path searches: one on typed arrays for Dijkstra's
 * frontier (node, distance, hops), one generic for Yen's candidate paths.
 */

/**
 * A binary min-heap of node entries on typed arrays, ordered by distance and
 * then by hop count. Entries are never updated in place: a search pushes a
 * node again when its label improves and skips stale entries on pop.
 */
export class NodeHeap {
  private nodes: Int32Array;
  private distances: Float64Array;
  private hops: Int32Array;
  size = 0;

  constructor(capacity = 64) {
    this.nodes = new Int32Array(capacity);
    this.distances = new Float64Array(capacity);
    this.hops = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(node: number, distance: number, hops: number): void {
    if (this.size === this.nodes.length) this.grow();
    let i = this.size++;
    // Sift up: move parents down until the new entry's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(distance, hops, this.distances[parent]!, this.hops[parent]!)) break;
      this.move(parent, i);
      i = parent;
    }
    this.nodes[i] = node;
    this.distances[i] = distance;
    this.hops[i] = hops;
  }

  /** Node of the least entry; read `topDistance`/`topHops` before calling. */
  pop(): number {
    const top = this.nodes[0]!;
    const last = --this.size;
    if (last > 0) {
      const node = this.nodes[last]!;
      const distance = this.distances[last]!;
      const hops = this.hops[last]!;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= last) break;
        const right = left + 1;
        const child =
          right < last && this.less(this.distances[right]!, this.hops[right]!, this.distances[left]!, this.hops[left]!)
            ? right
            : left;
        if (!this.less(this.distances[child]!, this.hops[child]!, distance, hops)) break;
        this.move(child, i);
        i = child;
      }
      this.nodes[i] = node;
      this.distances[i] = distance;
      this.hops[i] = hops;
    }
    return top;
  }

  get topDistance(): number {
    return this.distances[0]!;
  }

  get topHops(): number {
    return this.hops[0]!;
  }

  private less(d1: number, h1: number, d2: number, h2: number): boolean {
    return d1 < d2 || (d1 === d2 && h1 < h2);
  }

  private move(from: number, to: number): void {
    this.nodes[to] = this.nodes[from]!;
    this.distances[to] = this.distances[from]!;
    this.hops[to] = this.hops[from]!;
  }

  private grow(): void {
    const capacity = this.nodes.length * 2;
    const nodes = new Int32Array(capacity);
    const distances = new Float64Array(capacity);
    const hops = new Int32Array(capacity);
    nodes.set(this.nodes);
    distances.set(this.distances);
    hops.set(this.hops);
    this.nodes = nodes;
    this.distances = distances;
    this.hops = hops;
  }
}

/** A binary min-heap of arbitrary items under a comparator. */
export class Heap<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(item, items[parent]!) >= 0) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    const size = items.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= size) break;
        const right = left + 1;
        const child = right < size && this.compare(items[right]!, items[left]!) < 0 ? right : left;
        if (this.compare(items[child]!, last) >= 0) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
