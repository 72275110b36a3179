// Bolt authorizes every Slack request with the workspace's installation before the listener (and
// so the ack) runs: the store answers it from memory for a few seconds instead of a database read
// and an unseal per request, and forgets it at once when this store installs or uninstalls.
import type { Installation } from '@slack/bolt';
import { parseConfig } from '../../../core/config';
import type { Database } from '../../../core/db';
import { INSTALLATION_CACHE_MS, createInstallationStore } from '../../../bots/slack/installationStore';

function storeOver(opts: { botToken?: string } = {}) {
  const docs = new Map<string, unknown>();
  const reads: string[] = [];
  const collection = {
    findOne: async ({ _id }: { _id: string }) => {
      reads.push(_id);
      return docs.get(_id) ?? null;
    },
    updateOne: async ({ _id }: { _id: string }, update: { $set: object }) => void docs.set(_id, { _id, ...update.$set }),
    deleteOne: async ({ _id }: { _id: string }) => void docs.delete(_id),
  };
  const db = { db: { collection: () => collection } } as unknown as Database;
  let t = 1_000_000;
  const config = parseConfig({ ...(opts.botToken ? { SLACK_BOT_TOKEN: opts.botToken } : {}) });
  const store = createInstallationStore(db, config, { now: () => t });
  return { store, reads, advance: (ms: number) => void (t += ms) };
}

const install = (token: string): Installation =>
  ({
    team: { id: 'T1', name: 'one' },
    enterprise: undefined,
    user: { token: undefined, scopes: undefined, id: 'U1' },
    bot: { token, scopes: ['commands'], id: 'B1', userId: 'UB1' },
    isEnterpriseInstall: false,
    authVersion: 'v2',
  }) as Installation;

const query = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false };

it('a burst of requests for one workspace reads its installation once, and again after INSTALLATION_CACHE_MS', async () => {
  const { store, reads, advance } = storeOver();
  await store.storeInstallation(install('xoxb-first'));
  for (let i = 0; i < 50; i++) expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-first');
  expect(reads).toHaveLength(1);
  advance(INSTALLATION_CACHE_MS + 1);
  await store.fetchInstallation(query);
  expect(reads).toHaveLength(2);
});

it('a reinstall or an uninstall through the store is seen by the next request', async () => {
  const { store } = storeOver();
  await store.storeInstallation(install('xoxb-first'));
  expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-first');
  await store.storeInstallation(install('xoxb-second'));
  expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-second');
  await store.deleteInstallation!(query);
  await expect(store.fetchInstallation(query)).rejects.toThrow(/not installed/);
});

it('a workspace that is not installed is not remembered: its install works on the next request', async () => {
  const { store, reads } = storeOver();
  await expect(store.fetchInstallation(query)).rejects.toThrow(/not installed/);
  await expect(store.fetchInstallation(query)).rejects.toThrow(/not installed/);
  expect(reads).toHaveLength(2);
});

it('token mode: the configured token is answered from memory too', async () => {
  const { store, reads } = storeOver({ botToken: 'xoxb-config' });
  for (let i = 0; i < 10; i++) expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-config');
  expect(reads).toHaveLength(1);
});
