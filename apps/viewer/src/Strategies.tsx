/**
 * Strategies compared: removal curves computed in a web worker (medium
 * graphs take a while), drawn as a hand-written SVG chart, with each
 * strategy's removals listed. Safeguarding subjects are protected from
 * removal unless the analyst includes them (a visible option); included, each
 * one a strategy removes is marked in the listing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RemovalCurvePoint, RemovalMode, RemovalStrategyId } from '@ocgnet/disruption';
import { SAFEGUARDING_FLAGS, SAFEGUARDING_MARK } from '@ocgnet/schema';
import type { Visibility } from './model.js';
import { EFFICIENCY_LIMIT } from './model.js';
import type { CurveMessage, CurveRequest, SafeguardingFlags } from './strategies.worker.js';

interface Curve {
  strategy: string;
  removed: string[];
  curve: RemovalCurvePoint[];
}

/** What one run produced, with the choice it was made under. */
interface Run {
  includeSafeguarding: boolean;
  subjects: Set<string>;
  /** Safeguarding subjects kept from removal (empty when included). */
  protected: string[];
  refused: { strategy: string; message: string }[];
}

const STRATEGIES: RemovalStrategyId[] = [
  'degree',
  'betweenness',
  'pagerank',
  'coreness',
  'keyplayer',
  'random',
  'targets',
];
const COLOURS: Record<string, string> = {
  degree: '#1f77b4',
  betweenness: '#d62728',
  pagerank: '#2ca02c',
  coreness: '#9467bd',
  keyplayer: '#ff7f0e',
  random: '#7f7f7f',
  targets: '#000000',
};
type CurveMetric = 'lccFraction' | 'fragmentation' | 'efficiency' | 'components';

export function StrategyPanel({ visibility, removed }: { visibility: Visibility; removed: string[] }) {
  const [chosen, setChosen] = useState<RemovalStrategyId[]>(['degree', 'betweenness', 'random']);
  const [steps, setSteps] = useState(10);
  const [mode, setMode] = useState<RemovalMode>('sequential');
  const [metric, setMetric] = useState<CurveMetric>('lccFraction');
  const [progress, setProgress] = useState<{ done: number; total: number; strategy: string } | null>(null);
  const [curves, setCurves] = useState<Curve[]>([]);
  const [includeSafeguarding, setIncludeSafeguarding] = useState(false);
  const [ran, setRan] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Set when the last run was cancelled: how many strategies had finished. */
  const [cancelled, setCancelled] = useState<{ done: number; total: number } | null>(null);
  const worker = useRef<Worker | null>(null);

  useEffect(() => () => worker.current?.terminate(), []);

  const run = () => {
    worker.current?.terminate();
    const ids = [...visibility.nodes];
    const index = new Map(ids.map((id, i) => [id, i]));
    const edges: [number, number][] = [];
    const graph = visibility.graph;
    graph.forEachEdge((edge, _attributes, source, target) => {
      // As shown, before the what-if removals.
      const a = index.get(source);
      const b = index.get(target);
      if (a === undefined || b === undefined) return;
      if (visibility.edges.has(edge) || visibility.removed.has(source) || visibility.removed.has(target))
        edges.push([a, b]);
    });
    // Persons' safeguarding flags (a cuckooed address is not a person to protect from removal).
    const flags = ids.map((id): SafeguardingFlags => {
      const attributes = graph.getNodeAttributes(id);
      if (attributes.kind !== undefined && attributes.kind !== 'person') return {};
      const own: SafeguardingFlags = {};
      for (const flag of SAFEGUARDING_FLAGS) if (attributes[flag] === true) own[flag] = true;
      return own;
    });
    const include = includeSafeguarding;
    const request: CurveRequest = {
      ids,
      flags,
      edges,
      strategies: chosen,
      steps,
      mode,
      distanceMeasures: ids.length <= EFFICIENCY_LIMIT,
      targets: removed,
      includeSafeguarding: include,
    };
    const created = new Worker(new URL('./strategies.worker.ts', import.meta.url), { type: 'module' });
    worker.current = created;
    setCurves([]);
    setRan({ includeSafeguarding: include, subjects: new Set(), protected: [], refused: [] });
    setError(null);
    setCancelled(null);
    setProgress({ done: 0, total: chosen.length, strategy: chosen[0] ?? '' });
    created.onmessage = (event: MessageEvent<CurveMessage>) => {
      const message = event.data;
      if (message.type === 'progress') setProgress(message);
      else if (message.type === 'subjects')
        setRan((previous) => previous && { ...previous, subjects: new Set(message.ids) });
      else if (message.type === 'curve') {
        setCurves((previous) => [
          ...previous,
          { strategy: message.strategy, removed: message.removed, curve: message.curve },
        ]);
        setRan(
          (previous) =>
            previous && {
              ...previous,
              protected: message.protected.length > 0 ? message.protected : previous.protected,
            },
        );
      } else if (message.type === 'refused')
        setRan(
          (previous) =>
            previous && {
              ...previous,
              refused: [...previous.refused, { strategy: message.strategy, message: message.message }],
            },
        );
      else if (message.type === 'error') setError(message.message);
      else if (message.type === 'done') {
        created.terminate();
        worker.current = null;
      }
    };
    created.onerror = (event) => setError(event.message || 'the worker failed');
    created.postMessage(request);
  };

  /** Stops the worker at once (terminated, not asked): the curves already finished stay, marked partial. */
  const cancel = () => {
    worker.current?.terminate();
    worker.current = null;
    setCancelled(progress ? { done: progress.done, total: progress.total } : null);
    setProgress(null);
  };

  const running = progress !== null && progress.done < progress.total && error === null;
  const graph = visibility.graph;
  return (
    <section class="strategies" data-testid="strategies">
      <h3>Compare strategies</h3>
      <div class="checklist inline">
        {STRATEGIES.map((strategy) => (
          <label key={strategy}>
            <input
              type="checkbox"
              checked={chosen.includes(strategy)}
              onChange={() =>
                setChosen(chosen.includes(strategy) ? chosen.filter((s) => s !== strategy) : [...chosen, strategy])
              }
              data-strategy={strategy}
            />
            {strategy === 'targets' ? 'my removals' : strategy}
          </label>
        ))}
      </div>
      <label class="row">
        <input
          type="checkbox"
          checked={includeSafeguarding}
          onChange={() => setIncludeSafeguarding(!includeSafeguarding)}
          data-testid="include-safeguarding"
        />
        <span>include safeguarding subjects (vulnerable, under 18, exploited, cuckooed); each removed is marked</span>
      </label>
      <div class="row">
        <label>
          steps{' '}
          <input
            type="number"
            class="narrow"
            min={1}
            max={200}
            value={steps}
            data-testid="strategy-steps"
            onChange={(event) => setSteps(Math.max(1, Math.min(200, Number(event.currentTarget.value) || 10)))}
          />
        </label>
        <select value={mode} onChange={(event) => setMode(event.currentTarget.value as RemovalMode)} aria-label="mode">
          <option value="sequential">sequential (re-rank)</option>
          <option value="simultaneous">simultaneous (rank once)</option>
        </select>
        <button type="button" onClick={run} disabled={running || chosen.length === 0} data-testid="run-strategies">
          {running ? 'Running…' : 'Run'}
        </button>
        {running ? (
          <button type="button" onClick={cancel} data-testid="cancel-strategies">
            Cancel
          </button>
        ) : null}
      </div>
      {progress ? (
        <div>
          <progress max={progress.total} value={progress.done} data-testid="strategies-progress" />{' '}
          <span class="muted">
            {progress.done < progress.total
              ? `${progress.strategy} (${progress.done + 1} of ${progress.total})`
              : 'done'}
          </span>
        </div>
      ) : null}
      {cancelled ? (
        <p class="note" data-testid="strategies-cancelled">
          Cancelled after {cancelled.done} of {cancelled.total} strategies: the curves below are partial (the finished
          strategies only).
        </p>
      ) : null}
      {error ? <p class="error">{error}</p> : null}
      <label class="row">
        plot{' '}
        <select value={metric} onChange={(event) => setMetric(event.currentTarget.value as CurveMetric)}>
          <option value="lccFraction">LCC fraction</option>
          <option value="fragmentation">Borgatti's F</option>
          <option value="efficiency">efficiency</option>
          <option value="components">components</option>
        </select>
      </label>
      {curves.length > 0 ? <Chart curves={curves} metric={metric} /> : null}
      {ran ? (
        <Removals
          curves={curves}
          run={ran}
          label={(id) => (graph.hasNode(id) ? String(graph.getNodeAttribute(id, 'label') ?? id) : id)}
        />
      ) : null}
    </section>
  );
}

/** Each strategy's removals in order, safeguarding subjects marked; then the subjects kept from removal, or a note that they were included. */
function Removals({ curves, run, label }: { curves: Curve[]; run: Run; label: (id: string) => string }) {
  const name = (strategy: string) => (strategy === 'targets' ? 'my removals' : strategy);
  return (
    <div class="strategy-removals" data-testid="strategy-removals">
      {run.includeSafeguarding ? (
        <p class="note protect-list" data-testid="safeguarding-included">
          Safeguarding subjects included: each one removed is marked {SAFEGUARDING_MARK}.
        </p>
      ) : run.protected.length > 0 ? (
        <div class="protect-list" data-testid="strategies-protected">
          <strong>{run.protected.length} safeguarding subject(s) protected from removal</strong> (they stay in the
          network; tick the option above to include them):{' '}
          {run.protected.map((id, i) => (
            <span key={id} data-node={id}>
              {i > 0 ? ', ' : ''}
              {label(id)} ({id})
            </span>
          ))}
        </div>
      ) : null}
      {run.refused.map(({ strategy, message }) => (
        <p key={strategy} class="error" data-testid="strategy-refused" data-strategy={strategy}>
          {name(strategy)}: {message}
        </p>
      ))}
      {curves.map(({ strategy, removed }) => (
        <details key={strategy} open={curves.length === 1}>
          <summary>
            {name(strategy)}: {removed.length} removed
            {removed.some((id) => run.subjects.has(id))
              ? `, ${removed.filter((id) => run.subjects.has(id)).length} of them safeguarding subjects`
              : ''}
          </summary>
          <ol class="removed" data-testid="strategy-removed" data-strategy={strategy}>
            {removed.map((id) => (
              <li
                key={id}
                data-node={id}
                data-safeguarding={run.subjects.has(id) ? 'true' : 'false'}
                class={run.subjects.has(id) ? 'protect' : ''}
              >
                {label(id)} <span class="muted">{id}</span>
                {run.subjects.has(id) ? <strong> {SAFEGUARDING_MARK}</strong> : null}
              </li>
            ))}
          </ol>
        </details>
      ))}
    </div>
  );
}

function Chart({ curves, metric }: { curves: Curve[]; metric: CurveMetric }) {
  const width = 300;
  const height = 180;
  const pad = { left: 36, right: 8, top: 8, bottom: 24 };
  const maxX = Math.max(1, ...curves.flatMap(({ curve }) => curve.map((point) => point.removed)));
  const values = curves.flatMap(({ curve }) => curve.map((point) => point[metric])).filter(Number.isFinite);
  const maxY = metric === 'components' ? Math.max(1, ...values) : 1;
  const x = (value: number) => pad.left + (value / maxX) * (width - pad.left - pad.right);
  const y = (value: number) => height - pad.bottom - (value / maxY) * (height - pad.top - pad.bottom);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="removal curves"
      data-testid="strategy-chart"
    >
      <line x1={pad.left} y1={height - pad.bottom} x2={width - pad.right} y2={height - pad.bottom} stroke="#888" />
      <line x1={pad.left} y1={pad.top} x2={pad.left} y2={height - pad.bottom} stroke="#888" />
      <text x={pad.left - 4} y={pad.top + 8} text-anchor="end" font-size="9">
        {metric === 'components' ? maxY : '1'}
      </text>
      <text x={pad.left - 4} y={height - pad.bottom} text-anchor="end" font-size="9">
        0
      </text>
      <text x={width - pad.right} y={height - 8} text-anchor="end" font-size="9">
        {maxX} removed
      </text>
      {curves.map(({ strategy, curve }, i) => (
        <g key={strategy}>
          <polyline
            fill="none"
            stroke={COLOURS[strategy] ?? '#333'}
            stroke-width="1.6"
            points={curve
              .filter((point) => Number.isFinite(point[metric]))
              .map((point) => `${x(point.removed).toFixed(1)},${y(point[metric]).toFixed(1)}`)
              .join(' ')}
          />
          <text x={pad.left + 6} y={pad.top + 10 + i * 11} font-size="9" fill={COLOURS[strategy] ?? '#333'}>
            {strategy === 'targets' ? 'my removals' : strategy}
          </text>
        </g>
      ))}
    </svg>
  );
}
