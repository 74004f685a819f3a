/**
 * The viewer's interface. Every string from data reaches the page as a text
 * child or an attribute value set by Preact (escaped), or is drawn on canvas
 * by sigma: nothing is ever parsed as HTML.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Attributes } from 'graphology-types';
import { describePlanFailure, type ViewerBundle, type ViewerLayout } from '@ocgnet/bundle';
import { SAFEGUARDING_FLAGS } from '@ocgnet/schema';
import {
  ApiError,
  fetchBundle,
  fetchMe,
  fetchProfileHtml,
  login,
  logout,
  profileUrl,
  recordConsultation,
  takeHashCredentials,
  type Consultation,
  type Me,
} from './api.js';
import { bannerText, detailsAsHtml, download, downloadJson, viewAsPng, viewAsSvg } from './exports.js';
import { OpenError, openFile } from './load.js';
import {
  EFFICIENCY_LIMIT,
  UNDATED_NOTE,
  fragmentationOf,
  graphOf,
  loadBundle,
  matchedAlias,
  searchNodes,
  type Fragmentation,
  type Loaded,
} from './model.js';
import { GraphRenderer, KIND_COLOURS, groupColour, isCuckooedAddress, isSafeguarding } from './renderer.js';
import {
  DEFAULT_VIEW,
  History,
  METRICS,
  dateOfDay,
  dayOf,
  parseWorkingState,
  type MetricName,
  type ViewState,
  type WorkingState,
} from './state.js';
import { StrategyPanel } from './Strategies.js';
import { initialView, scopedVisibility, subjectView } from './scope.js';
import { subjectFromHash } from './expand.js';
import { isCommunityKey } from './overview.js';
import { CommunityDetails, OverviewControls, activate } from './Overview.js';
import { SubjectPanel } from './SubjectPanel.js';
import { PathHops } from './PathHops.js';
import { fitCamera, framing, pathHops } from './pathHops.js';
import { Legend, Swatch } from './Legend.js';
import { ProfilePanel } from './ProfilePanel.js';

/** Read-only handles for tests: `window.__ocgnet`. */
const hooks: { sigma: unknown; graph: unknown; state: unknown } = { sigma: null, graph: null, state: null };
Object.defineProperty(window, '__ocgnet', {
  value: Object.freeze({
    get sigma() {
      return hooks.sigma;
    },
    get graph() {
      return hooks.graph;
    },
    get state() {
      return hooks.state;
    },
  }),
  writable: false,
  configurable: false,
});

function format(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

function Banner({ bundle, position }: { bundle: ViewerBundle | null; position: 'top' | 'bottom' }) {
  return (
    <div
      class={`banner banner-${position}`}
      role="note"
      data-testid={`banner-${position}`}
      title={bundle ? bannerText(bundle) : undefined}
    >
      {bundle ? bannerText(bundle) : 'OFFICIAL-SENSITIVE — open a bundle to see its marking'}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="section">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Checklist({
  items,
  hidden,
  onToggle,
  colour,
  testid,
}: {
  items: string[];
  hidden: string[];
  onToggle: (item: string) => void;
  colour?: (item: string) => string;
  testid: string;
}) {
  return (
    <ul class="checklist" data-testid={testid}>
      {items.map((item) => (
        <li key={item}>
          <label>
            <input type="checkbox" checked={!hidden.includes(item)} onChange={() => onToggle(item)} data-value={item} />
            {colour ? <Swatch colour={colour(item)} /> : null}
            {item}
          </label>
        </li>
      ))}
    </ul>
  );
}

function toggle(list: string[], item: string): string[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

function detailRows(loaded: Loaded, node: string): [string, string][] {
  const graph = loaded.persons.hasNode(node) ? loaded.persons : loaded.network;
  const attributes: Attributes = graph.hasNode(node) ? graph.getNodeAttributes(node) : {};
  const network: Attributes = loaded.network.hasNode(node) ? loaded.network.getNodeAttributes(node) : {};
  const marking = (attributes.marking ?? network.marking) as { handling?: string; conditions?: string[] } | undefined;
  const rows: [string, string][] = [
    ['id', node],
    ['label', String(attributes.label ?? node)],
    ['kind', String(attributes.kind ?? network.kind ?? '')],
    [
      'handling',
      marking
        ? `${marking.handling ?? ''}${marking.conditions && marking.conditions.length > 0 ? ` (conditions: ${marking.conditions.join('; ')})` : ''}`
        : '',
    ],
  ];
  const flags = SAFEGUARDING_FLAGS.filter((flag) => attributes[flag] === true || network[flag] === true);
  rows.push([
    'safeguarding',
    flags.length > 0 ? `PROTECT — ${flags.join(', ')}` : attributes.safeguarding === true ? 'PROTECT' : 'no flag',
  ]);
  if (attributes.mappedGroup !== undefined) rows.push(['mapped group', String(attributes.mappedGroup)]);
  if (attributes.mappedRole !== undefined) rows.push(['mapped role', String(attributes.mappedRole)]);
  if (attributes.likelyRole !== undefined) rows.push(['likely role', String(attributes.likelyRole)]);
  if (attributes.community !== undefined) rows.push(['community', String(attributes.community)]);
  if (attributes.articulation === true) rows.push(['cut point', 'yes: removing them splits their component']);
  // A person lists every metric, — where it was not computed (a large-path bundle computes only those that
  // scale; JSON carries NaN as null), so the analyst sees what is missing rather than a shorter list.
  const person = graph === loaded.persons && graph.hasNode(node);
  for (const metric of [...METRICS, 'constraint'] as const) {
    const value: unknown = attributes[metric];
    if (typeof value === 'number') rows.push([metric, format(value, 4)]);
    else if (person) rows.push([metric, '—']);
  }
  const graphNow = graph.hasNode(node) ? graph : null;
  if (graphNow) rows.push(['associations', String(graphNow.degree(node))]);
  return rows;
}

export function App() {
  const history = useRef(new History()).current;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [view, setView] = useState<ViewState>(DEFAULT_VIEW);
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [tab, setTab] = useState<'details' | 'disruption' | 'plans'>('details');
  const [layoutTick, setLayoutTick] = useState(0);
  const [layoutTarget, setLayoutTarget] = useState(500);
  const [loginNeeded, setLoginNeeded] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [radius, setRadius] = useState(1);
  const [pathFrom, setPathFrom] = useState<string | null>(null);
  /**
   * The nominal whose served profile is open: each opening is an audited consultation, so it is asked
   * for, not automatic. Its frame stays mounted (hidden) while another tab is shown, so switching tabs
   * never fetches it again; selecting another nominal closes it.
   */
  const [profileShown, setProfileShown] = useState<string | null>(null);
  /** The served session, from /api/me: whether this server can make profiles at all. */
  const [me, setMe] = useState<Me | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const renderer = useRef<GraphRenderer | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const stateInput = useRef<HTMLInputElement>(null);
  const profileFrame = useRef<HTMLIFrameElement>(null);
  /** `#subject=kind:id` from the address, read before a token in it is cleared; applied once a bundle is open. */
  const pendingSubject = useRef(subjectFromHash(window.location.hash));

  const commit = useCallback((next: ViewState) => {
    history.push(next);
    setView(history.current);
  }, []);
  const change = useCallback((patch: Partial<ViewState>) => commit({ ...history.current, ...patch }), []);

  const open = useCallback((bundle: ViewerBundle, source: string, served: boolean) => {
    renderer.current?.kill();
    renderer.current = null;
    const next = loadBundle(bundle, source, served);
    history.reset(initialView(next));
    setView(history.current);
    setSelected(null);
    setPathFrom(null);
    setLoaded(next);
    setMessage(null);
  }, []);

  const applyWorkingState = useCallback(
    (working: WorkingState) => {
      if (!loaded) throw new Error('open the bundle before its working state');
      for (const graph of [loaded.persons, loaded.network]) {
        graph.forEachNode((node) => {
          const at = working.positions[node];
          if (at) graph.mergeNodeAttributes(node, { x: at[0], y: at[1] });
        });
      }
      commit(working.view);
      setSelected(working.selected);
    },
    [loaded],
  );

  const openAny = useCallback(
    async (file: File) => {
      try {
        if (file.name.toLowerCase().endsWith('.json')) {
          const head = (await file.slice(0, 200).text()).replace(/\s/g, '');
          if (head.includes('"format":"ocgnet-viewer-state"')) {
            applyWorkingState(parseWorkingState(JSON.parse(await file.text())));
            setMessage(`working state restored from ${file.name}`);
            return;
          }
        }
        open(await openFile(file), file.name, false);
      } catch (error) {
        setMessage(error instanceof OpenError || error instanceof Error ? error.message : String(error));
      }
    },
    [open, applyWorkingState],
  );

  // Served mode: a token in the address, or an existing session.
  useEffect(() => {
    void (async () => {
      try {
        const credentials = takeHashCredentials();
        if (credentials) await login(credentials.user, credentials.token);
        const bundle = await fetchBundle();
        if (bundle === 'login') setLoginNeeded(true);
        else if (bundle) {
          open(bundle, 'server', true);
          setMe(await fetchMe());
        } else if (credentials) setLoginNeeded(true);
      } catch (error) {
        setMessage(error instanceof ApiError ? error.message : String(error));
        setLoginNeeded(true);
      }
    })();
  }, []);

  const visibility = useMemo(() => (loaded ? scopedVisibility(loaded, view) : null), [loaded, view]);
  // Fragmentation (a CSR and BFS over the whole network) only while the What-if tab shows it, not on every click.
  const whatIfShown = tab === 'disruption';
  const fragmentation = useMemo(
    () => (visibility && whatIfShown ? fragmentationOf(visibility.measured) : null),
    [visibility, whatIfShown],
  );

  // Sigma: created once per opened bundle, then redrawn through its reducers.
  useEffect(() => {
    if (!loaded || !visibility || !container.current) return;
    const style = { loaded, state: view, visibility, selected, hovered: null };
    if (!renderer.current) {
      const created = new GraphRenderer(container.current, style);
      created.onLayout = () => setLayoutTick((tick) => tick + 1);
      created.sigma.on('clickNode', ({ node }) => setSelected(node));
      created.sigma.on('doubleClickNode', (event) => {
        event.preventSigmaDefault();
        onActivate.current(event.node);
      });
      renderer.current = created;
      if (!loaded.bundle.layout) setMessage('no saved layout: press Start layout to run ForceAtlas2');
    } else renderer.current.update(style);
    hooks.sigma = renderer.current.sigma;
    hooks.graph = renderer.current.sigma.getGraph();
  }, [loaded, visibility, selected]);

  useEffect(() => () => renderer.current?.kill(), []);

  // A path shown is framed whole, once, when it appears; so is a subject view as it grows.
  const framed = useRef<string | null>(null);
  useEffect(() => {
    const [key, nodes] = framing(view, visibility);
    if (key !== null && key !== framed.current && renderer.current) fitCamera(renderer.current.sigma, nodes);
    framed.current = key;
  }, [visibility]);

  // Auto-stop the layout at the target.
  useEffect(() => {
    const current = renderer.current;
    if (current && current.layoutRunning && current.iterations >= layoutTarget) current.stopLayout();
  }, [layoutTick, layoutTarget]);

  hooks.state = Object.freeze({
    view: JSON.parse(JSON.stringify(view)) as ViewState,
    selected,
    source: loaded?.source ?? null,
    persons: loaded?.persons.order ?? 0,
    visibleNodes: visibility?.nodes.size ?? 0,
    visibleEdges: visibility?.edges.size ?? 0,
    fragmentation: fragmentation ? JSON.parse(JSON.stringify(fragmentation)) : null,
    layout: { running: renderer.current?.layoutRunning ?? false, iterations: renderer.current?.iterations ?? 0 },
  });

  // Keyboard undo/redo.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || (event.target as HTMLElement)?.tagName === 'INPUT') return;
      if (event.key.toLowerCase() === 'z') {
        event.preventDefault();
        if (event.shiftKey ? history.redo() : history.undo()) setView(history.current);
      } else if (event.key.toLowerCase() === 'y') {
        event.preventDefault();
        if (history.redo()) setView(history.current);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const focusCamera = (node: string) => {
    const sigma = renderer.current?.sigma;
    const display = sigma?.getNodeDisplayData(node);
    if (sigma && display)
      void sigma.getCamera().animate({ x: display.x, y: display.y, ratio: 0.35 }, { duration: 400 });
  };

  // One profile request per click: a profile is closed, not refetched, when the selection moves on.
  useEffect(() => setProfileShown((shown) => (shown === selected ? shown : null)), [selected]);

  /** Shows an ego or path view; where the server audits, only once it has recorded the consultation. */
  const consult = async (consultation: Consultation, show: () => void) => {
    if (!loaded?.served || me?.audited !== true) return show();
    try {
      await recordConsultation(consultation);
      show();
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : String(error));
    }
  };
  const kindOf = (node: string): string =>
    loaded?.persons.hasNode(node)
      ? 'person'
      : loaded?.network.hasNode(node)
        ? String(loaded.network.getNodeAttribute(node, 'kind') ?? 'entity')
        : 'entity';

  /** Opens the subject-first view on `node`: an ego consultation of radius 1, recorded where the server audits. */
  const startFrom = (node: string) => {
    if (!loaded) return;
    const next = subjectView(loaded, history.current, node);
    if (!next) return setMessage(`${node} is not in this bundle`);
    void consult({ view: 'ego', node, kind: kindOf(node), radius: 1 }, () => {
      commit(next);
      setSelected(node);
    });
  };
  const expand = (node: string) =>
    void consult({ view: 'ego', node, kind: kindOf(node), radius: 1 }, () =>
      commit({ ...history.current, expanded: [...history.current.expanded, node] }),
    );
  /** Double-click: open or close a community, or expand a node of the subject view. */
  const onActivate = useRef((_node: string) => {});
  onActivate.current = (node: string) => {
    const next = loaded ? activate(loaded, history.current, node) : null;
    if (next && next.expanded.length > history.current.expanded.length) expand(node);
    else if (next) commit(next);
  };
  useEffect(() => {
    const pending = pendingSubject.current;
    if (!pending || !loaded || (loaded.served && me === null)) return;
    pendingSubject.current = null;
    startFrom(pending.id);
  }, [loaded, me]);

  const select = (node: string) => {
    if (loaded && !graphOf(loaded, view.view).hasNode(node))
      change({ view: loaded.persons.hasNode(node) ? 'persons' : 'network' });
    setSelected(node);
    setTab('details');
    setTimeout(() => focusCamera(node), 50);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer?.files[0];
    if (file) void openAny(file);
  };

  const bundle = loaded?.bundle ?? null;
  const hits = loaded ? searchNodes(loaded, query) : [];
  const currentGraph = loaded ? graphOf(loaded, view.view) : null;
  const linkTypes = loaded
    ? currentGraph === loaded.network
      ? loaded.linkTypes.network
      : loaded.linkTypes.persons
    : [];
  const range = loaded?.range ?? null;
  const window_ = view.window ?? range;

  const saveBundleWithLayout = () => {
    if (!loaded || !renderer.current) return;
    const positions = renderer.current.positions();
    const iterations = (loaded.bundle.layout?.iterations ?? 0) + renderer.current.iterations;
    const layout: ViewerLayout = { algorithm: 'forceatlas2', iterations, positions };
    const next: ViewerBundle = { ...loaded.bundle, layout };
    loaded.bundle.layout = layout;
    downloadJson(next, 'bundle.json');
  };

  const saveWorkingState = () => {
    if (!renderer.current || !loaded) return;
    const { classification, marking } = loaded.bundle;
    const working: WorkingState = {
      format: 'ocgnet-viewer-state',
      version: 1,
      classification,
      marking,
      view,
      selected,
      positions: renderer.current.positions(),
    };
    downloadJson(working, 'viewer-state.json');
  };

  const setWindow = (from: number, to: number) => {
    if (!range) return;
    const low = Math.max(range[0], Math.min(from, to));
    const high = Math.min(range[1], Math.max(from, to));
    change({ window: low <= range[0] && high >= range[1] ? null : [low, high] });
  };

  const removed = new Set(view.removed);
  const toggleRemoved = (node: string) =>
    change({ removed: removed.has(node) ? view.removed.filter((x) => x !== node) : [...view.removed, node] });

  return (
    <div
      class={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(event: DragEvent) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <Banner bundle={bundle} position="top" />
      <header class="toolbar">
        <strong class="brand">ocgnet viewer</strong>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.gexf,.graphml,.xml"
          class="hidden"
          data-testid="open-file"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) void openAny(file);
            event.currentTarget.value = '';
          }}
        />
        <span class="source" data-testid="source">
          {loaded
            ? `${loaded.source}: ${loaded.persons.order} persons, ${loaded.network.order} entities`
            : 'drop a bundle.json, GEXF or GraphML file here'}
        </span>
        <span class="spacer" />
        <button
          type="button"
          disabled={!history.canUndo}
          onClick={() => history.undo() && setView(history.current)}
          data-testid="undo"
          title="Undo (Ctrl+Z)"
        >
          Undo
        </button>
        <button
          type="button"
          disabled={!history.canRedo}
          onClick={() => history.redo() && setView(history.current)}
          data-testid="redo"
          title="Redo (Ctrl+Shift+Z)"
        >
          Redo
        </button>
        {loaded?.served ? (
          <button
            type="button"
            data-testid="logout"
            onClick={async () => {
              try {
                await logout();
                renderer.current?.kill();
                renderer.current = null;
                hooks.sigma = null;
                hooks.graph = null;
                history.reset(DEFAULT_VIEW);
                setView(DEFAULT_VIEW);
                setSelected(null);
                setLoaded(null);
                setMe(null);
                setLoginNeeded(true);
                setMessage('logged out: the session has ended');
              } catch (error) {
                setMessage(error instanceof Error ? error.message : String(error));
              }
            }}
          >
            Log out
          </button>
        ) : null}
        <button type="button" disabled={!loaded} onClick={saveWorkingState} data-testid="save-state">
          Save state
        </button>
        <button type="button" disabled={!loaded} onClick={() => stateInput.current?.click()}>
          Open state…
        </button>
        <input
          ref={stateInput}
          type="file"
          accept=".json"
          class="hidden"
          data-testid="open-state"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) void openAny(file);
            event.currentTarget.value = '';
          }}
        />
        <button
          type="button"
          disabled={!loaded}
          onClick={async () => {
            try {
              if (renderer.current && bundle)
                download(await viewAsPng(renderer.current.sigma, bundle), 'ocgnet-view.png');
            } catch (error) {
              setMessage(`PNG export failed: ${(error as Error).message}`);
            }
          }}
          data-testid="export-png"
        >
          PNG
        </button>
        <button
          type="button"
          disabled={!loaded}
          onClick={() =>
            renderer.current &&
            bundle &&
            download(
              new Blob([viewAsSvg(renderer.current.sigma, bundle)], { type: 'image/svg+xml' }),
              'ocgnet-view.svg',
            )
          }
          data-testid="export-svg"
        >
          SVG
        </button>
      </header>
      {message ? (
        <div class="message" role="status" data-testid="message">
          {message}
          <button type="button" class="link" onClick={() => setMessage(null)}>
            dismiss
          </button>
        </div>
      ) : null}
      {loginNeeded && !loaded ? (
        <LoginForm
          onLogin={async (user, token, reason) => {
            try {
              await login(user, token, reason);
              const served = await fetchBundle();
              if (served && served !== 'login') {
                open(served, 'server', true);
                setLoginNeeded(false);
                setMe(await fetchMe());
              } else setMessage('logged in, but the server has no bundle');
            } catch (error) {
              setMessage((error as Error).message);
            }
          }}
        />
      ) : null}
      <div class="body">
        <aside class="sidebar" data-testid="sidebar">
          {loaded && visibility ? <Legend loaded={loaded} view={view} visibility={visibility} /> : null}
          <Section title="Find a nominal">
            <input
              type="search"
              placeholder="name or id"
              value={query}
              onInput={(event) => setQuery(event.currentTarget.value)}
              data-testid="search"
              aria-label="search"
            />
            <ul class="hits" data-testid="search-results">
              {hits.map((hit) => (
                <li key={hit.id}>
                  <button type="button" class="link" data-node={hit.id} onClick={() => select(hit.id)}>
                    {hit.label}
                  </button>{' '}
                  <span class="muted">
                    {hit.kind} {hit.id}
                    {matchedAlias(hit, query) !== null ? ` · alias ${matchedAlias(hit, query)}` : ''}
                  </span>{' '}
                  <button type="button" class="link" data-start={hit.id} onClick={() => startFrom(hit.id)}>
                    start here
                  </button>
                </li>
              ))}
            </ul>
          </Section>
          <Section title="View">
            <div class="row">
              <label>
                <input
                  type="radio"
                  name="view"
                  checked={view.view === 'persons'}
                  onChange={() => change({ view: 'persons' })}
                  data-testid="view-persons"
                />{' '}
                persons
              </label>
              <label>
                <input
                  type="radio"
                  name="view"
                  checked={view.view === 'network'}
                  disabled={!loaded || loaded.network.order === 0}
                  onChange={() => change({ view: 'network' })}
                  data-testid="view-network"
                />{' '}
                multimodal network
              </label>
            </div>
            {loaded?.bundle.scale !== undefined ? (
              <p class="note" data-testid="scale-note">
                {`Built on the large path: ${loaded.persons.order.toLocaleString('en-GB')} persons, with ${loaded.bundle.scale.computed.join(', ')} computed (other metrics show —). The multimodal network (${loaded.bundle.scale.networkOmitted.entities.toLocaleString('en-GB')} entities, ${loaded.bundle.scale.networkOmitted.links.toLocaleString('en-GB')} links) is too large to draw and is not in the bundle.`}
              </p>
            ) : null}
            <label class="row">
              Colour by{' '}
              <select
                value={view.colourBy}
                onChange={(event) => change({ colourBy: event.currentTarget.value as ViewState['colourBy'] })}
                data-testid="colour-by"
              >
                <option value="community">community</option>
                <option value="group">mapped OCG / USG</option>
                <option value="kind">entity kind</option>
              </select>
            </label>
            <label class="row">
              Size by{' '}
              <select
                value={view.sizeBy}
                onChange={(event) => change({ sizeBy: event.currentTarget.value as MetricName })}
                data-testid="size-by"
              >
                {METRICS.map((metric) => (
                  <option key={metric} value={metric}>
                    {metric}
                  </option>
                ))}
              </select>
            </label>
          </Section>
          {loaded ? (
            <Section title="Overview">
              <OverviewControls loaded={loaded} view={view} onChange={commit} />
            </Section>
          ) : null}
          <Section title="Layout (ForceAtlas2, web worker)">
            <div class="row">
              <button
                type="button"
                disabled={!loaded}
                data-testid="layout-toggle"
                onClick={() => {
                  const r = renderer.current;
                  if (!r) return;
                  if (r.layoutRunning) r.stopLayout();
                  else {
                    if (r.iterations >= layoutTarget) setLayoutTarget(r.iterations + 500);
                    r.startLayout();
                  }
                }}
              >
                {renderer.current?.layoutRunning ? 'Stop layout' : 'Start layout'}
              </button>
              <label>
                stop at{' '}
                <input
                  type="number"
                  min={10}
                  step={100}
                  value={layoutTarget}
                  class="narrow"
                  onChange={(event) => setLayoutTarget(Math.max(10, Number(event.currentTarget.value) || 500))}
                />
              </label>
            </div>
            <progress
              max={layoutTarget}
              value={Math.min(layoutTarget, renderer.current?.iterations ?? 0)}
              data-testid="layout-progress"
            />
            <div class="muted" data-testid="layout-iterations">
              {renderer.current?.iterations ?? 0} iterations{renderer.current?.layoutRunning ? ' — running' : ''}
              {bundle?.layout ? ` (saved layout: ${bundle.layout.iterations} iterations)` : ''}
              {renderer.current?.edgesPaused ? ' — links hidden until it stops (large graph)' : ''}
            </div>
            <button type="button" disabled={!loaded} onClick={saveBundleWithLayout} data-testid="save-bundle">
              Download bundle with layout
            </button>
          </Section>
          <Section title="Time window">
            {range && window_ ? (
              <div data-testid="time-window">
                <input
                  type="range"
                  min={range[0]}
                  max={range[1]}
                  value={window_[0]}
                  aria-label="window start"
                  data-testid="window-from-slider"
                  onChange={(event) => setWindow(Number(event.currentTarget.value), window_[1])}
                />
                <input
                  type="range"
                  min={range[0]}
                  max={range[1]}
                  value={window_[1]}
                  aria-label="window end"
                  data-testid="window-to-slider"
                  onChange={(event) => setWindow(window_[0], Number(event.currentTarget.value))}
                />
                <div class="row">
                  <input
                    type="date"
                    value={dateOfDay(window_[0])}
                    min={dateOfDay(range[0])}
                    max={dateOfDay(range[1])}
                    data-testid="window-from"
                    onChange={(event) => {
                      const day = dayOf(event.currentTarget.value);
                      if (day !== undefined) setWindow(day, window_[1]);
                    }}
                  />
                  <input
                    type="date"
                    value={dateOfDay(window_[1])}
                    min={dateOfDay(range[0])}
                    max={dateOfDay(range[1])}
                    data-testid="window-to"
                    onChange={(event) => {
                      const day = dayOf(event.currentTarget.value);
                      if (day !== undefined) setWindow(window_[0], day);
                    }}
                  />
                </div>
                <div class="row">
                  <span data-testid="window-label">
                    {view.window ? `${dateOfDay(view.window[0])} to ${dateOfDay(view.window[1])}` : 'full range'}
                  </span>
                  <button
                    type="button"
                    class="link"
                    disabled={view.window === null}
                    onClick={() => change({ window: null })}
                  >
                    full range
                  </button>
                </div>
                <p class="note" data-testid="undated-rule">
                  A link is shown when its dates overlap the window. {UNDATED_NOTE}
                </p>
              </div>
            ) : (
              <p class="muted">no dated links</p>
            )}
          </Section>
          {loaded ? (
            <>
              <Section title="Link types">
                <Checklist
                  testid="filter-link-types"
                  items={linkTypes}
                  hidden={view.hiddenLinkTypes}
                  onToggle={(item) => change({ hiddenLinkTypes: toggle(view.hiddenLinkTypes, item) })}
                />
              </Section>
              <Section title="Handling code">
                <Checklist
                  testid="filter-handling"
                  items={loaded.handling}
                  hidden={view.hiddenHandling}
                  onToggle={(item) => change({ hiddenHandling: toggle(view.hiddenHandling, item) })}
                />
                <p class="note">
                  Applies to entities as to links: an entity whose code is unticked is hidden, and its links with it.
                </p>
              </Section>
              {loaded.gradings.length > 0 ? (
                <Section title="Grading (source / intelligence)">
                  <Checklist
                    testid="filter-gradings"
                    items={loaded.gradings}
                    hidden={view.hiddenGradings}
                    onToggle={(item) => change({ hiddenGradings: toggle(view.hiddenGradings, item) })}
                  />
                  <p class="note">
                    3x5x2: source 1–3, intelligence A–E; legacy 5x5x5 gradings as one item. A person link stays while
                    any of its evidence links passes.
                  </p>
                </Section>
              ) : null}
              <Section title="Mapped groups (OCG / USG)">
                <Checklist
                  testid="filter-groups"
                  items={loaded.groups}
                  hidden={view.hiddenGroups}
                  colour={(item) => groupColour(loaded, item)}
                  onToggle={(item) => change({ hiddenGroups: toggle(view.hiddenGroups, item) })}
                />
              </Section>
              {view.view === 'network' ? (
                <Section title="Entity kinds">
                  <Checklist
                    testid="filter-kinds"
                    items={loaded.kinds}
                    hidden={view.hiddenKinds}
                    colour={(item) => KIND_COLOURS[item] ?? '#555'}
                    onToggle={(item) => change({ hiddenKinds: toggle(view.hiddenKinds, item) })}
                  />
                </Section>
              ) : null}
            </>
          ) : null}
        </aside>
        <main class="stage">
          <div ref={container} class="sigma" data-testid="sigma" />
          {!loaded ? (
            <div class="empty">
              <p>Open a viewer bundle (bundle.json from the server helper), or a GEXF / GraphML research network.</p>
              <p>Drop the file anywhere on this page, or use Open….</p>
            </div>
          ) : null}
          {visibility ? (
            <div class="status" data-testid="status">
              <span data-testid="visible-nodes">{visibility.nodes.size}</span> nodes,{' '}
              <span data-testid="visible-edges">{visibility.edges.size}</span> links shown
              {view.focus ? (
                <>
                  {' '}
                  · ego network of {labelOf(loaded!, view.focus.node)}, radius {view.focus.radius}{' '}
                  <button type="button" class="link" onClick={() => change({ focus: null })}>
                    clear
                  </button>
                </>
              ) : null}
              {view.path ? (
                <>
                  {' '}
                  · path {labelOf(loaded!, view.path.from)} → {labelOf(loaded!, view.path.to)}:{' '}
                  {visibility.pathNote ?? `${Math.max(0, visibility.pathNodes.size - 1)} hops`}{' '}
                  <button type="button" class="link" onClick={() => change({ path: null })}>
                    clear
                  </button>
                </>
              ) : null}
            </div>
          ) : null}
        </main>
        <aside class="panel" data-testid="panel">
          <nav class="tabs">
            <button
              type="button"
              class={tab === 'details' ? 'active' : ''}
              onClick={() => setTab('details')}
              data-testid="tab-details"
            >
              Details
            </button>
            <button
              type="button"
              class={tab === 'disruption' ? 'active' : ''}
              onClick={() => setTab('disruption')}
              data-testid="tab-disruption"
            >
              What-if
            </button>
            <button
              type="button"
              class={tab === 'plans' ? 'active' : ''}
              onClick={() => setTab('plans')}
              data-testid="tab-plans"
            >
              Plans
            </button>
          </nav>
          {/* Kept mounted while another tab is shown (hidden), so an open profile frame is not fetched again. */}
          {tab === 'details' && loaded && visibility?.subject ? (
            <SubjectPanel
              scope={visibility.subject}
              view={view}
              selected={selected}
              labelOf={(node) => labelOf(loaded, node)}
              isProtected={(node) => protectedNode(loaded, node)}
              onSelect={select}
              onExpand={expand}
              onChange={commit}
            />
          ) : null}
          {tab === 'details' && loaded && visibility && view.path ? (
            <PathHops
              hops={pathHops(visibility.graph, view.path.from, visibility.pathNodes, visibility.pathEdges)}
              labelOf={(node) => labelOf(loaded, node)}
              isProtected={(node) => protectedNode(loaded, node)}
            />
          ) : null}
          {loaded && selected && visibility && isCommunityKey(selected) ? (
            <div hidden={tab !== 'details'}>
              <CommunityDetails graph={visibility.graph} node={selected} view={view} onChange={commit} />
            </div>
          ) : loaded && selected ? (
            <div data-testid="details" hidden={tab !== 'details'}>
              <h2 data-testid="details-label">{labelOf(loaded, selected)}</h2>
              <div class="muted" data-testid="details-id">
                {selected}
              </div>
              <div class="row wrap">
                <button type="button" onClick={() => toggleRemoved(selected)} data-testid="remove-node">
                  {removed.has(selected) ? 'Restore' : 'Remove (what-if)'}
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void consult({ view: 'ego', node: selected, kind: kindOf(selected), radius }, () =>
                      change({ focus: { node: selected, radius } }),
                    )
                  }
                  data-testid="focus-ego"
                >
                  Ego network
                </button>
                <select
                  value={radius}
                  onChange={(event) => setRadius(Number(event.currentTarget.value))}
                  aria-label="radius"
                  data-testid="ego-radius"
                >
                  {[1, 2, 3].map((r) => (
                    <option key={r} value={r}>
                      radius {r}
                    </option>
                  ))}
                </select>
                {pathFrom && pathFrom !== selected ? (
                  <button
                    type="button"
                    onClick={() =>
                      void consult({ view: 'path', from: pathFrom, to: selected }, () => {
                        change({ path: { from: pathFrom, to: selected } });
                        setPathFrom(null);
                      })
                    }
                    data-testid="path-to"
                  >
                    Shortest path from {labelOf(loaded, pathFrom)}
                  </button>
                ) : (
                  <button type="button" onClick={() => setPathFrom(selected)} data-testid="path-from">
                    Path from here…
                  </button>
                )}
              </div>
              {loaded.served && loaded.persons.hasNode(selected) && me?.profiles === true ? (
                <div class="profile">
                  <div class="row">
                    <button
                      type="button"
                      onClick={async () => {
                        try {
                          download(
                            await fetchProfileHtml(selected),
                            `profile-${selected.replace(/[^A-Za-z0-9_-]/g, '_')}.html`,
                          );
                        } catch (error) {
                          setMessage(error instanceof Error ? error.message : String(error));
                        }
                      }}
                      data-testid="download-profile"
                    >
                      Download HTML
                    </button>
                    <button type="button" onClick={() => printProfile(profileUrl(selected))}>
                      Print
                    </button>
                  </div>
                  {profileShown === selected ? (
                    <ProfilePanel
                      url={profileUrl(selected)}
                      title={labelOf(loaded, selected)}
                      marking={{ classification: loaded.bundle.classification, ...loaded.bundle.marking }}
                      frameRef={profileFrame}
                      onClose={() => setProfileShown(null)}
                    />
                  ) : (
                    <button type="button" onClick={() => setProfileShown(selected)} data-testid="show-profile">
                      Show partnership profile (audited)
                    </button>
                  )}
                  <p class="note">Profiles come from the server's store; each one shown is an audited consultation.</p>
                </div>
              ) : (
                <>
                  <div class="row">
                    <button
                      type="button"
                      onClick={() =>
                        download(
                          new Blob(
                            [detailsAsHtml(loaded.bundle, labelOf(loaded, selected), detailRows(loaded, selected))],
                            { type: 'text/html' },
                          ),
                          `details-${selected.replace(/[^A-Za-z0-9_-]/g, '_')}.html`,
                        )
                      }
                      data-testid="export-details"
                    >
                      Download HTML
                    </button>
                    <button type="button" onClick={() => window.print()}>
                      Print
                    </button>
                  </div>
                  {loaded.served && loaded.persons.hasNode(selected) ? (
                    <p class="note" data-testid="no-profiles">
                      This server has no store (ocgnet view), so it makes no partnership profiles.
                    </p>
                  ) : null}
                </>
              )}
              <table class="details" data-testid="details-table">
                <tbody>
                  {detailRows(loaded, selected).map(([key, value]) => (
                    <tr key={key} class={key === 'safeguarding' && value.startsWith('PROTECT') ? 'protect' : ''}>
                      <th>{key}</th>
                      <td>{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : tab === 'details' ? (
            <p class="muted">Click a node or search for a nominal.</p>
          ) : null}
          {tab === 'disruption' && loaded && fragmentation && visibility ? (
            <div data-testid="disruption">
              <FragmentationTable before={fragmentation.before} after={fragmentation.after} />
              <p class="note">
                Measured on the network as shown (filters applied). Efficiency is computed live up to {EFFICIENCY_LIMIT}{' '}
                nodes.
              </p>
              <h3>Removed ({view.removed.length})</h3>
              <ul class="removed" data-testid="removed-list">
                {view.removed.map((node) => (
                  <li key={node}>
                    <button type="button" class="link" onClick={() => select(node)}>
                      {labelOf(loaded, node)}
                    </button>{' '}
                    <button type="button" class="link" onClick={() => toggleRemoved(node)}>
                      restore
                    </button>
                  </li>
                ))}
              </ul>
              {view.removed.length > 0 ? (
                <button type="button" onClick={() => change({ removed: [] })} data-testid="clear-removed">
                  Restore all
                </button>
              ) : null}
              <StrategyPanel visibility={visibility.measured} removed={view.removed} />
            </div>
          ) : null}
          {tab === 'plans' && loaded ? (
            <Plans
              loaded={loaded}
              onSelect={select}
              onRemove={(targets) => change({ removed: [...new Set([...view.removed, ...targets])] })}
            />
          ) : null}
        </aside>
      </div>
      <Banner bundle={bundle} position="bottom" />
    </div>
  );
}

/** A safeguarding subject (or cuckooed address): listed everywhere as one to protect, never a target. */
function protectedNode(loaded: Loaded, node: string): boolean {
  const graph = loaded.persons.hasNode(node) ? loaded.persons : loaded.network;
  if (!graph.hasNode(node)) return false;
  const attributes = graph.getNodeAttributes(node);
  return isSafeguarding(attributes) || isCuckooedAddress(attributes);
}

function labelOf(loaded: Loaded, node: string): string {
  if (loaded.persons.hasNode(node)) return String(loaded.persons.getNodeAttribute(node, 'label'));
  if (loaded.network.hasNode(node)) return String(loaded.network.getNodeAttribute(node, 'label'));
  return node;
}

/** Prints a served profile from a hidden frame: same origin so it can be printed, still without scripts. */
function printProfile(url: string): void {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-same-origin allow-modals');
  frame.className = 'print-frame';
  frame.src = url;
  frame.addEventListener('load', () => {
    frame.contentWindow?.print();
    setTimeout(() => frame.remove(), 60_000);
  });
  document.body.append(frame);
}

function LoginForm({ onLogin }: { onLogin: (user: string, token: string, reason: string) => void }) {
  const [user, setUser] = useState('');
  const [token, setToken] = useState('');
  const [reason, setReason] = useState('');
  return (
    <form
      class="login"
      data-testid="login"
      onSubmit={(event: Event) => {
        event.preventDefault();
        onLogin(user, token, reason);
      }}
    >
      <strong>Log in to the ocgnet server</strong>
      <input
        placeholder="user"
        value={user}
        onInput={(event) => setUser(event.currentTarget.value)}
        autocomplete="username"
        data-testid="login-user"
      />
      <input
        placeholder="token"
        type="password"
        value={token}
        onInput={(event) => setToken(event.currentTarget.value)}
        autocomplete="current-password"
        data-testid="login-token"
      />
      <input
        placeholder="reason (optional)"
        title="your own reason, recorded beside the purpose configured for you, never instead of it"
        maxLength={500}
        value={reason}
        onInput={(event) => setReason(event.currentTarget.value)}
        data-testid="login-reason"
        aria-label="reason"
      />
      <button type="submit" data-testid="login-submit">
        Log in
      </button>
    </form>
  );
}

function FragmentationTable({ before, after }: { before: Fragmentation; after: Fragmentation }) {
  const rows: [string, keyof Fragmentation, number][] = [
    ['nodes remaining', 'remaining', 0],
    ['largest component (LCC)', 'lcc', 0],
    ['components', 'components', 0],
    ["Borgatti's F", 'fragmentation', 4],
    ['efficiency', 'efficiency', 4],
  ];
  return (
    <table class="details" data-testid="fragmentation">
      <thead>
        <tr>
          <th />
          <th>as shown</th>
          <th>after removals</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, key, digits]) => (
          <tr key={key}>
            <th>{name}</th>
            <td data-metric-before={key}>{format(before[key], digits)}</td>
            <td data-metric={key} class={before[key] !== after[key] ? 'changed' : ''}>
              {format(after[key], digits)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Plans({
  loaded,
  onSelect,
  onRemove,
}: {
  loaded: Loaded;
  onSelect: (node: string) => void;
  onRemove: (targets: string[]) => void;
}) {
  const plans = loaded.bundle.plans;
  const failures = loaded.bundle.planFailures ?? [];
  if (plans.length === 0 && failures.length === 0) return <p class="muted">This bundle has no disruption plans.</p>;
  return (
    <div data-testid="plans">
      {failures.length > 0 ? (
        <div class="plan-failures" role="alert" data-testid="plan-failures">
          <strong>Plans that could not be made ({failures.length}):</strong>
          <ul>
            {failures.map((failure) => (
              <li key={failure.group}>{describePlanFailure(failure)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {plans.map((plan) => (
        <section key={plan.group.id} class="plan">
          <h3>
            {plan.group.label} <span class="muted">{plan.group.id}</span>
          </h3>
          <div class="muted">
            {plan.scope.persons} persons, F = {format(plan.scope.fragmentation)}; all targets together: F →{' '}
            {format(plan.combined.fragmentationAfter)}
          </div>
          <ol>
            {plan.targets.map((target) => (
              <li key={target.person}>
                <button type="button" class="link" onClick={() => onSelect(target.person)}>
                  {target.label}
                </button>{' '}
                <span class="muted">
                  ΔF {format(target.impact.deltaF)} · {target.levers.map((lever) => lever.partner).join(', ')}
                </span>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => onRemove(plan.targets.map((target) => target.person))}>
            Remove these targets (what-if)
          </button>
          {plan.safeguarding.length > 0 ? (
            <div class="protect-list">
              <strong>Protect, not target:</strong>{' '}
              {plan.safeguarding.map((entry, i) => (
                <span key={entry.person}>
                  {i > 0 ? ', ' : ''}
                  <button type="button" class="link" onClick={() => onSelect(entry.person)}>
                    {entry.label}
                  </button>{' '}
                  ({entry.flags.join(', ')})
                </span>
              ))}
            </div>
          ) : null}
        </section>
      ))}
    </div>
  );
}

export { isCuckooedAddress, isSafeguarding };
