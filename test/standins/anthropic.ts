// A local Messages API that checks what the real one checks (an API key, the version header,
// the body's shape, tool calls paired with their results) and answers in the real shapes: a JSON
// message, or SSE with named events. Tests queue scripted answers: rate limits, overload,
// refusals, text instead of a tool call, malformed tool input, cut-offs, mid-stream errors, delays.
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { obj, rawBodyApp, recordRequest, startServer, type RecordedRequest, type RunningServer } from './http';

export type ScriptedAnswer =
  /**
   * An error answer. Retryable statuses carry `retry-after-ms: 10` unless told otherwise, so the
   * SDK's backoff stays short in tests; `retryAfter` (seconds) sends a plain `retry-after` instead.
   */
  | { status: number; retryAfter?: number; retryAfterMs?: number; errorCode?: string; message?: string }
  | { refusal: true; explanation?: string }
  /** The write_post input as given, malformed or not; `asciiJson` streams it with \uXXXX escapes. */
  | { toolInput: unknown; asciiJson?: boolean }
  /** A plain text answer and no tool call. */
  | { text: string }
  /** Cut off by max_tokens halfway through the tool input. */
  | { maxTokens: true }
  /** A stream that breaks off with an SSE `error` event after a few deltas (529 when not streaming). */
  | { streamError: 'overloaded_error' | 'api_error' }
  /** Waits before taking the next answer from the queue (or the default). */
  | { delayMs: number };

export interface AnthropicStandin extends RunningServer {
  /** Every request to the server, valid or not, in order. */
  requests: RecordedRequest[];
  /** Answers the next requests with these, in order; then the default (a post about the topic). */
  queue(...answers: ScriptedAnswer[]): void;
  /** Forgets recorded requests and unused scripted answers. */
  reset(): void;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const TOP_LEVEL = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'tools',
  'tool_choice',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'metadata',
  'thinking',
  'service_tier',
  'output_config',
]);

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

type Block = Record<string, unknown>;
const blocksOf = (message: Record<string, unknown>): Block[] => (Array.isArray(message.content) ? (message.content as unknown[]).map((b) => obj(b) ?? {}) : []);

/** The first problem the real API would report for this body, or undefined. */
export function validateMessagesBody(body: unknown): string | undefined {
  const b = obj(body);
  if (!b) return 'body: must be a JSON object';
  for (const key of Object.keys(b)) if (!TOP_LEVEL.has(key)) return `${key}: Extra inputs are not permitted`;
  if (typeof b.model !== 'string' || !b.model) return 'model: Field required';
  if (!Number.isInteger(b.max_tokens) || (b.max_tokens as number) < 1) return 'max_tokens: Field required (an integer ≥ 1)';
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return 'stream: Input should be a valid boolean';
  if (
    b.system !== undefined &&
    typeof b.system !== 'string' &&
    !(Array.isArray(b.system) && b.system.every((s) => obj(s)?.type === 'text' && typeof obj(s)?.text === 'string'))
  ) {
    return 'system: Input should be a string or a list of text blocks';
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) return 'messages: at least one message is required';
  const messages = b.messages.map((m) => obj(m));
  for (const [i, m] of messages.entries()) {
    if (!m || (m.role !== 'user' && m.role !== 'assistant')) return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (typeof m.content === 'string') {
      if (!m.content.trim()) return `messages.${i}: text content blocks must be non-empty`;
    } else if (!Array.isArray(m.content) || m.content.length === 0 || !blocksOf(m).every((blk) => typeof blk.type === 'string')) {
      return `messages.${i}.content: Input should be a string or a non-empty list of content blocks`;
    }
  }
  if (messages[0]?.role !== 'user') return 'messages: the first message must use the "user" role';
  // Each tool call must be answered by a tool_result in the very next message, and each result
  // must answer a call from the message before it.
  for (const [i, m] of messages.entries()) {
    const calls = m?.role === 'assistant' ? blocksOf(m).filter((blk) => blk.type === 'tool_use') : [];
    for (const call of calls) {
      if (typeof call.id !== 'string' || typeof call.name !== 'string' || !obj(call.input))
        return `messages.${i}: tool_use blocks need an id, a name and an input object`;
    }
    const next = messages[i + 1];
    const results = next?.role === 'user' ? blocksOf(next).filter((blk) => blk.type === 'tool_result') : [];
    for (const call of calls) {
      if (!results.some((r) => r.tool_use_id === call.id))
        return `messages.${i + 1}: tool_use ids were found without tool_result blocks immediately after: ${String(call.id)}`;
    }
    for (const r of results) {
      if (!calls.some((c) => c.id === r.tool_use_id)) return `messages.${i + 1}: unexpected tool_use_id found in tool_result blocks: ${String(r.tool_use_id)}`;
    }
  }
  const toolNames: string[] = [];
  if (b.tools !== undefined) {
    if (!Array.isArray(b.tools)) return 'tools: Input should be a valid list';
    for (const [i, t] of b.tools.entries()) {
      const tool = obj(t);
      const schema = obj(tool?.input_schema);
      if (typeof tool?.name !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name))
        return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
      if (!schema || schema.type !== 'object') return `tools.${i}.input_schema: type must be "object"`;
      if (toolNames.includes(tool.name)) return `tools: tool names must be unique (${tool.name})`;
      toolNames.push(tool.name);
    }
  }
  if (b.tool_choice !== undefined) {
    const choice = obj(b.tool_choice);
    if (!choice || !['auto', 'any', 'tool', 'none'].includes(String(choice.type))) return "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'";
    if (choice.type === 'tool' && (typeof choice.name !== 'string' || !toolNames.includes(choice.name)))
      return 'tool_choice.name: names a tool that is not in tools';
    if (choice.type !== 'none' && toolNames.length === 0) return 'tool_choice: may only be specified while providing tools';
    if (choice.disable_parallel_tool_use !== undefined && typeof choice.disable_parallel_tool_use !== 'boolean')
      return 'tool_choice.disable_parallel_tool_use: Input should be a valid boolean';
    const allowed = choice.type === 'tool' ? ['type', 'name', 'disable_parallel_tool_use'] : ['type', 'disable_parallel_tool_use'];
    for (const key of Object.keys(choice)) if (!allowed.includes(key)) return `tool_choice.${key}: Extra inputs are not permitted`;
  }
  return undefined;
}

/** What the author asked about, from the first user message: the stand-in's default post echoes it. */
function topicOf(body: Record<string, unknown>): string {
  const first = obj((body.messages as unknown[])[0]);
  const text = typeof first?.content === 'string' ? first.content : JSON.stringify(first?.content ?? '');
  return /<topic>([\s\S]*?)<\/topic>/.exec(text)?.[1]?.trim() ?? 'your topic';
}

export async function startAnthropicStandin(opts: { apiKeys: string[] }): Promise<AnthropicStandin> {
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedAnswer[] = [];
  const app = rawBodyApp();

  const fail = (res: Response, status: number, message: string, extra: { errorCode?: string } = {}) =>
    void res
      .status(status)
      .set('request-id', id('req'))
      .json({
        type: 'error',
        error: {
          type: ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'),
          message,
          ...(extra.errorCode ? { details: { error_code: extra.errorCode } } : {}),
        },
        request_id: id('req'),
      });

  app.post('/v1/messages', async (req, res) => {
    const rec = recordRequest(req);
    requests.push(rec);
    // Older SDKs send x-api-key, newer ones Authorization: Bearer; the API takes either.
    const key = rec.headers['x-api-key'] || /^Bearer\s+(\S+)$/i.exec(rec.headers.authorization ?? '')?.[1];
    if (!key || !opts.apiKeys.includes(key)) return fail(res, 401, 'invalid x-api-key');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(rec.headers['anthropic-version'] ?? ''))
      return fail(res, 400, 'anthropic-version: header is required (a date like 2023-06-01)');
    if (!/^application\/json\b/i.test(rec.headers['content-type'] ?? '')) return fail(res, 400, 'content-type: must be application/json');
    const problem = validateMessagesBody(rec.body);
    if (problem) return fail(res, 400, problem);
    const body = obj(rec.body)!;

    let answer = scripted.shift();
    while (answer && 'delayMs' in answer) {
      const ms = answer.delayMs;
      // A client that gives up (timeout, abort) ends the wait, so no timer outlives the test.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      answer = scripted.shift();
    }
    if (res.destroyed || res.writableEnded) return;
    if (answer && 'status' in answer) {
      const retryable = answer.status === 408 || answer.status === 409 || answer.status === 429 || answer.status >= 500;
      if (answer.retryAfter !== undefined) res.setHeader('retry-after', String(answer.retryAfter));
      else if (answer.retryAfterMs !== undefined || retryable) res.setHeader('retry-after-ms', String(answer.retryAfterMs ?? 10));
      return fail(res, answer.status, answer.message ?? `scripted ${answer.status}`, answer.errorCode ? { errorCode: answer.errorCode } : {});
    }
    const streaming = body.stream === true;
    if (answer && 'streamError' in answer && !streaming) {
      res.setHeader('retry-after-ms', '10');
      return fail(res, 529, 'Overloaded');
    }

    const toolName = String(obj(body.tool_choice)?.name ?? 'write_post');
    let content: Block[];
    let stopReason: string;
    let stopDetails: Block | null = null;
    let cutOff = false;
    if (answer && 'refusal' in answer) {
      content = [];
      stopReason = 'refusal';
      stopDetails = { type: 'refusal', category: null, explanation: answer.explanation ?? null };
    } else if (answer && 'text' in answer) {
      content = [{ type: 'text', text: answer.text, citations: null }];
      stopReason = 'end_turn';
    } else {
      const input =
        answer && 'toolInput' in answer
          ? answer.toolInput
          : {
              content: `Thoughts on ${topicOf(body)}: small steps, shipped often, beat big plans.`,
              hashtags: ['shipping', 'teams'],
              bestTime: 'tuesday 09:00',
            };
      content = [{ type: 'tool_use', id: id('toolu'), name: toolName, input, caller: { type: 'direct' } }];
      cutOff = Boolean(answer && 'maxTokens' in answer);
      stopReason = cutOff ? 'max_tokens' : 'tool_use';
    }
    const message = {
      id: id('msg'),
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      stop_details: stopDetails,
      usage: { input_tokens: 100, output_tokens: 50 },
    };
    if (!streaming) {
      // A cut-off tool call arrives with whatever input the model had finished: here, none.
      const finished = cutOff ? { ...message, content: content.map((c) => ({ ...c, input: {} })) } : message;
      return void res.set('request-id', id('req')).json(finished);
    }

    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': id('req') });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('message_start', {
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, stop_details: null, usage: { input_tokens: 100, output_tokens: 1 } },
    });
    send('ping', { type: 'ping' });
    for (const [index, block] of content.entries()) {
      if (block.type === 'tool_use') {
        send('content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } });
        let json = JSON.stringify(block.input);
        if (answer && 'toolInput' in answer && answer.asciiJson)
          json = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        if (cutOff) json = json.slice(0, Math.ceil(json.length / 2));
        // Fragments of uneven size cut anywhere, inside keys and escapes too, as the real API does.
        const sizes = [1, 7, 3, 11, 5, 2];
        for (let i = 0, n = 0; i < json.length; n++) {
          const size = sizes[n % sizes.length]!;
          send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(i, i + size) } });
          i += size;
          if (answer && 'streamError' in answer && n === 5) {
            send('error', { type: 'error', error: { type: answer.streamError, message: 'Overloaded' } });
            return void res.end();
          }
        }
      } else {
        send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } });
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: String(block.text ?? '') } });
      }
      send('content_block_stop', { type: 'content_block_stop', index });
    }
    send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null, stop_details: stopDetails, container: null },
      usage: { output_tokens: 50 },
    });
    send('message_stop', { type: 'message_stop' });
    res.end();
  });

  app.use((req, res) => fail(res, 404, `Not found: ${req.method} ${req.path}`));

  const server = await startServer(app);
  return {
    ...server,
    requests,
    queue: (...answers) => void scripted.push(...answers),
    reset() {
      requests.length = 0;
      scripted.length = 0;
    },
  };
}
