/**
 * The dissemination report of `validate` and `import`: which C conditions
 * decide nothing until they are mapped to audiences (`release_to`), and which
 * `release_to` ids are not audiences of the configuration in force. Neither
 * is an error: such items stay with police analysts, which is safe; the
 * report says so, so that nobody believes a worded condition shares anything.
 */
import {
  unknownReleaseAudiences,
  unmappedConditions,
  type UnknownReleaseAudience,
  type UnmappedCondition,
} from '@ocgnet/profiles';
import type { RecordSet } from '@ocgnet/schema';
import type { AudiencesInForce } from './audiences.js';

export interface DisseminationReport {
  unmappedConditions: UnmappedCondition[];
  unknownAudiences: UnknownReleaseAudience[];
}

const ITEMS_SHOWN = 5;

export function disseminationReport(records: RecordSet, audiences: AudiencesInForce): DisseminationReport {
  return {
    unmappedConditions: unmappedConditions(records),
    unknownAudiences: unknownReleaseAudiences(records, audiences.config),
  };
}

function itemsText(items: readonly string[]): string {
  const shown = items.slice(0, ITEMS_SHOWN).join(', ');
  return items.length > ITEMS_SHOWN ? `${shown}, … (${items.length} in all)` : shown;
}

/** One line per finding, for stderr. */
export function disseminationLines(report: DisseminationReport, audiences: AudiencesInForce): string[] {
  const lines: string[] = [];
  for (const entry of report.unmappedConditions) {
    lines.push(
      `note: C condition ${JSON.stringify(entry.condition)} decides nothing until mapped: ${entry.items.length} item(s) carry it without release_to ` +
        `and go to police analysts only (${itemsText(entry.items)})`,
    );
  }
  for (const entry of report.unknownAudiences) {
    lines.push(
      `note: release_to names ${JSON.stringify(entry.audience)}, which is not an audience in ${audiences.source}: ` +
        `${entry.items.length} item(s) reach no one under it (${itemsText(entry.items)})`,
    );
  }
  return lines;
}
