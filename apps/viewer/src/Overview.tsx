/**
 * The community overview's controls: switch it on or off, the communities opened into
 * their members (each can be closed), and the details of a community node.
 */
import type Graph from 'graphology';
import type { Loaded } from './model.js';
import { communityOfKey, isCommunityKey, OVERVIEW_THRESHOLD, type CommunityNode } from './overview.js';
import { communityOf } from './communities.js';
import { showsOverview } from './scope.js';
import type { ViewState } from './state.js';

/** The view with `community` opened (members replace its node) or closed again. */
export function withCommunity(state: ViewState, community: string, open: boolean): ViewState {
  const rest = state.openCommunities.filter((item) => item !== community);
  return { ...state, openCommunities: open ? [...rest, community] : rest };
}

/**
 * What a double-click does: in the overview it opens a community, or closes the one a
 * member belongs to; in a subject-first view it expands the node. Null: nothing to do.
 */
export function activate(loaded: Loaded, state: ViewState, node: string): ViewState | null {
  if (showsOverview(state)) {
    if (isCommunityKey(node)) return withCommunity(state, communityOfKey(node), true);
    if (loaded.persons.hasNode(node))
      return withCommunity(state, communityOf(loaded.persons.getNodeAttributes(node)), false);
    return null;
  }
  if (state.subject !== null && !state.expanded.includes(node) && node !== state.subject)
    return { ...state, expanded: [...state.expanded, node] };
  return null;
}

export function OverviewControls({
  loaded,
  view,
  onChange,
}: {
  loaded: Loaded;
  view: ViewState;
  onChange: (next: ViewState) => void;
}) {
  const shown = showsOverview(view);
  return (
    <div data-testid="overview-controls">
      <label class="row">
        <input
          type="checkbox"
          checked={view.overview}
          onChange={() => onChange({ ...view, overview: !view.overview })}
          data-testid="overview-toggle"
        />
        community overview (one node per community)
      </label>
      <p class="note">
        The default above {OVERVIEW_THRESHOLD.toLocaleString('en-GB')} persons (
        {loaded.persons.order.toLocaleString('en-GB')} here). Double-click a community to open it into its members;
        double-click a member to close it again.
        {view.overview && !shown ? ' Shown once the subject, ego network or path is cleared.' : ''}
      </p>
      {view.openCommunities.length > 0 ? (
        <ul class="checklist" data-testid="open-communities">
          {view.openCommunities.map((community) => (
            <li key={community}>
              community {community}{' '}
              <button
                type="button"
                class="link"
                data-community={community}
                onClick={() => onChange(withCommunity(view, community, false))}
              >
                close
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function CommunityDetails({
  graph,
  node,
  view,
  onChange,
}: {
  graph: Graph;
  node: string;
  view: ViewState;
  onChange: (next: ViewState) => void;
}) {
  if (!graph.hasNode(node)) return <p class="muted">This community is not shown.</p>;
  const community = graph.getNodeAttributes(node) as unknown as CommunityNode;
  return (
    <div data-testid="community-details">
      <h2>community {community.community}</h2>
      <div class="row wrap">
        <button
          type="button"
          onClick={() => onChange(withCommunity(view, community.community, true))}
          data-testid="open-community"
        >
          Open into its {community.members} members
        </button>
      </div>
      <table class="details">
        <tbody>
          <tr>
            <th>members</th>
            <td data-testid="community-members">{community.members}</td>
          </tr>
          <tr class={community.safeguardingCount > 0 ? 'protect' : ''}>
            <th>safeguarding</th>
            <td data-testid="community-safeguarding">
              {community.safeguardingCount > 0
                ? `PROTECT — ${community.safeguardingCount} safeguarding ${community.safeguardingCount === 1 ? 'subject' : 'subjects'} inside`
                : 'none'}
            </td>
          </tr>
          <tr>
            <th>colour: OCG overlap</th>
            <td data-testid="community-group">{community.dominantGroup}</td>
          </tr>
          {community.groups.map(([group, count]) => (
            <tr key={group}>
              <th>{group}</th>
              <td>{count}</td>
            </tr>
          ))}
          <tr>
            <th>linked communities</th>
            <td>{graph.degree(node)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
