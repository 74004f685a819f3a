/** One link's evidence as text: types, dates, grading and handling code (conditions expandable). */
import type { Evidence } from './expand.js';

export function EvidenceLine({ evidence }: { evidence: Evidence }) {
  const dates = evidence.from || evidence.to ? `${evidence.from ?? '…'} to ${evidence.to ?? '…'}` : 'undated';
  return (
    <span class="evidence" data-testid="evidence" data-handling={evidence.handling}>
      {evidence.linkTypes.join(', ') || 'link'} · {dates}
      {evidence.gradings.length > 0 ? ` · graded ${evidence.gradings.join(', ')}` : ''} ·{' '}
      <strong data-testid="evidence-handling">handling {evidence.handling}</strong>
      <Conditions conditions={evidence.conditions} summary={`${evidence.conditions.length} conditions`} />
    </span>
  );
}

/** A marking's conditions, folded under `summary` until asked for; nothing when there are none. */
export function Conditions({
  conditions,
  summary,
  testid,
}: {
  conditions: string[];
  summary: string;
  testid?: string;
}) {
  if (conditions.length === 0) return null;
  return (
    <details class="conditions" data-testid={testid}>
      <summary>{summary}</summary>
      <ul>
        {conditions.map((condition) => (
          <li key={condition}>{condition}</li>
        ))}
      </ul>
    </details>
  );
}

/** The mark a safeguarding subject carries in every list: protect, never target. */
export function ProtectTag({ shown }: { shown: boolean }) {
  return shown ? (
    <strong class="protect-tag" data-testid="protect-tag">
      {' '}
      PROTECT (safeguarding)
    </strong>
  ) : null;
}
