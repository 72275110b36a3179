// What one post costs the database, counted with the MongoDB driver's command monitoring against
// the test FerretDB: on FerretDB v1 every operation is SQLite work (an update reads and rewrites the
// whole document), and the lifecycle throughput bench showed that work, not the workflow, is what
// PostForge adds to a bare Temporal workflow. A change that adds a round trip to the hot path of a
// post fails here and has to say why it is worth it.
import type { CommandStartedEvent } from 'mongodb';
import { startWebhookSink, type WebhookSink } from '../standins/webhookSink';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let sink: WebhookSink;

beforeAll(async () => {
  stack = await startStack('opcount', { monitorCommands: true });
  sink = await startWebhookSink({ secret: () => stack.webhookSecrets });
});
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

/** Commands the driver sends on its own (handshakes, heartbeats, sessions), not the code's operations. */
const HOUSEKEEPING = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'buildInfo', 'endSessions', 'saslStart', 'saslContinue', 'killCursors']);

/** `command:collection` → how many, for the main database's operations while `run` ran. */
async function operationsDuring(run: () => Promise<void>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const seen = (e: CommandStartedEvent) => {
    if (e.databaseName !== stack.db.db.databaseName || HOUSEKEEPING.has(e.commandName)) return;
    const key = `${e.commandName}:${String((e.command as Record<string, unknown>)[e.commandName])}`;
    counts[key] = (counts[key] ?? 0) + 1;
  };
  stack.db.client.on('commandStarted', seen);
  try {
    await run();
  } finally {
    stack.db.client.off('commandStarted', seen);
  }
  return counts;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const on = (counts: Record<string, number>, collection: string) =>
  Object.entries(counts)
    .filter(([k]) => k.endsWith(`:${collection}`))
    .reduce((sum, [, n]) => sum + n, 0);

async function postNow(auth: Record<string, string>, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/v1/posts`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { id?: string };
  if (res.status !== 202 || !answer.id) throw new Error(`create answered ${res.status}: ${JSON.stringify(answer)}`);
  // Waits on Temporal, not the database, so the wait itself adds no operations.
  await stack.env.client.workflow.getHandle(`post-${answer.id}`).result();
  return answer.id;
}

describe('MongoDB operations per post', () => {
  it('a post for now (API, topic, one webhook target) writes its document twice and costs at most 12 operations from create to published', async () => {
    const { auth } = await stack.newAccount('opcount-now');
    // A first post warms what is made once per account or process (the webhook secret's sequence).
    await postNow(auth, { topic: 'Warm-up', targets: [{ kind: 'webhook', url: sink.hookUrl }] });
    let id = '';
    const counts = await operationsDuring(async () => {
      id = await postNow(auth, { topic: 'Durable timers make schedulers boring', targets: [{ kind: 'webhook', url: sink.hookUrl }] });
    });
    const why = JSON.stringify(counts, null, 1);
    const doc = await stack.db.posts.findOne({ _id: id });
    expect(doc?.status).toBe('published');
    // The insert at create and the final record: a post already due skips the transient `scheduled` write.
    expect({ posts: on(counts, 'posts'), counts: why }).toEqual({ posts: 2, counts: why });
    expect(doc?.history.map((h) => h.status)).toEqual(['generating', 'published']);
    expect(doc?.content).toBeTruthy();
    expect({ total: total(counts) <= 12, counts: why }).toEqual({ total: true, counts: why });
    // Its workflow knows the account: the final write need not send the whole document back for it.
    expect(counts['findAndModify:posts']).toBeUndefined();
  });

  it('a post for later still records itself scheduled before it is published', async () => {
    const { auth } = await stack.newAccount('opcount-later');
    const id = await postNow(auth, {
      topic: 'Durable timers make schedulers boring',
      targets: [{ kind: 'webhook', url: sink.hookUrl }],
      scheduledAt: new Date(Date.now() + 3_000).toISOString(),
    });
    const doc = await stack.db.posts.findOne({ _id: id });
    expect(doc?.history.map((h) => h.status)).toEqual(['generating', 'scheduled', 'published']);
  });
});
