/**
 * The re-identification figures of issue 16, measured on written exports:
 *
 *   pnpm tsx packages/research/test/issueFigures.ts <input> <key file> <export folder>… [--intersect A B]
 *
 * `<input>`: the records folder (or research network file) the exports were
 * made from; `<key file>`: their pseudonym key (used only to score the
 * attacks: which released node is really whose). Each folder's GraphML is
 * attacked by the attack suite (attacks.ts), the attacker's original being the
 * input anonymised as the folder's manifest says (an export made before
 * research use was restricted, whose manifest names no research use, used
 * every handling code). `--intersect A B` attacks two exports made with one
 * key together. Prints one line per export: nominals, then each attack's
 * count of nominals singled out (matched to exactly one released node, their own).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseResearchGraph } from '@ocgnet/io';
import { anonymisePersons, parseKeyFile, Pseudonymiser, readExportedGraph } from '../src/index.js';
import { anonymiseResearchGraph } from '../src/anonymise.js';
import { attackRelease, intersectionAttack } from './attacks.js';
import { recordsIn } from './research.fixtures.js';

const args = process.argv.slice(2);
const intersectAt = args.indexOf('--intersect');
const pair = intersectAt >= 0 ? args.splice(intersectAt, 3).slice(1) : [];
const [input, keyFile, ...folders] = args;
if (input === undefined || keyFile === undefined)
  throw new Error('usage: issueFigures.ts <input> <key file> <export folder>… [--intersect A B]');
const key = parseKeyFile(readFileSync(keyFile));

async function originalFor(folder: string) {
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  const settings = manifest.parameters.anonymise;
  const pseudonyms = new Pseudonymiser(key);
  if (manifest.parameters.model === 'research') {
    const file = statSync(input!).isDirectory() ? join(input!, 'graph.graphml') : input!;
    const parsed = await parseResearchGraph(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) throw new Error(`${file} does not load`);
    return {
      manifest,
      original: anonymiseResearchGraph(parsed.graph, pseudonyms, { weights: settings.weights ?? 'exact' }).graph,
    };
  }
  const { network, persons } = await recordsIn(input!);
  const everything = settings.researchUse === undefined;
  const original = anonymisePersons(persons, network, pseudonyms, {
    dates: settings.dates,
    weights: settings.weights ?? 'exact',
    channels: settings.channels ?? 'exact',
    keep: settings.keep,
    minK: manifest.parameters.minK,
    ...(everything ? { researchUse: () => true } : {}),
  }).graph;
  return { manifest, original };
}

async function releaseIn(folder: string) {
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  const format = manifest.primary as 'graphml';
  const parsed = await readExportedGraph(
    format,
    (name) => readFileSync(join(folder, name), 'utf8'),
    manifest.parameters.directed,
  );
  if (!parsed.ok) throw new Error(`${folder}: does not read back`);
  return parsed.graph;
}

for (const folder of folders) {
  if (!existsSync(join(folder, 'manifest.json'))) {
    console.log(`${folder}: no export (refused)`);
    continue;
  }
  const { manifest, original } = await originalFor(folder);
  const release = await releaseIn(folder);
  const perturbation = manifest.perturbation;
  const results = attackRelease(original, release, {
    perturbed: perturbation !== null,
    weightWildcard: perturbation?.weightsSuppressedToOne === true,
  });
  console.log(
    `${folder}: ${original.order} nominals; ${results.map((result) => `${result.attack} ${result.singledOut}`).join('; ')}`,
  );
}
if (pair.length === 2) {
  const { original } = await originalFor(pair[0]!);
  const result = intersectionAttack(original, await releaseIn(pair[0]!), await releaseIn(pair[1]!));
  console.log(`${pair[0]} ∩ ${pair[1]}: ${original.order} nominals; ${result.attack} ${result.singledOut}`);
}
