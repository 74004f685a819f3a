/**
 * The subject-first view's panel: the subject, each expansion in order with the
 * neighbours it brought in and the links that did, "+N more" past the cap (and a button
 * for the next batch), and the buttons to expand the selected node or leave the subject view.
 */
import { EXPAND_CAP, type SubjectScope } from './expand.js';
import { EvidenceLine, ProtectTag } from './Evidence.js';
import type { ViewState } from './state.js';

export function SubjectPanel({
  scope,
  view,
  selected,
  labelOf,
  isProtected,
  onSelect,
  onExpand,
  onChange,
}: {
  scope: SubjectScope;
  view: ViewState;
  selected: string | null;
  labelOf: (node: string) => string;
  isProtected: (node: string) => boolean;
  onSelect: (node: string) => void;
  onExpand: (node: string) => void;
  onChange: (next: ViewState) => void;
}) {
  const canExpand =
    selected !== null && scope.shown.has(selected) && selected !== scope.subject && !view.expanded.includes(selected);
  return (
    <div data-testid="subject-panel" class="subject-panel">
      <div class="row wrap">
        <strong>Starting from {labelOf(scope.subject)}</strong>
        <button type="button" class="link" onClick={() => onChange({ ...view, subject: null, expanded: [] })}>
          show everything
        </button>
      </div>
      {canExpand ? (
        <button type="button" onClick={() => onExpand(selected)} data-testid="expand-node">
          Expand {labelOf(selected)}
        </button>
      ) : (
        <p class="note">Select a node, then Expand (or double-click it) to add its neighbours. Undo takes it back.</p>
      )}
      <ol class="expansions" data-testid="expansions">
        {scope.expansions.map((expansion) => (
          <li key={expansion.node} data-node={expansion.node}>
            <strong>{labelOf(expansion.node)}</strong>: {expansion.added.length} added
            {expansion.more > 0 ? (
              <span data-testid="expand-more">
                {' '}
                (+{expansion.more} more, not shown){' '}
                <button
                  type="button"
                  class="link"
                  onClick={() => onExpand(expansion.node)}
                  data-testid="expand-rest"
                  data-node={expansion.node}
                >
                  show {Math.min(EXPAND_CAP, expansion.more)} more
                </button>
              </span>
            ) : null}
            <ul>
              {expansion.added.map((neighbour) => (
                <li key={neighbour.node} data-node={neighbour.node}>
                  <button type="button" class="link" onClick={() => onSelect(neighbour.node)}>
                    {labelOf(neighbour.node)}
                  </button>
                  <ProtectTag shown={isProtected(neighbour.node)} />
                  {neighbour.evidence.map((evidence) => (
                    <div key={evidence.edge}>
                      <EvidenceLine evidence={evidence} />
                    </div>
                  ))}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </div>
  );
}
