/**
 * A served partnership profile, readable: a full-height panel over the graph (the side
 * panels stay usable), headed by the marking on one line with its conditions expandable,
 * and the profile itself in a `sandbox=""` frame (no script, no same origin, no referrer),
 * as apps/viewer/README.md "Security" requires.
 */
import type { Ref } from 'preact';
import { Conditions } from './Evidence.js';

export interface ProfileMarking {
  classification: string;
  handling: string;
  conditions: string[];
}

export function ProfilePanel({
  url,
  title,
  marking,
  frameRef,
  onClose,
}: {
  url: string;
  title: string;
  /**
   * The session's marking (the bundle's: the strictest of everything this audience may see, so
   * never less than the profile's, which is made from the same records); the profile's own
   * banner, inside, gives its exact marking.
   */
  marking: ProfileMarking;
  frameRef: Ref<HTMLIFrameElement>;
  onClose: () => void;
}) {
  return (
    <section class="profile-panel" data-testid="profile-panel" aria-label="partnership profile">
      <header class="profile-head">
        <strong class="profile-title">Partnership profile: {title}</strong>
        <button type="button" onClick={onClose} data-testid="close-profile">
          Close
        </button>
      </header>
      <div
        class="profile-marking"
        data-testid="profile-marking"
        title={`${marking.classification} — handling ${marking.handling}`}
      >
        {marking.classification} — handling {marking.handling}
        {marking.conditions.length === 0 ? '' : ` — ${marking.conditions.length} conditions`}
      </div>
      <Conditions conditions={marking.conditions} summary="Conditions" testid="profile-conditions" />
      <iframe
        ref={frameRef}
        sandbox=""
        src={url}
        title="partnership profile"
        class="profile-frame"
        data-testid="profile-frame"
        referrerpolicy="no-referrer"
      />
    </section>
  );
}
