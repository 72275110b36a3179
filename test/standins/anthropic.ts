// A local Messages API that checks what the real one checks (an API key, the version header,
// the body's shape) and answers in the real shapes: a JSON message, or SSE with named events.
// Tests queue scripted answers: rate limits, overload, refusals, malformed tool input, delays.
import { randomBytes } from 'node:crypto';
import { obj, rawBodyApp, recordRequest, startServer, str, type RecordedRequest, type RunningServer } from './http';

export type ScriptedAnswer =
  | { status: 429 | 500 | 529 | 400; retryAfterMs?: number }
  | { refusal: true }
  | { toolInput: unknown }
  | { text: string }
  | { maxTokens: true }
  | { delayMs: number };

export interface AnthropicStandin extends RunningServer {
  requests: RecordedRequest[];
  /** Answers the next requests with these, in order; then the default (a post about the topic). */
  queue(...answers: ScriptedAnswer[]): void;
}

const ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };

function topicOf(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = obj(messages[messages.length - 1]);
  const content = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
  return /<topic>([\s\S]*?)<\/topic>/.exec(content)?.[1] ?? 'your topic';
}

function validate(body: unknown): string | undefined {
  const b = obj(body);
  if (!b) return 'body must be a JSON object';
  if (typeof b.model !== 'string' || !b.model) return 'model: Field required';
  if (typeof b.max_tokens !== 'number' || b.max_tokens < 1) return 'max_tokens: Field required';
  if (!Array.isArray(b.messages) || b.messages.length === 0) return 'messages: at least one message is required';
  for (const m of b.messages) {
    const mm = obj(m);
    if (!mm || (mm.role !== 'user' && mm.role !== 'assistant') || mm.content === undefined) return 'messages: each needs a role and content';
  }
  if (b.tools !== undefined) {
    if (!Array.isArray(b.tools)) return 'tools: must be a list';
    for (const t of b.tools) if (!obj(t)?.name || !obj(obj(t)?.input_schema)) return 'tools: each needs a name and an input_schema';
  }
  const choice = obj(b.tool_choice);
  if (choice?.type === 'tool' && !(b.tools as { name: string }[] | undefined)?.some((t) => t.name === choice.name)) return 'tool_choice: names a tool that is not in tools';
  return undefined;
}

export async function startAnthropicStandin(opts: { apiKeys: string[] }): Promise<AnthropicStandin> {
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedAnswer[] = [];
  const app = rawBodyApp();

  app.post('/v1/messages', async (req, res) => {
    const rec = recordRequest(req);
    requests.push(rec);
    const key = rec.headers['x-api-key'] ?? /^Bearer\s+(.+)$/i.exec(rec.headers.authorization ?? '')?.[1];
    if (!key || !opts.apiKeys.includes(key)) {
      return void res.status(401).json({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    }
    if (!rec.headers['anthropic-version']) {
      return void res.status(400).json({ type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } });
    }
    const problem = validate(rec.body);
    if (problem) return void res.status(400).json({ type: 'error', error: { type: 'invalid_request_error', message: problem } });
    const body = obj(rec.body)!;

    let answer = scripted.shift();
    while (answer && 'delayMs' in answer) {
      await new Promise((r) => setTimeout(r, (answer as { delayMs: number }).delayMs));
      answer = scripted.shift();
    }
    if (answer && 'status' in answer) {
      if (answer.retryAfterMs !== undefined) res.setHeader('retry-after-ms', String(answer.retryAfterMs));
      return void res.status(answer.status).json({ type: 'error', error: { type: ERROR_TYPES[answer.status] ?? 'api_error', message: `scripted ${answer.status}` } });
    }

    const toolName = str(obj(body.tool_choice), 'name') ?? 'write_post';
    const topic = topicOf(body);
    let content: unknown[];
    let stopReason: string;
    if (answer && 'refusal' in answer) {
      content = [];
      stopReason = 'refusal';
    } else if (answer && 'text' in answer) {
      content = [{ type: 'text', text: answer.text }];
      stopReason = 'end_turn';
    } else {
      const input = answer && 'toolInput' in answer ? answer.toolInput : { content: `Thoughts on ${topic}: small steps, shipped often, beat big plans.`, hashtags: ['shipping', 'teams'], bestTime: 'tuesday 09:00' };
      content = [{ type: 'tool_use', id: `toolu_${randomBytes(8).toString('hex')}`, name: toolName, input }];
      stopReason = answer && 'maxTokens' in answer ? 'max_tokens' : 'tool_use';
    }
    const message = {
      id: `msg_${randomBytes(8).toString('hex')}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 50 },
    };
    if (body.stream !== true) return void res.json(message);

    res.status(200).set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 100, output_tokens: 1 } } });
    content.forEach((block, index) => {
      const b = block as { type: string; input?: unknown; text?: string };
      if (b.type === 'tool_use') {
        send('content_block_start', { type: 'content_block_start', index, content_block: { ...b, input: {} } });
        const json = JSON.stringify(b.input);
        // Fragments cut anywhere, escapes included, as the real API does.
        for (let i = 0; i < json.length; i += 7) send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(i, i + 7) } });
      } else {
        send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: b.text ?? '' } });
      }
      send('content_block_stop', { type: 'content_block_stop', index });
    });
    send('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 50 } });
    send('message_stop', { type: 'message_stop' });
    res.end();
  });

  const server = await startServer(app);
  return { ...server, requests, queue: (...answers) => void scripted.push(...answers) };
}
