// The post rules workflow code needs (text limits, the composed text, the withdrawn-send failure
// type), kept free of zod and every other runtime import. The workflow sandbox evaluates its bundle's
// modules again for every workflow it loads, so each module here is paid per cached workflow, in
// memory and start-up time; zod in core/domain.ts was most of that bundle (test/unit/workflowBundle.test.ts).
import type { Target, TargetKind } from './domain';

/** The most characters each destination accepts; generation and edits are held to the smallest. */
export const CHAR_LIMITS: Record<TargetKind, number> = {
  linkedin: 3000,
  discord: 2000,
  slack: 4000,
  webhook: 10000,
};

export function charLimitFor(targets: readonly Target[]): number {
  if (targets.length === 0) return CHAR_LIMITS.webhook;
  return Math.min(...targets.map((t) => CHAR_LIMITS[t.kind]));
}

/** The ApplicationFailure type of an armed send taken back before it fired (nothing was sent). */
export const ARM_WITHDRAWN = 'ArmWithdrawn';

/** The text that goes out: the content, then its hashtags on a line of their own. */
export function composeText(content: string, hashtags: readonly string[]): string {
  const tags = hashtags.map((h) => `#${h.replace(/^#/, '')}`).join(' ');
  return tags ? `${content.trimEnd()}\n\n${tags}` : content;
}
