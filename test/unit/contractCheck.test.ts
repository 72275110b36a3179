// The contract check itself (test/helpers/contract.ts) must be able to fail: an answer that
// disagrees with /openapi.json, in a field, a status or a content type, is named.
import { ROUTES } from '../../api/openapi';
import { disagreement } from '../helpers/contract';

const api = 'http://127.0.0.1:1';
const post = {
  id: '0123456789abcdef01234567',
  status: 'scheduled',
  source: 'api',
  hashtags: [],
  targets: [{ kind: 'linkedin' }],
  scheduledAt: '2026-12-01T09:00:00.000Z',
  timeZone: 'UTC',
  results: [],
  createdAt: '2026-11-29T09:00:00.000Z',
  updatedAt: '2026-11-29T09:00:00.000Z',
};
const json = 'application/json; charset=utf-8';

test('an answer as documented passes', () => {
  expect(disagreement('GET', `${api}/v1/posts/${post.id}`, 200, json, JSON.stringify(post))).toBeUndefined();
  expect(disagreement('GET', `${api}/v1/posts?limit=1`, 200, json, JSON.stringify({ posts: [post], total: 1, limit: 1, offset: 0 }))).toBeUndefined();
  const problem = { type: 'about:blank', title: 'Not found', status: 404, detail: 'Post x' };
  expect(disagreement('GET', `${api}/v1/posts/${post.id}`, 404, 'application/problem+json', JSON.stringify(problem))).toBeUndefined();
  expect(disagreement('DELETE', `${api}/v1/series/abc`, 204, null, '')).toBeUndefined();
});

test('a renamed field fails, naming the route, the schema and the field', () => {
  const { scheduledAt, ...rest } = post;
  expect(disagreement('GET', `${api}/v1/posts/${post.id}`, 200, json, JSON.stringify({ ...rest, scheduledFor: scheduledAt }))).toMatch(
    /GET \/v1\/posts\/\{id\} → 200: the body does not match Post: .*required property 'scheduledAt'.*additional properties "scheduledFor"/,
  );
});

test('a wrong type, an undocumented status and an undocumented content type fail', () => {
  expect(
    disagreement(
      'GET',
      `${api}/v1/me`,
      200,
      json,
      JSON.stringify({ account: { id: 'a', kind: 'person', name: 'A' }, member: { id: 'm', role: 'member' }, credits: '10' }),
    ),
  ).toMatch(/\/credits must be integer/);
  expect(disagreement('GET', `${api}/v1/me`, 201, json, '{}')).toMatch(/status is not documented/);
  expect(disagreement('GET', `${api}/v1/me`, 200, 'text/html', '<p>')).toMatch(/answered text\/html, documented application\/json/);
  expect(disagreement('GET', `${api}/v1/me`, 500, json, '{"error":"x"}')).toMatch(/answered application\/json, documented application\/problem\+json/);
});

test('each server-sent event is held to its documented data schema', () => {
  const ok = 'event: charged\ndata: {"type":"charged","balance":9,"draftId":"d"}\n\nevent: delta\ndata: {"text":"Hi"}\n\n';
  expect(disagreement('POST', `${api}/v1/generate/stream`, 200, 'text/event-stream', ok)).toBeUndefined();
  expect(disagreement('POST', `${api}/v1/generate/stream`, 200, 'text/event-stream', `${ok}event: delta\ndata: {"txt":"Hi"}\n\n`)).toMatch(
    /event "delta" does not match DraftDeltaEvent/,
  );
  expect(disagreement('POST', `${api}/v1/generate/stream`, 200, 'text/event-stream', 'event: progress\ndata: {}\n\n')).toMatch(/"progress" is not documented/);
});

test('every JSON answer of ours has a named schema (the clients get its type from it)', () => {
  const schemaless = ROUTES.filter((r) => !r.mountedWhen && (r.produces ?? 'application/json') === 'application/json').flatMap((r) =>
    Object.entries(r.responses)
      .filter(([code, doc]) => Number(code) < 300 && code !== '204' && typeof doc === 'string')
      .map(([code]) => `${r.method} ${r.path} ${code}: give it answer('…', <schema from api/responses/>)`),
  );
  expect(schemaless).toEqual([]);
});
