// Drafts written by Claude through the Messages API, with a forced tool call so the answer is
// structured: { content, hashtags, bestTime }. The SDK retries rate limits and overload with
// backoff; what is left is turned into a GenerationError the caller can act on.
import Anthropic from '@anthropic-ai/sdk';
import type { Draft, GenerateRequest } from '../../core/domain';
import { GenerationError } from './errors';
import { ContentExtractor } from './partialJson';
import { DraftInputSchema, draftLength, systemPrompt, TOOL_NAME, userMessage, writePostTool, type DraftInput } from './prompt';
import type { DraftEvent, Generator } from './types';

export const DEFAULT_MODEL = 'claude-sonnet-4-5';

export interface ClaudeOptions {
  apiKey: string;
  baseURL?: string;
  model?: string;
  maxRetries?: number;
  timeoutMs?: number;
  maxTokens?: number;
}

type Params = Anthropic.MessageCreateParamsNonStreaming;

function classify(err: unknown): GenerationError {
  if (err instanceof GenerationError) return err;
  if (err instanceof Anthropic.AuthenticationError || err instanceof Anthropic.PermissionDeniedError) {
    return new GenerationError('auth', 'Claude rejected the API key (check ANTHROPIC_API_KEY).', false);
  }
  if (err instanceof Anthropic.RateLimitError) return new GenerationError('unavailable', 'Claude is rate limiting us right now; the draft will be retried shortly.');
  if (err instanceof Anthropic.InternalServerError || err instanceof Anthropic.APIConnectionError) {
    return new GenerationError('unavailable', 'Claude is overloaded or unreachable right now; the draft will be retried shortly.');
  }
  if (err instanceof Anthropic.APIError && err.status === 529) return new GenerationError('unavailable', 'Claude is overloaded right now; the draft will be retried shortly.');
  if (err instanceof Anthropic.BadRequestError) return new GenerationError('malformed', `Claude could not take this request: ${err.message}`, false);
  return new GenerationError('unavailable', `Could not reach Claude: ${(err as Error)?.message ?? String(err)}`);
}

function readDraft(msg: Anthropic.Message): DraftInput {
  if (msg.stop_reason === 'refusal') throw new GenerationError('refused', 'Claude declined to write about this topic. Try rephrasing it.');
  const call = msg.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === TOOL_NAME);
  if (!call) {
    if (msg.stop_reason === 'max_tokens') throw new GenerationError('malformed', 'Claude’s answer was cut off before the draft was complete.');
    throw new GenerationError('malformed', 'Claude answered without a draft. Try again or rephrase the topic.');
  }
  if (msg.stop_reason === 'max_tokens') throw new GenerationError('malformed', 'Claude’s answer was cut off before the draft was complete.');
  const parsed = DraftInputSchema.safeParse(call.input);
  if (!parsed.success) throw new GenerationError('malformed', `Claude’s draft was not usable (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}).`);
  return parsed.data;
}

export function createClaudeGenerator(opts: ClaudeOptions): Generator {
  const client = new Anthropic({
    apiKey: opts.apiKey,
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    maxRetries: opts.maxRetries ?? 3,
    timeout: opts.timeoutMs ?? 60_000,
  });
  const model = opts.model ?? DEFAULT_MODEL;

  const params = (req: GenerateRequest, extra?: string): Params => ({
    model,
    max_tokens: opts.maxTokens ?? 2048,
    system: systemPrompt(req),
    messages: [{ role: 'user', content: userMessage(req, extra) }],
    tools: [writePostTool],
    tool_choice: { type: 'tool', name: TOOL_NAME },
  });

  const finish = (d: DraftInput): Draft => ({ content: d.content, hashtags: d.hashtags, bestTime: d.bestTime, generator: { kind: 'claude', model } });

  async function generate(req: GenerateRequest, signal?: AbortSignal): Promise<Draft> {
    try {
      let draft = readDraft(await client.messages.create(params(req), { ...(signal ? { signal } : {}) }));
      if (draftLength(draft) > req.maxChars) {
        // One corrective round: models overshoot limits now and then, rarely twice.
        const note = `Your previous draft was ${draftLength(draft)} characters with hashtags; the limit is ${req.maxChars}. Write a shorter version.`;
        draft = readDraft(await client.messages.create(params(req, note), { ...(signal ? { signal } : {}) }));
        if (draftLength(draft) > req.maxChars) {
          throw new GenerationError('too_long', `Claude could not fit the post in ${req.maxChars} characters. Try a narrower topic.`);
        }
      }
      return finish(draft);
    } catch (err) {
      throw classify(err);
    }
  }

  async function* stream(req: GenerateRequest, signal?: AbortSignal): AsyncIterable<DraftEvent> {
    let final: Anthropic.Message;
    const extractor = new ContentExtractor();
    try {
      const s = client.messages.stream(params(req), { ...(signal ? { signal } : {}) });
      for await (const ev of s) {
        if (ev.type === 'content_block_delta' && ev.delta.type === 'input_json_delta') {
          const text = extractor.push(ev.delta.partial_json);
          if (text) yield { type: 'delta', text };
        }
      }
      final = await s.finalMessage();
    } catch (err) {
      throw classify(err);
    }
    const draft = readDraft(final);
    // Too long: the non-streaming path knows how to ask again; its answer replaces the stream.
    yield { type: 'done', draft: draftLength(draft) > req.maxChars ? await generate(req, signal) : finish(draft) };
  }

  return { generate, stream };
}
