/**
 * Renders a partnership profile as JSON, Markdown, self-contained HTML
 * (inline style, no script) or CSV (key associates and action plan rows).
 */
import { spreadsheetCsvCell } from '@ocgnet/io';
import { describeMarking, type Marking } from '@ocgnet/schema';
import { escapeXml, type Profile } from './profile.js';

export type ProfileFormat = 'json' | 'markdown' | 'html' | 'csv';

/** A marking as one line of text (the schema's one description), shared by every profile renderer. */
export const markingText = (marking: Marking): string => describeMarking(marking);

/** The flags a safeguarding row shows: those the audience is told, and a note when others are withheld. */
export function flagsText(flags: readonly string[], withheld: boolean): string {
  const shown = flags.join(', ');
  if (!withheld) return shown;
  const note = 'details withheld: for the safeguarding partners';
  return shown === '' ? note : `${shown}; ${note}`;
}

function num(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

// ---------- Markdown

/** Escapes Markdown-active characters (and backslash, pipe) in labels and values. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_[\]<>`|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** A Markdown table of cells already escaped, or `_None._` when there are no rows. */
export function mdTable(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '_None._\n';
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

/** The summary as label/value pairs, the same in every format; unrecorded values are undefined. */
function summaryFacts(s: Profile['summary']): [string, string | undefined][] {
  return [
    ['Id', s.id],
    ['Kind', s.kind],
    ['OCGM band', s.ocgmBand],
    ['OCGM score', s.ocgmScore === undefined ? undefined : num(s.ocgmScore)],
    ['MoRiLE score', s.morileScore === undefined ? undefined : num(s.morileScore)],
    ['LRO', s.lro],
    ['Threat areas', s.threatAreas?.join(', ')],
    ['Mapped group', s.mappedGroup === undefined ? undefined : `${s.mappedGroupLabel ?? ''} (${s.mappedGroup})`],
    ['Mapped role', s.mappedRole],
    ['Premises type', s.premisesType],
    ['Area', s.area],
    ['Cuckooed', s.cuckooed === undefined ? undefined : s.cuckooed ? 'yes' : 'no'],
    [
      s.kind === 'location' ? 'Persons linked' : 'Visible members',
      s.members === undefined ? undefined : String(s.members),
    ],
    ['Marking', markingText(s.marking)],
  ];
}

function renderMarkdown(p: Profile): string {
  const e = escapeMarkdown;
  const banner = `**${e(p.banner.classification)}**: audience ${e(p.banner.audience)}, ${e(p.banner.date)}${p.banner.manifestRef ? `, manifest ${e(p.banner.manifestRef)}` : ''}, audiences ${e(p.banner.audiences.slice(0, 12))}; marking ${e(markingText(p.marking))}`;
  const s = p.summary;
  const out: string[] = [banner, '', `# Partnership profile: ${e(s.label)}`, ''];
  const facts = summaryFacts(s);
  for (const [key, value] of facts) if (value !== undefined) out.push(`- ${key}: ${e(value)}`);
  out.push('', '## Position', '');
  out.push(
    mdTable(
      ['Rank', 'Nominal', 'Degree', 'Betweenness', 'Eigenvector', 'Coreness', 'Mapped role', 'Likely role', 'Marking'],
      p.position.map((x) => [
        x.rankInGroup === undefined ? '' : `${x.rankInGroup}/${x.groupSize}`,
        `${e(x.label)} (${e(x.id)})`,
        num(x.degree),
        num(x.betweenness),
        num(x.eigenvector),
        num(x.coreness),
        e(x.mappedRole ?? ''),
        e(x.likelyRole ?? ''),
        e(markingText(x.marking)),
      ]),
    ),
  );
  out.push(
    '## Roles',
    '',
    mdTable(
      ['Nominal', 'Mapped role', 'Likely role', 'Marking'],
      p.role.map((x) => [
        `${e(x.label)} (${e(x.id)})`,
        e(x.mappedRole ?? ''),
        e(x.likelyRole ?? ''),
        e(markingText(x.marking)),
      ]),
    ),
  );
  out.push(
    '## Key associates',
    '',
    mdTable(
      ['Associate', 'Weight', 'Channels', 'Evidence links', 'Marking'],
      p.keyAssociates.map((x) => [
        `${e(x.label)} (${e(x.id)})${x.safeguarding ? ' (safeguarding)' : ''}`,
        num(x.weight),
        e(x.channels.join(', ')),
        e(x.links.join(', ')),
        e(markingText(x.marking)),
      ]),
    ),
  );
  out.push(
    '## Bridges',
    '',
    mdTable(
      ['By', 'Group', 'Through', 'Marking'],
      p.bridges.map((x) => [
        x.by,
        e(x.label ? `${x.label} (${x.group})` : x.group),
        e(x.through.map((t) => `${t.label} (${t.id})`).join(', ')),
        e(markingText(x.marking)),
      ]),
    ),
  );
  out.push(
    '## Safeguarding',
    '',
    mdTable(
      ['Subject', 'Kind', 'Flags', 'Linked to', 'Marking'],
      p.safeguarding.map((x) => [
        `${e(x.label)} (${e(x.id)})`,
        x.kind,
        e(flagsText(x.flags, x.withheld)),
        e(x.linkedTo.join(', ')),
        e(markingText(x.marking)),
      ]),
    ),
  );
  out.push(
    '## Assets',
    '',
    mdTable(
      ['Asset', 'Kind', 'Linked to', 'Levers', 'Marking'],
      p.assets.map((x) => [
        `${e(x.label)} (${e(x.id)})`,
        x.kind,
        e(x.linkedTo.join(', ')),
        e(x.levers.map((l) => `${l.partner}: ${l.power}`).join('; ')),
        e(markingText(x.marking)),
      ]),
    ),
  );
  out.push(
    '## Action plan',
    '',
    mdTable(
      ['Target', 'Lead agency', 'Strand', 'Power', 'ΔF', 'Marking'],
      p.actionPlan.map((x) => [
        `${e(x.target.label)} (${e(x.target.id)})`,
        e(x.leadAgency),
        e(x.strand),
        e(x.power),
        num(x.deltaF),
        e(markingText(x.marking)),
      ]),
    ),
  );
  out.push(banner, '');
  return out.join('\n');
}

// ---------- HTML

const esc = escapeXml;

/** An HTML table, every cell escaped, or a "None." paragraph when there are no rows. */
export function htmlTable(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const head = `<tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

const STYLE = `body{font-family:Arial,Helvetica,sans-serif;margin:2em;color:#111}
.banner{background:#1f3b73;color:#fff;text-align:center;font-weight:bold;padding:.4em;letter-spacing:.05em}
table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}th,td{border:1px solid #999;padding:.25em .5em;text-align:left;font-size:.9em}
th{background:#eee}h2{border-bottom:1px solid #1f3b73;page-break-after:avoid}tr{page-break-inside:avoid}
.none{color:#666;font-style:italic}
@media print{body{margin:1cm}.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}}`;

/** A self-contained HTML page (inline style, no script) of the given body elements. */
export function htmlDocument(title: string, body: readonly string[]): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${esc(title)}</title>\n<style>\n${STYLE}\n</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

function renderHtml(p: Profile): string {
  const bannerText = `${p.banner.classification} | audience ${p.banner.audience} | ${p.banner.date}${p.banner.manifestRef ? ` | manifest ${p.banner.manifestRef}` : ''} | audiences ${p.banner.audiences.slice(0, 12)} | marking ${markingText(p.marking)}`;
  const banner = `<div class="banner">${esc(bannerText)}</div>`;
  const s = p.summary;
  const facts = summaryFacts(s);
  const body = [
    banner,
    `<h1>Partnership profile: ${esc(s.label)}</h1>`,
    htmlTable(
      ['Field', 'Value'],
      facts.filter((f): f is [string, string] => f[1] !== undefined),
    ),
    '<h2>Ego network</h2>',
    `<figure>${p.egoSvg.svg}<figcaption>${esc(`Marking ${markingText(p.egoSvg.marking)}; dashed orange circles are safeguarding subjects`)}</figcaption></figure>`,
    '<h2>Position</h2>',
    htmlTable(
      [
        'Rank',
        'Nominal',
        'Id',
        'Degree',
        'Betweenness',
        'Eigenvector',
        'Coreness',
        'Mapped role',
        'Likely role',
        'Marking',
      ],
      p.position.map((x) => [
        x.rankInGroup === undefined ? '' : `${x.rankInGroup}/${x.groupSize}`,
        x.label,
        x.id,
        num(x.degree),
        num(x.betweenness),
        num(x.eigenvector),
        num(x.coreness),
        x.mappedRole ?? '',
        x.likelyRole ?? '',
        markingText(x.marking),
      ]),
    ),
    '<h2>Roles</h2>',
    htmlTable(
      ['Nominal', 'Id', 'Mapped role', 'Likely role', 'Marking'],
      p.role.map((x) => [x.label, x.id, x.mappedRole ?? '', x.likelyRole ?? '', markingText(x.marking)]),
    ),
    '<h2>Key associates</h2>',
    htmlTable(
      ['Associate', 'Id', 'Weight', 'Channels', 'Evidence links', 'Safeguarding', 'Marking'],
      p.keyAssociates.map((x) => [
        x.label,
        x.id,
        num(x.weight),
        x.channels.join(', '),
        x.links.join(', '),
        x.safeguarding ? 'yes' : '',
        markingText(x.marking),
      ]),
    ),
    '<h2>Bridges</h2>',
    htmlTable(
      ['By', 'Group', 'Through', 'Marking'],
      p.bridges.map((x) => [
        x.by,
        x.label ? `${x.label} (${x.group})` : x.group,
        x.through.map((t) => `${t.label} (${t.id})`).join(', '),
        markingText(x.marking),
      ]),
    ),
    '<h2>Safeguarding</h2>',
    htmlTable(
      ['Subject', 'Id', 'Kind', 'Flags', 'Linked to', 'Marking'],
      p.safeguarding.map((x) => [
        x.label,
        x.id,
        x.kind,
        flagsText(x.flags, x.withheld),
        x.linkedTo.join(', '),
        markingText(x.marking),
      ]),
    ),
    '<h2>Assets</h2>',
    htmlTable(
      ['Asset', 'Id', 'Kind', 'Linked to', 'Levers', 'Marking'],
      p.assets.map((x) => [
        x.label,
        x.id,
        x.kind,
        x.linkedTo.join(', '),
        x.levers.map((l) => `${l.partner}: ${l.power} (${l.strand})`).join('; '),
        markingText(x.marking),
      ]),
    ),
    '<h2>Action plan</h2>',
    htmlTable(
      ['Target', 'Id', 'Lead agency', 'Strand', 'Power', 'ΔF', 'Marking'],
      p.actionPlan.map((x) => [
        x.target.label,
        x.target.id,
        x.leadAgency,
        x.strand,
        x.power,
        num(x.deltaF),
        markingText(x.marking),
      ]),
    ),
    banner,
  ];
  return htmlDocument(`${p.banner.classification}: ${s.label}`, body);
}

// ---------- CSV

/**
 * One CSV cell: a leading `'` when the cell, after any leading spaces, starts
 * with = + - @ tab, CR or NUL (formula injection), plain numbers excepted;
 * RFC 4180 quoting. The rule lives in @ocgnet/io, shared by every CSV writer.
 */
export const csvCell = spreadsheetCsvCell;

/** CSV text of the rows: every cell through {@link csvCell}, CRLF line ends. */
export function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Renders `profile` as JSON, or with the renderer of `format`; an unknown format throws, naming `what` was rendered. */
export function renderWith<P>(
  profile: P,
  format: ProfileFormat,
  renderers: Record<Exclude<ProfileFormat, 'json'>, (profile: P) => string>,
  what: string,
): string {
  if (format === 'json') return JSON.stringify(profile, null, 2);
  const render = Object.hasOwn(renderers, format) ? renderers[format] : undefined;
  if (render === undefined) throw new Error(`unknown ${what} format ${JSON.stringify(format)}`);
  return render(profile);
}

function renderCsv(p: Profile): string {
  // The classification and audience head the file, so they travel with every copy of the rows.
  const release = (marking: Marking): string => (marking.releasableTo ?? []).join(';');
  const rows: (string | number | null)[][] = [
    [
      'classification',
      p.banner.classification,
      'audience',
      p.banner.audience,
      'created',
      p.banner.date,
      'audiences_sha256',
      p.banner.audiences,
      'handling',
      p.marking.handling,
      'conditions',
      p.marking.conditions.join(' | '),
      'released_to',
      release(p.marking),
    ],
    [
      'section',
      'id',
      'label',
      'safeguarding',
      'weight_or_delta_f',
      'lead_agency',
      'strand',
      'power',
      'evidence_links',
      'handling',
      'conditions',
      'released_to',
    ],
  ];
  // Safeguarding subjects are marked on every row they appear in: protect, never target.
  for (const x of p.keyAssociates) {
    rows.push([
      'key_associate',
      x.id,
      x.label,
      x.safeguarding ? 'yes' : '',
      x.weight,
      '',
      '',
      '',
      x.links.join(';'),
      x.marking.handling,
      x.marking.conditions.join(' | '),
      release(x.marking),
    ]);
  }
  const protectedIds = new Set(p.safeguarding.map((x) => x.id));
  for (const x of p.actionPlan) {
    rows.push([
      'action',
      x.target.id,
      x.target.label,
      protectedIds.has(x.target.id) ? 'yes' : '',
      x.deltaF,
      x.leadAgency,
      x.strand,
      x.power,
      x.evidence.flatMap((ev) => ev.links).join(';'),
      x.marking.handling,
      x.marking.conditions.join(' | '),
      release(x.marking),
    ]);
  }
  return csvText(rows);
}

/** Renders a profile. */
export function renderProfile(profile: Profile, format: ProfileFormat): string {
  return renderWith(profile, format, { markdown: renderMarkdown, html: renderHtml, csv: renderCsv }, 'profile');
}
