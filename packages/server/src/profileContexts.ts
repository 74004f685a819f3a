/**
 * What every profile of one audience over one store content is computed
 * from: the records that audience may see, and their analysis
 * (`analyseRecords`, seconds on a town of 5,000 nominals). Kept for the few
 * most recent (content hash, audience) pairs and made once however many
 * profiles ask at once, so a panel opening profiles does not analyse the
 * whole visible network for each one.
 */
import { analyseRecords, type RecordsAnalysis } from '@ocgnet/analysis';
import type { RecordSet } from '@ocgnet/schema';

export interface ProfileContext {
  /** The records the audience may see: all the profile is computed from. */
  visible: RecordSet;
  analysed: RecordsAnalysis;
}

export class ProfileContexts {
  private readonly kept = new Map<string, ProfileContext>();
  private readonly pending = new Map<string, Promise<ProfileContext>>();

  constructor(private readonly maxEntries: number) {}

  /** The context for `key` (content hash and audience), read with `readVisible` when not kept. */
  async get(key: string, readVisible: () => Promise<RecordSet>): Promise<ProfileContext> {
    const found = this.kept.get(key);
    if (found !== undefined) return found;
    const running = this.pending.get(key);
    if (running !== undefined) return running;
    const work = readVisible().then((visible) => ({ visible, analysed: analyseRecords(visible) }));
    this.pending.set(key, work);
    try {
      const context = await work;
      if (this.kept.size >= this.maxEntries) this.kept.delete(this.kept.keys().next().value!);
      this.kept.set(key, context);
      return context;
    } finally {
      this.pending.delete(key);
    }
  }

  clear(): void {
    this.kept.clear();
  }
}
