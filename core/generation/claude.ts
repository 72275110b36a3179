// Drafts written by Claude through the Messages API, with a forced tool call so the answer is
// structured: { content, hashtags, bestTime }. The SDK retries rate limits and overload with
// backoff; what is left is turned into a GenerationError the caller can act on.
import Anthropic from '@anthropic-ai/sdk';
import type { Draft, GenerateRequest } from '../domain';
import { GenerationError } from './errors';
import { ContentExtractor } from './partialJson';
import { DraftInputSchema, draftLength, maxTokensFor, shortenRequest, systemPrompt, TOOL_NAME, userMessage, writePostTool, type DraftInput } from './prompt';
import type { DraftEvent, Generator } from './types';

/** The model when ANTHROPIC_MODEL does not name another. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

export interface ClaudeOptions {
  apiKey: string;
  baseURL?: string;
  model?: string;
  /** The SDK's retries of 408/409/429/5xx and dropped connections, with backoff. */
  maxRetries?: number;
  /** Per attempt: with retries, a call can take (maxRetries + 1) times this, plus the backoff. */
  timeoutMs?: number;
  /** Output budget; by default derived from the request's maxChars. */
  maxTokens?: number;
}

type Params = Anthropic.MessageCreateParamsNonStreaming;

export function createClaudeGenerator(opts: ClaudeOptions): Generator {
  const maxRetries = opts.maxRetries ?? 3;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const model = opts.model ?? DEFAULT_MODEL;
  const client = new Anthropic({
    apiKey: opts.apiKey,
    // Without an explicit baseURL the SDK falls back to ANTHROPIC_BASE_URL by itself.
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    maxRetries,
    timeout: timeoutMs,
  });
  const classify = (err: unknown) => toGenerationError(err, { maxRetries, timeoutMs });

  const params = (req: GenerateRequest, messages?: Anthropic.MessageParam[]): Params => ({
    model,
    max_tokens: opts.maxTokens ?? maxTokensFor(req.maxChars),
    system: systemPrompt(req),
    messages: messages ?? [{ role: 'user', content: userMessage(req) }],
    tools: [writePostTool],
    // Forced, and exactly once: a second parallel call would be a second, competing draft.
    tool_choice: { type: 'tool', name: TOOL_NAME, disable_parallel_tool_use: true },
  });

  async function ask(p: Params, signal?: AbortSignal): Promise<Anthropic.Message> {
    try {
      return await client.messages.create(p, { signal });
    } catch (err) {
      throw classify(err);
    }
  }

  const finish = (d: DraftInput, msg: Anthropic.Message): Draft => ({
    content: d.content,
    hashtags: d.hashtags,
    bestTime: d.bestTime,
    // The answer names the model that wrote it, which may be a dated snapshot of an alias.
    generator: { kind: 'claude', model: msg.model || model },
  });

  /**
   * One corrective round for a draft over the limit: Claude sees its own draft and a tool error,
   * and rewrites it shorter. Models overshoot a limit now and then, rarely twice.
   */
  async function shorten(req: GenerateRequest, first: Anthropic.Message, draft: DraftInput, signal?: AbortSignal): Promise<Draft> {
    const call = toolCallOf(first)!;
    const msg = await ask(
      params(req, [
        { role: 'user', content: userMessage(req) },
        { role: 'assistant', content: [{ type: 'tool_use', id: call.id, name: call.name, input: call.input }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, is_error: true, content: shortenRequest(draftLength(draft), req.maxChars) }] },
      ]),
      signal,
    );
    const second = readDraft(msg);
    if (draftLength(second) > req.maxChars) {
      throw new GenerationError(
        'too_long',
        `Claude could not fit the post in ${req.maxChars} characters (its shorter version still had ${draftLength(second)}). Try a narrower topic or shorter instructions.`,
      );
    }
    return finish(second, msg);
  }

  async function generate(req: GenerateRequest, signal?: AbortSignal): Promise<Draft> {
    const msg = await ask(params(req), signal);
    const draft = readDraft(msg);
    return draftLength(draft) <= req.maxChars ? finish(draft, msg) : shorten(req, msg, draft, signal);
  }

  async function* stream(req: GenerateRequest, signal?: AbortSignal): AsyncIterable<DraftEvent> {
    const deltas = new ContentDeltas();
    let final: Anthropic.Message;
    try {
      const s = client.messages.stream(params(req), { signal });
      // Only the write_post call's input carries the post; any other block is ignored.
      let postBlock: number | undefined;
      for await (const ev of s) {
        if (ev.type === 'content_block_start' && ev.content_block.type === 'tool_use' && ev.content_block.name === TOOL_NAME) postBlock ??= ev.index;
        if (ev.type === 'content_block_delta' && ev.index === postBlock && ev.delta.type === 'input_json_delta') {
          const text = deltas.push(ev.delta.partial_json);
          if (text) yield { type: 'delta', text };
        }
      }
      final = await s.finalMessage();
    } catch (err) {
      throw classify(err);
    }
    const draft = readDraft(final);
    // Over the limit: the shorter version replaces what was streamed, so `done` is what counts.
    yield { type: 'done', draft: draftLength(draft) <= req.maxChars ? finish(draft, final) : await shorten(req, final, draft, signal) };
  }

  return { generate, stream };
}

function toolCallOf(msg: Anthropic.Message): Anthropic.ToolUseBlock | undefined {
  return msg.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === TOOL_NAME);
}

/** The draft in a finished answer, or the reason there is none, in words for the author. */
function readDraft(msg: Anthropic.Message): DraftInput {
  if (msg.stop_reason === 'refusal') {
    const why = msg.stop_details?.explanation;
    throw new GenerationError('refused', `Claude declined to write this post${why ? `: ${why}` : '.'} Try rephrasing the topic.`);
  }
  // A cut-off tool call still parses (the SDK completes partial JSON), so this comes first.
  if (msg.stop_reason === 'max_tokens' || msg.stop_reason === 'model_context_window_exceeded') {
    throw new GenerationError(
      'too_long',
      'Claude’s answer was cut off before the draft was complete. Try a shorter limit, a narrower topic or shorter instructions.',
    );
  }
  const call = toolCallOf(msg);
  if (!call) {
    const said = msg.content
      .flatMap((b) => (b.type === 'text' ? [b.text] : []))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    const quote = said.length > 200 ? `${said.slice(0, 200)}…` : said;
    throw new GenerationError('refused', `Claude answered without writing a draft${quote ? `: “${quote}”` : '.'} Try rephrasing the topic.`);
  }
  const parsed = DraftInputSchema.safeParse(call.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new GenerationError('malformed', `Claude’s draft was not usable (${issues}). Generating again usually fixes this.`);
  }
  return parsed.data;
}

/** SDK failures as GenerationErrors; a caller's own abort and non-SDK errors (bugs) pass through. */
function toGenerationError(err: unknown, ctx: { maxRetries: number; timeoutMs: number }): unknown {
  if (err instanceof GenerationError || err instanceof Anthropic.APIUserAbortError) return err;
  if (!(err instanceof Anthropic.AnthropicError)) return err;
  const after = ctx.maxRetries > 0 ? ` (still after ${ctx.maxRetries} ${ctx.maxRetries === 1 ? 'retry' : 'retries'})` : '';
  const unavailable = (what: string) => new GenerationError('unavailable', `${what}${after}; the draft will be tried again shortly.`, { cause: err });

  if (err instanceof Anthropic.AuthenticationError || err instanceof Anthropic.PermissionDeniedError) {
    return new GenerationError('auth', `Claude rejected the API key (${err.status}). Check ANTHROPIC_API_KEY.`, { cause: err });
  }
  if (err instanceof Anthropic.APIError && /spend_limit/.test(err.errorCode ?? '')) {
    return new GenerationError('rejected', `The Claude account has reached its spend limit: ${err.apiMessage ?? err.message}`, { cause: err });
  }
  if (err instanceof Anthropic.RateLimitError) return unavailable('Claude is rate limiting PostForge right now (429)');
  if (err instanceof Anthropic.APIConnectionTimeoutError) return unavailable(`Claude did not answer within ${Math.round(ctx.timeoutMs / 1000)} s`);
  if (err instanceof Anthropic.APIConnectionError) return unavailable(`Could not reach Claude (${err.message})`);
  if (err instanceof Anthropic.APIError && err.status === undefined) {
    // An error event in the middle of a stream: the API's own error type tells what it was.
    return unavailable(
      err.type === 'overloaded_error' ? 'Claude became overloaded while writing' : `Claude stopped while writing (${err.type ?? err.message})`,
    );
  }
  if (err instanceof Anthropic.APIError && err.status !== undefined && (err.status >= 500 || err.status === 408 || err.status === 409)) {
    return unavailable(err.status === 529 ? 'Claude is overloaded right now (529)' : `Claude had a server error (${err.status})`);
  }
  if (err instanceof Anthropic.APIError) {
    // 400/404/413/422...: sending the same request again will not help (an unknown model, say).
    return new GenerationError('rejected', `Claude rejected the request (${err.status}): ${err.apiMessage ?? err.message}`, { cause: err });
  }
  // The SDK's own complaints about a stream (no events, unparseable JSON): a fresh attempt may pass.
  return unavailable(`Claude’s answer could not be read (${err.message})`);
}

/**
 * Tool-input JSON fragments → the pieces of `content` a reader should see. The pieces add up to
 * the final draft's content exactly: whitespace is held back until more text follows (the draft
 * is trimmed), and so is a trailing high surrogate, so no piece carries half an emoji.
 */
class ContentDeltas {
  private readonly extractor = new ContentExtractor();
  private started = false;
  private held = '';

  push(fragment: string): string {
    let text = this.held + this.extractor.push(fragment);
    if (!this.started) {
      text = text.trimStart();
      if (!text) {
        this.held = '';
        return '';
      }
      this.started = true;
    }
    let cut = text.length;
    const last = text.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--;
    while (cut > 0 && /\s/.test(text[cut - 1]!)) cut--;
    this.held = text.slice(cut);
    return text.slice(0, cut);
  }
}
