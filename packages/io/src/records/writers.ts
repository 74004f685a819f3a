/**
 * Writers for record files. They yield text a line at a time, so a caller can
 * stream a million links to disk without building one huge string.
 */
import { SCHEMA_VERSION, type Entity, type Link } from '@ocgnet/schema';
import { csvLine } from '../csvText.js';
import { ENTITY_COLUMNS, LINK_COLUMNS, entityToCells, linkToCells } from './columns.js';

/** entities.csv, header first. */
export function* entitiesCsvLines(entities: Iterable<Entity>): Generator<string> {
  yield csvLine(ENTITY_COLUMNS);
  for (const entity of entities) yield csvLine(entityToCells(entity, SCHEMA_VERSION));
}

/** links.csv, header first. */
export function* linksCsvLines(links: Iterable<Link>): Generator<string> {
  yield csvLine(LINK_COLUMNS);
  for (const link of links) yield csvLine(linkToCells(link, SCHEMA_VERSION));
}

/**
 * NDJSON records: a header line (at least `schema_version`), then one
 * `{"entity": …}` per entity and one `{"link": …}` per link.
 */
export function* recordNdjsonLines(
  records: { entities: Iterable<Entity>; links: Iterable<Link> },
  header: object = {},
): Generator<string> {
  yield `${JSON.stringify({ schema_version: SCHEMA_VERSION, ...header })}\n`;
  for (const entity of records.entities) yield `${JSON.stringify({ entity })}\n`;
  for (const link of records.links) yield `${JSON.stringify({ link })}\n`;
}
