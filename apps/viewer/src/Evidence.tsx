/** One link's evidence as text: types, dates, grading and handling code (conditions expandable). */
import type { Evidence } from './expand.js';

export function EvidenceLine({ evidence }: { evidence: Evidence }) {
  const dates = evidence.from || evidence.to ? `${evidence.from ?? '…'} to ${evidence.to ?? '…'}` : 'undated';
  return (
    <span class="evidence" data-testid="evidence" data-handling={evidence.handling}>
      {evidence.linkTypes.join(', ') || 'link'} · {dates}
      {evidence.gradings.length > 0 ? ` · graded ${evidence.gradings.join(', ')}` : ''} ·{' '}
      <strong data-testid="evidence-handling">handling {evidence.handling}</strong>
      {evidence.conditions.length > 0 ? (
        <details class="conditions">
          <summary>{evidence.conditions.length} conditions</summary>
          <ul>
            {evidence.conditions.map((condition) => (
              <li key={condition}>{condition}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </span>
  );
}
