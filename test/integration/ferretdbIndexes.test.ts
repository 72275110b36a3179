// FerretDB v1.24 looks documents up by `_id` with an SQL expression its own `_id` index does not
// match, so without our wrapper's extra index every read, update and delete by `_id` scans the
// table (the bench watched setup slow from 6/s to under 3/s as data grew). SQLite's own plan for
// FerretDB's exact lookup must be an index search, in a collection created while FerretDB runs.
// The plan is read from the database file with Python's sqlite3 (FerretDB's explain command
// does not show it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from '../../core/process';
import { startFerretDB } from '../../scripts/embedded';
import { isFerretDB } from '../../core/db';
import { eventually, testDatabase } from '../helpers/common';
import { toolPaths } from '../helpers/tools';

const PLAN = `
import json, sqlite3, sys
db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
table = db.execute("SELECT table_name FROM _ferretdb_collections WHERE name = ?", (sys.argv[2],)).fetchone()[0]
plan = db.execute('EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "%s" WHERE _ferretdb_sjson->\\'$._id\\' = ?' % table, ('"d7"',)).fetchall()
print(json.dumps([row[3] for row in plan]))
`;

let dir: string;
let ferret: Awaited<ReturnType<typeof startFerretDB>>;
let client: MongoClient;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postforge-ferretidx-'));
  ferret = await startFerretDB(toolPaths.ferretdb(), { port: await freePort(), dataDir: dir });
  client = await MongoClient.connect(ferret.uri);
}, 30_000);
afterAll(async () => {
  await client?.close();
  await ferret?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('FerretDB _id lookups', () => {
  it('a read by _id searches an index instead of scanning, in a collection made at runtime', async () => {
    const docs = client.db('idx').collection<{ _id: string; n: number }>('made_later');
    await docs.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `d${n}`, n })));
    const planOf = () => JSON.parse(execFileSync('python3', ['-c', PLAN, path.join(dir, 'idx.sqlite'), 'made_later'], { encoding: 'utf8' })) as string[];
    // The wrapper adds the index within a couple of seconds of the collection appearing.
    const plan = await eventually(
      async () => {
        const p = planOf();
        return p.some((step) => step.startsWith('SEARCH')) ? p : undefined;
      },
      { what: 'an index search in the plan', timeoutMs: 15_000 },
    );
    expect(plan.join(' ')).toMatch(/USING INDEX \S+__id_lookup/);
    // FerretDB still answers through it.
    expect(await docs.findOne({ _id: 'd7' })).toMatchObject({ n: 7 });
    await docs.updateOne({ _id: 'd7' }, { $set: { n: 70 } });
    expect(await docs.findOne({ _id: 'd7' })).toMatchObject({ n: 70 });
  });
});

describe('retryable writes', () => {
  it('are off on FerretDB (no transactions behind its sessions) and kept for MongoDB', async () => {
    const db = await testDatabase('retrywrites');
    try {
      expect(db.client.options.retryWrites).toBe(false);
    } finally {
      await db.close();
    }
    expect(isFerretDB({ version: '8.0.4', gitVersion: 'abc', ok: 1 })).toBe(false);
    expect(isFerretDB({ version: '7.0.42', ferretdbVersion: 'v1.24.2', ok: 1 })).toBe(true);
  });
});

describe('the edges’ inbox database', () => {
  it('is a file of its own (its own SQLite writer), and its collections get the _id lookup index too', async () => {
    const { connectDatabase } = await import('../../core/db');
    const d = await connectDatabase(ferret.uri, { dbName: 'pf' });
    try {
      expect(d.inbox.databaseName).toBe('pf_inbox');
      await d.posts.insertOne({ _id: 'main-doc' } as never);
      await d.stripeRelay.insertMany(Array.from({ length: 20 }, (_, n) => ({ _id: `evt_${n}`, type: 'checkout.session.completed', at: new Date() })));
      await d.botCommands.insertOne({ _id: 'command-slack-T:1', input: { edge: 'slack', payload: {}, receivedAt: new Date().toISOString() }, at: new Date() });
      const tables = (file: string) =>
        JSON.parse(
          execFileSync(
            'python3',
            [
              '-c',
              'import json,sqlite3,sys; print(json.dumps([r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT name FROM _ferretdb_collections")]))',
              path.join(dir, file),
            ],
            {
              encoding: 'utf8',
            },
          ),
        ) as string[];
      expect(tables('pf_inbox.sqlite').sort()).toEqual(['bot_commands', 'stripe_relay']);
      expect(tables('pf.sqlite')).not.toContain('stripe_relay');
      expect(tables('pf.sqlite')).not.toContain('bot_commands');
      const plan = await eventually(
        async () => {
          const p = JSON.parse(execFileSync('python3', ['-c', PLAN, path.join(dir, 'pf_inbox.sqlite'), 'stripe_relay'], { encoding: 'utf8' })) as string[];
          return p.some((step) => step.startsWith('SEARCH')) ? p : undefined;
        },
        { what: 'an index search in the inbox file', timeoutMs: 15_000 },
      );
      expect(plan.join(' ')).toMatch(/USING INDEX \S+__id_lookup/);
    } finally {
      await d.close();
    }
  });
});
