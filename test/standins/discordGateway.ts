// A local Discord gateway (v10, JSON, no compression) that an unmodified discord.js client logs in
// to: HELLO (op 10) → IDENTIFY (op 2, token checked) → READY, heartbeats answered (op 11), and then
// whatever the test dispatches, e.g. INTERACTION_CREATE. discord.js finds it through the REST
// stand-in's GET /gateway/bot.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface GatewayStandinOptions {
  botTokens?: string[];
  applicationId: string;
  botUserId: string;
  /** Guilds announced in READY and then sent as GUILD_CREATE, as Discord does. */
  guilds?: Array<{ id: string; name?: string }>;
}

export interface GatewayStandin {
  url: string;
  /** Every IDENTIFY received, with its token. */
  identifies: Array<{ token: string; intents: number }>;
  /** Resolves once a client has identified and been sent READY. */
  ready(): Promise<void>;
  /** Sends a dispatch (op 0) to every connected client. */
  dispatch(event: string, data: unknown): void;
  connections(): number;
  close(): Promise<void>;
}

const HEARTBEAT_INTERVAL = 41_250;

export async function startDiscordGateway(opts: GatewayStandinOptions): Promise<GatewayStandin> {
  const tokens = new Set(opts.botTokens ?? ['standin-token']);
  const server = http.createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ server });
  const sockets = new Set<WebSocket & { seq?: number; identified?: boolean }>();
  const identifies: GatewayStandin['identifies'] = [];
  let readyWaiters: Array<() => void> = [];
  let readyCount = 0;

  const send = (ws: WebSocket & { seq?: number }, payload: { op: number; d: unknown; t?: string }) => {
    const s = payload.op === 0 ? (ws.seq = (ws.seq ?? 0) + 1) : null;
    ws.send(JSON.stringify({ op: payload.op, d: payload.d, s, t: payload.t ?? null }));
  };

  wss.on('connection', (ws: WebSocket & { seq?: number; identified?: boolean }) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    send(ws, { op: 10, d: { heartbeat_interval: HEARTBEAT_INTERVAL } });
    ws.on('message', (raw) => {
      let msg: { op?: number; d?: Record<string, unknown> | number | null };
      try {
        msg = JSON.parse(String(raw)) as typeof msg;
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      switch (msg.op) {
        case 1:
          send(ws, { op: 11, d: null });
          return;
        case 2: {
          const d = (msg.d ?? {}) as { token?: string; intents?: number };
          const token = String(d.token ?? '');
          identifies.push({ token, intents: Number(d.intents ?? 0) });
          if (!tokens.has(token)) {
            ws.close(4004, 'Authentication failed.');
            return;
          }
          ws.identified = true;
          const port = (server.address() as AddressInfo).port;
          send(ws, {
            op: 0,
            t: 'READY',
            d: {
              v: 10,
              user: { id: opts.botUserId, username: 'PostForge', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
              guilds: (opts.guilds ?? []).map((g) => ({ id: g.id, unavailable: true })),
              session_id: `standin-session-${Date.now()}`,
              resume_gateway_url: `ws://127.0.0.1:${port}`,
              shard: [0, 1],
              application: { id: opts.applicationId, flags: 0 },
              private_channels: [],
              relationships: [],
              user_settings: {},
              presences: [],
              geo_ordered_rtc_regions: [],
              guild_join_requests: [],
            },
          });
          // GUILD_CREATE for each server only with the Guilds intent (1 << 0), as Discord does.
          for (const g of (Number(d.intents ?? 0) & 1) === 1 ? (opts.guilds ?? []) : []) {
            send(ws, {
              op: 0,
              t: 'GUILD_CREATE',
              d: {
                id: g.id,
                name: g.name ?? `guild-${g.id}`,
                icon: null,
                owner_id: '1',
                roles: [],
                emojis: [],
                features: [],
                channels: [],
                threads: [],
                members: [],
                voice_states: [],
                presences: [],
                stickers: [],
                stage_instances: [],
                guild_scheduled_events: [],
                soundboard_sounds: [],
                member_count: 1,
                large: false,
                unavailable: false,
                joined_at: new Date().toISOString(),
                afk_timeout: 300,
                verification_level: 0,
                default_message_notifications: 0,
                explicit_content_filter: 0,
                mfa_level: 0,
                system_channel_flags: 0,
                premium_tier: 0,
                nsfw_level: 0,
                preferred_locale: 'en-US',
              },
            });
          }
          readyCount++;
          for (const w of readyWaiters) w();
          readyWaiters = [];
          return;
        }
        default:
          // Presence updates (op 3) and the like need no answer.
          return;
      }
    });
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    identifies,
    ready: () => (readyCount > 0 ? Promise.resolve() : new Promise<void>((resolve) => readyWaiters.push(resolve))),
    dispatch(event, data) {
      for (const ws of sockets) if (ws.identified) send(ws, { op: 0, t: event, d: data });
    },
    connections: () => sockets.size,
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
