// RFC 9457 problem details, as api/problem.ts sends every error.
import { z } from 'zod';
import { named } from './registry';

export const ProblemSchema = named(
  'Problem',
  z.object({
    type: z.string().describe('Always about:blank: the title and status say what happened'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional().describe('What was wrong and how to fix it, in words'),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid field, when the request was the problem'),
  }),
);
