/**
 * Stand-in for `node:stream` / `stream` in the browser build. @ocgnet/io's
 * streaming CSV readers (and csv-parse under them) import it; the viewer
 * never calls them (it opens bundles, GEXF and GraphML, all read whole).
 * The classes exist so modules that extend them still load; using them
 * says what to do instead.
 */
function unavailable(): never {
  throw new Error('streaming CSV is not available in the viewer; open a bundle, GEXF or GraphML file');
}
export class Stream {
  constructor() {
    unavailable();
  }
}
export class Readable extends Stream {
  static from(): never {
    return unavailable();
  }
}
export class Writable extends Stream {}
export class Transform extends Stream {}
export class Duplex extends Stream {}
export class PassThrough extends Stream {}
export default { Stream, Readable, Writable, Transform, Duplex, PassThrough };
