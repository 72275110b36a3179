// Drafting a post. The generator (Claude, or the offline one) decides the words; this activity
// turns its failures into ones Temporal understands: retry what may pass, stop on what will not.
import { ApplicationFailure } from '@temporalio/activity';
import type { Draft, GenerateRequest } from '../../core/domain';
import type { ActivityDeps } from './deps';

interface ClassifiedError {
  kind?: string;
  retryable?: boolean;
  message: string;
}

export function generateActivities({ generator }: ActivityDeps) {
  return {
    async generateDraft(req: GenerateRequest): Promise<Draft> {
      try {
        return await generator.generate(req);
      } catch (err) {
        const e = err as ClassifiedError;
        // Anything the generator did not classify (a bug, a dropped socket) gets Temporal's retries.
        if (typeof e?.kind !== 'string') throw err;
        if (e.retryable) throw ApplicationFailure.retryable(e.message, `Generation:${e.kind ?? 'unavailable'}`);
        throw ApplicationFailure.nonRetryable(e.message, `Generation:${e.kind ?? 'failed'}`);
      }
    },
  };
}
