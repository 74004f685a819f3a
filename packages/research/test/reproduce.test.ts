/**
 * Reproduction from the export alone: a fresh export reproduces; an altered
 * file is named by its hash; an altered file whose hash was "fixed" in the
 * manifest is caught by the rerun analysis; a result edited in the manifest
 * is caught; a manifest that is not one is refused with its field named.
 */
import { describe, expect, it } from 'vitest';
import { ManifestError, manifestJson, reproduce } from '../src/index.js';
import { compareResults, computeResults, DEFAULT_ANALYSIS_SETTINGS } from '../src/results.js';
import { sha256Of, type ResearchManifest } from '../src/manifest.js';
import { type ResearchExport } from '../src/researchExport.js';
import { caviar, CONTEXT, exportAndAttack, smallScenario, TEST_KEY } from './research.fixtures.js';

let made: Promise<ResearchExport> | undefined;

/** A copy of one export of the small scenario (made once per file; each test alters its own copy). */
async function freshExport(): Promise<{ files: Map<string, string>; manifest: ResearchManifest }> {
  made ??= smallScenario().then(({ network, persons }) =>
    exportAndAttack({ model: 'records', network, persons }, TEST_KEY, { perturb: true, seed: 3 }, CONTEXT),
  );
  const exported = await made;
  if (!exported.ok) throw new Error(`refused: ${exported.reason}`);
  // Through JSON text, as a reader of manifest.json gets it.
  return { files: new Map(exported.files), manifest: JSON.parse(manifestJson(exported.manifest)) as ResearchManifest };
}

const reader = (files: Map<string, string>) => async (name: string) => {
  const text = files.get(name);
  if (text === undefined) throw new Error(`${name}: no such file`);
  return text;
};

describe('reproduce', () => {
  it('passes on a fresh export of the small scenario and of caviar', async () => {
    const { files, manifest } = await freshExport();
    const outcome = await reproduce(manifest, reader(files));
    expect(outcome.mismatches).toEqual([]);
    expect(outcome.filesChecked).toBe(6);
    expect(outcome.reimported).toBe('graphml');
    expect(outcome.nodes).toBe(156);

    const exported = exportAndAttack(
      { model: 'research', graph: await caviar() },
      TEST_KEY,
      { perturb: true, formats: ['pajek', 'csv'], analysis: { ...DEFAULT_ANALYSIS_SETTINGS, weighted: true, seed: 9 } },
      CONTEXT,
    );
    if (!exported.ok) throw new Error('refused');
    const caviarOutcome = await reproduce(JSON.parse(manifestJson(exported.manifest)), reader(exported.files));
    expect(caviarOutcome.mismatches).toEqual([]);
    expect(caviarOutcome.reimported).toBe('csv');
  });

  it('names an altered file by its hash', async () => {
    const { files, manifest } = await freshExport();
    const pajek = files.get('graph.net')!;
    files.set('graph.net', pajek.replace('*Edges\n', '*Edges\n1 2 1\n'));
    expect(files.get('graph.net')).not.toBe(pajek);
    const outcome = await reproduce(manifest, reader(files));
    expect(outcome.mismatches.map((m) => m.path)).toEqual(['files.graph.net.sha256']);
  });

  it('catches an altered primary file even when its hash in the manifest was updated to match', async () => {
    const { files, manifest } = await freshExport();
    const graphml = files.get('graph.graphml')!;
    const edge = / {4}<edge id="e7"[\s\S]*?<\/edge>\n/.exec(graphml)![0];
    const altered = graphml.replace(edge, '');
    files.set('graph.graphml', altered);
    manifest.files.find((file) => file.name === 'graph.graphml')!.sha256 = sha256Of(altered);
    const paths = (await reproduce(manifest, reader(files))).mismatches.map((m) => m.path);
    expect(paths).toContain('edges');
    expect(paths.some((path) => /^nodes\.P-[0-9a-f]{16}\.degree$/.test(path))).toBe(true);
    expect(paths.some((path) => path.startsWith('files.'))).toBe(false);
  });

  it('catches a recorded result that was edited, and a missing file', async () => {
    const { files, manifest } = await freshExport();
    const [node] = Object.keys(manifest.results.nodes);
    manifest.results.nodes[node!]!.pagerank *= 1 + 1e-6;
    manifest.results.modularity = manifest.results.modularity! + 1e-12; // within 1e-9 relative: not a mismatch
    files.delete('graph.dl');
    const paths = (await reproduce(manifest, reader(files))).mismatches.map((m) => m.path);
    expect(paths.sort()).toEqual([`files.graph.dl`, `nodes.${node}.pagerank`].sort());
  });

  it('compares integers exactly and floats to 1e-9 relative', async () => {
    const { network, persons } = await smallScenario();
    const results = computeResults(persons);
    const copy = structuredClone(results);
    const [first] = Object.keys(copy.nodes);
    copy.nodes[first!]!.betweenness += 1e-12 * Math.max(copy.nodes[first!]!.betweenness, 1e-300);
    expect(compareResults(results, copy)).toEqual([]);
    copy.nodes[first!]!.degree += 1;
    copy.components += 1;
    expect(
      compareResults(results, copy)
        .map((m) => m.path)
        .sort(),
    ).toEqual(['components', `nodes.${first}.degree`]);
    void network;
  });

  it('refuses a manifest that is not a research manifest, naming the field', async () => {
    const { files, manifest } = await freshExport();
    await expect(reproduce({ ...manifest, kind: 'ocgnet-analysis' }, reader(files))).rejects.toThrow(ManifestError);
    await expect(reproduce({ ...manifest, kind: 'x' }, reader(files))).rejects.toThrow(/^kind: /);
    await expect(
      reproduce(
        { ...manifest, files: [{ name: '../../etc/passwd', format: 'csv', sha256: '', bytes: 0 }] },
        reader(files),
      ),
    ).rejects.toThrow(/files\[0\]\.name/);
    await expect(
      reproduce(
        {
          ...manifest,
          parameters: { ...manifest.parameters, analysis: { ...manifest.parameters.analysis, seed: 'one' } },
        },
        reader(files),
      ),
    ).rejects.toThrow(/parameters\.analysis\.seed/);
    await expect(reproduce([], reader(files))).rejects.toThrow(/not a JSON object/);
  });

  it('reruns the recorded community algorithm and PageRank rule, and an older manifest with Louvain and networkx', async () => {
    const { files, manifest } = await freshExport();
    expect(manifest.parameters.analysis).toMatchObject({ communityAlgorithm: 'leiden', convergence: 'converged' });
    // The recorded algorithm is the one rerun: recorded as Louvain, Leiden's results no longer match.
    const relabelled = structuredClone(manifest);
    relabelled.parameters.analysis.communityAlgorithm = 'louvain';
    relabelled.parameters.analysis.convergence = 'networkx';
    const paths = (await reproduce(relabelled, reader(files))).mismatches.map((m) => m.path);
    expect(paths.some((path) => path.endsWith('.pagerank'))).toBe(true);
    expect(paths.some((path) => path === 'modularity' || path.endsWith('.community'))).toBe(true);

    // A manifest from before the two settings were recorded was made with Louvain and networkx's rule.
    const exported = exportAndAttack(
      { model: 'research', graph: await caviar() },
      TEST_KEY,
      {
        perturb: true,
        formats: ['csv'],
        analysis: { ...DEFAULT_ANALYSIS_SETTINGS, communityAlgorithm: 'louvain', convergence: 'networkx' },
      },
      CONTEXT,
    );
    if (!exported.ok) throw new Error('refused');
    const older = JSON.parse(manifestJson(exported.manifest)) as ResearchManifest;
    delete (older.parameters.analysis as Partial<typeof older.parameters.analysis>).communityAlgorithm;
    delete (older.parameters.analysis as Partial<typeof older.parameters.analysis>).convergence;
    expect((await reproduce(older, reader(exported.files))).mismatches).toEqual([]);

    const unknown = structuredClone(manifest);
    (unknown.parameters.analysis as { communityAlgorithm: string }).communityAlgorithm = 'infomap';
    await expect(reproduce(unknown, reader(files))).rejects.toThrow(/parameters\.analysis\.communityAlgorithm/);
  });

  it('never holds the key, the date shift or an original id', async () => {
    const { network, persons } = await smallScenario();
    const exported = exportAndAttack(
      { model: 'records', network, persons },
      TEST_KEY,
      { perturb: true, dates: 'shift' },
      CONTEXT,
    );
    if (!exported.ok) throw new Error('refused');
    const text = manifestJson(exported.manifest);
    expect(text).not.toContain(TEST_KEY.toString('hex'));
    expect(text).not.toContain(TEST_KEY.toString('base64'));
    expect(text).not.toMatch(/shift(Days)?"\s*:/);
    for (const id of persons.nodes()) expect(text).not.toContain(`"${id}"`);
  });
});
