/** The shown path, hop by hop (from → to), with each link's evidence and handling code. */
import { EvidenceLine, ProtectTag } from './Evidence.js';
import type { Hop } from './pathHops.js';

export function PathHops({
  hops,
  labelOf,
  isProtected,
}: {
  hops: Hop[];
  labelOf: (node: string) => string;
  isProtected: (node: string) => boolean;
}) {
  if (hops.length === 0) return null;
  return (
    <ol class="path-hops" data-testid="path-hops">
      {hops.map((hop) => (
        <li key={hop.evidence.edge} data-from={hop.from} data-to={hop.to}>
          <strong>{labelOf(hop.from)}</strong>
          <ProtectTag shown={isProtected(hop.from)} /> → <strong>{labelOf(hop.to)}</strong>
          <ProtectTag shown={isProtected(hop.to)} />
          <div>
            <EvidenceLine evidence={hop.evidence} />
          </div>
        </li>
      ))}
    </ol>
  );
}
