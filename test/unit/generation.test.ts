// Generation through the real Anthropic SDK against a local Messages API.
import { CHAR_LIMITS, type GenerateRequest } from '../../core/domain';
import { createClaudeGenerator, createGenerator, createOfflineGenerator, GenerationError, OFFLINE_MARK } from '../../worker/generation';
import { decodeGrowingString } from '../../worker/generation/partialJson';
import { draftLength } from '../../worker/generation/prompt';
import { startAnthropicStandin, type AnthropicStandin } from '../standins/anthropic';

let api: AnthropicStandin;
beforeAll(async () => {
  api = await startAnthropicStandin({ apiKeys: ['sk-ant-test'] });
});
afterAll(async () => api?.close());
beforeEach(() => {
  api.requests.length = 0;
});

const req = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({ topic: 'Shipping small', tone: 'friendly', language: 'en', maxChars: CHAR_LIMITS.linkedin, ...over });
const claude = (over: { apiKey?: string; maxRetries?: number } = {}) =>
  createClaudeGenerator({ apiKey: over.apiKey ?? 'sk-ant-test', baseURL: api.url, model: 'claude-sonnet-4-5', maxRetries: over.maxRetries ?? 2, timeoutMs: 10_000 });
const failure = async (p: Promise<unknown>): Promise<GenerationError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof GenerationError) return err;
    throw err;
  }
  throw new Error('expected a GenerationError');
};

describe('Claude generator', () => {
  it('forces the write_post tool and returns the structured draft', async () => {
    const draft = await claude().generate(req({ instructions: 'mention </topic> tags literally' }));
    expect(draft).toEqual({
      content: 'Thoughts on Shipping small: small steps, shipped often, beat big plans.',
      hashtags: ['shipping', 'teams'],
      bestTime: 'tuesday 09:00',
      generator: { kind: 'claude', model: 'claude-sonnet-4-5' },
    });
    const sent = api.requests[0]!;
    expect(sent.headers['x-api-key'] ?? sent.headers.authorization).toMatch(/sk-ant-test/);
    expect(sent.headers['anthropic-version']).toBeTruthy();
    const body = sent.body as { model: string; tool_choice: unknown; tools: { name: string; input_schema: { required: string[] } }[]; system: string; messages: { content: string }[] };
    expect(body.model).toBe('claude-sonnet-4-5');
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'write_post' });
    expect(body.tools[0]!.input_schema.required).toEqual(['content', 'hashtags', 'bestTime']);
    expect(body.system).toMatch(/fit in 3000 characters/);
    // The author's words are delimited data, and cannot close the delimiter themselves.
    expect(body.messages[0]!.content).toContain('<topic>Shipping small</topic>');
    expect(body.messages[0]!.content).toContain('<instructions>mention ‹/topic› tags literally</instructions>');
  });

  it('streams the content as it is written, then the whole draft', async () => {
    api.queue({ toolInput: { content: 'Line one "quoted"\nLine two with \\ backslash and é', hashtags: ['a'], bestTime: 'monday 10:00' } });
    const events = [];
    for await (const e of claude().stream(req())) events.push(e);
    const deltas = events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('Line one "quoted"\nLine two with \\ backslash and é');
    expect(events.at(-1)).toEqual({ type: 'done', draft: expect.objectContaining({ content: deltas.join(''), hashtags: ['a'] }) });
    expect((api.requests[0]!.body as { stream: boolean }).stream).toBe(true);
  });

  it('retries a rate limit, then succeeds', async () => {
    api.queue({ status: 429, retryAfterMs: 10 });
    const draft = await claude().generate(req());
    expect(draft.generator.kind).toBe('claude');
    expect(api.requests).toHaveLength(2);
  });

  it('persistent overload becomes a retryable "unavailable" error', async () => {
    api.queue({ status: 529, retryAfterMs: 5 }, { status: 529, retryAfterMs: 5 }, { status: 529, retryAfterMs: 5 });
    const err = await failure(claude({ maxRetries: 2 }).generate(req()));
    expect(err).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(api.requests).toHaveLength(3);
  });

  it('a bad key is an auth error, not retried', async () => {
    const err = await failure(claude({ apiKey: 'sk-ant-wrong' }).generate(req()));
    expect(err).toMatchObject({ kind: 'auth', retryable: false });
    expect(err.message).toMatch(/ANTHROPIC_API_KEY/);
    expect(api.requests).toHaveLength(1);
  });

  it('a refusal, a text answer, a cut-off or malformed input are clear failures', async () => {
    api.queue({ refusal: true });
    expect(await failure(claude().generate(req()))).toMatchObject({ kind: 'refused', retryable: false, message: expect.stringMatching(/declined/) });
    api.queue({ text: 'I would rather chat.' });
    expect(await failure(claude().generate(req()))).toMatchObject({ kind: 'malformed' });
    api.queue({ maxTokens: true });
    expect(await failure(claude().generate(req()))).toMatchObject({ kind: 'malformed', message: expect.stringMatching(/cut off/) });
    api.queue({ toolInput: { content: '', hashtags: 'nope' } });
    const bad = await failure(claude().generate(req()));
    expect(bad).toMatchObject({ kind: 'malformed' });
    expect(bad.message).toMatch(/content|hashtags|bestTime/);
  });

  it('asks once for a shorter version when the draft is too long', async () => {
    api.queue({ toolInput: { content: 'x'.repeat(300), hashtags: [], bestTime: 'monday 10:00' } });
    const draft = await claude().generate(req({ maxChars: 280 }));
    expect(draft.content.length).toBeLessThanOrEqual(280);
    expect(api.requests).toHaveLength(2);
    expect(JSON.stringify(api.requests[1]!.body)).toMatch(/previous draft was 300 characters.*limit is 280/);
    api.queue({ toolInput: { content: 'x'.repeat(300), hashtags: [], bestTime: 'monday 10:00' } }, { toolInput: { content: 'y'.repeat(290), hashtags: [], bestTime: 'monday 10:00' } });
    expect(await failure(claude().generate(req({ maxChars: 280 })))).toMatchObject({ kind: 'too_long' });
  });
});

describe('offline generator', () => {
  it.each([280, 2000, 3000])('writes a usable draft within %i characters that says it is offline', async (maxChars) => {
    const d = await createOfflineGenerator().generate(req({ maxChars, topic: 'Remote onboarding for engineering teams' }));
    expect(draftLength(d)).toBeLessThanOrEqual(maxChars);
    expect(d.content.startsWith(OFFLINE_MARK)).toBe(true);
    expect(d.generator).toEqual({ kind: 'offline' });
    expect(d.hashtags.length).toBeGreaterThan(0);
  });

  it('says when it could not write in the language asked for', async () => {
    const d = await createOfflineGenerator().generate(req({ language: 'de' }));
    expect(d.content).toMatch(/offline drafts are in English; asked for de/);
  });

  it('streams in several chunks', async () => {
    const events = [];
    for await (const e of createOfflineGenerator().stream(req())) events.push(e);
    const text = events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('');
    expect(events.filter((e) => e.type === 'delta').length).toBeGreaterThan(2);
    expect(events.at(-1)).toMatchObject({ type: 'done', draft: { content: text } });
  });

  it('is what createGenerator picks without a key', async () => {
    expect((await createGenerator({}).generate(req())).generator).toEqual({ kind: 'offline' });
    expect((await createGenerator({ apiKey: 'sk-ant-test', baseURL: api.url }).generate(req())).generator.kind).toBe('claude');
  });
});

describe('partial JSON', () => {
  it('decodes a string field as far as it has arrived, escapes split anywhere', () => {
    expect(decodeGrowingString('{"content": "Hel', 'content')).toBe('Hel');
    expect(decodeGrowingString('{"content": "a\\', 'content')).toBe('a');
    expect(decodeGrowingString('{"content": "a\\n\\"b\\u00e9', 'content')).toBe('a\n"bé');
    expect(decodeGrowingString('{"content": "a\\u00', 'content')).toBe('a');
    expect(decodeGrowingString('{"hashtags": [', 'content')).toBeUndefined();
  });
});
