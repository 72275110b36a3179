// What the measurements led to change, kept with the code that writes BENCHMARKS.md so every
// regenerated report still says it. Edit when a change is made because of a number.
export const FINDINGS = `Measured with the first versions of this bench (same machine), then fixed in the product:

- **Every charge scanned the whole ledger on FerretDB.** FerretDB v1 pushes only \`_id\` equality down
  to SQLite; the ledger's head lookup (\`find({accountId}).sort({seq:-1}).limit(1)\`) decoded every
  entry of every account: 8 ms per append at 100 entries, 157 ms at 4,000, growing without bound.
  Appends now start from \`ledger_heads\`, read by \`_id\`; it may lag the chain but never lead it (the
  unique \`(accountId, seq)\` index still decides), and a writer that lost a race waits a few ms for
  the winner to move it instead of reading the chain: 20 ms per append at 4,000 entries. Tests:
  \`test/integration/ledger.test.ts\` (lagging and missing shortcut, 4 × 50 concurrent charges).
- **A killed worker held its in-flight publishes for a minute.** The kill run showed PostForge's max
  lateness at 65 s (the publish activity's 1 min start-to-close timeout). Publishing now heartbeats
  every 2 s with a 10 s heartbeat timeout and one-write activities have 10 s: 11–12 s since. What
  remains is the worker's restart (about 4 s: it bundles the workflows) and the sticky queue's 10 s
  schedule-to-start timeout for workflows cached on the dead worker.
- **Sleeping posts filled the worker's memory.** 300 posts asleep took the worker from 328 to 753 MiB
  RSS (about 1.4 MB per cached workflow); the SDK's default cache on this 4 GB heap is about 2,300
  workflows, so 10,000 sleepers would take it past 3 GB. The cache is capped at 500 (a post asleep
  until tomorrow is replayed from its short history when its timer fires); a 1,000-post burst set up
  no slower with a 2,500 cache (184 s vs 186 s), so the cap costs nothing measurable here.
- **API posts ran two activities for nothing.** Posts whose notify channel is \`none\` (REST, extension)
  called the no-op notifier at "scheduled" and "published": 2 of 9 activities. They are skipped
  (behind a \`patched\` marker, so histories already running still replay).
- **The bench measured itself.** A Stripe event sent right after 600 Slack commands took 29 s: the
  commands' work (preview, post, draft) was still queued. Each ack level now waits for that work to
  drain first (until it stops moving for 20 s; 3 s proved too short at 200 commands per level).
- **Two writers on one document lost an update.** FerretDB v1 updates a document by reading it,
  changing it in Go and writing all of it back, outside any transaction. Under the full run's load a
  Slack post's document stayed at "generating" while its workflow was in draft: the bot's "remember
  the preview message" \`$set\` had written back the document it read before the workflow's "draft"
  update. Each document now has one writer after its insert: what a front end knows at creation goes
  into the post's first insert, a Discord click's fresh token into \`discord_tokens\`, and the Stripe
  route from payment intent to session into \`payment_intents\` (also a read by \`_id\` now, where the
  refund and dispute routing scanned every purchase).
- **Every read by \`_id\` scanned its table, so everything slowed as the data grew.** Setup rates fell
  run after run (1,000 posts at 6.4/s; the 5,000 after them created at 4/s falling to 2.7/s, past
  their due time, which stopped the first full run; in a second attempt a read by \`_id\` took 1.3 s).
  EXPLAIN QUERY PLAN on FerretDB's SQLite file showed why: FerretDB v1.24 looks a document up with
  \`WHERE _ferretdb_sjson->'$._id' = ?\` but builds the \`_id\` index on \`_ferretdb_sjson->"_id"\`,
  and SQLite uses an expression index only for the identical expression, so every \`_id\` read,
  update and delete was \`SCAN\`. Our FerretDB wrapper (\`tools/ferretdb/main.go\`) now adds the index
  the query can use to every collection table (at start, and within 2 s of a new collection).
  A FerretDB-only loop of post-like writes (insert, two reads, ledger insert, head upsert, update;
  50 concurrent): 3,000 in 91.7 s, each 1,000 slower than the last (11.5, 31, 47.5 s) → 3,000 in
  14.3 s, 4.9 s per 1,000 throughout. Tried first and dropped: \`synchronous=NORMAL\` (no change) and
  truncating the 300 MB write-ahead log (it stayed small, throughput fell to 11.8/s on SQLITE_BUSY).
- **Owned lookups scanned.** FerretDB v1 reads by primary key only when the filter is exactly
  \`{ _id }\`; \`{ _id, accountId }\` (reading a post for an API call or a Slack/Discord button, a
  paid draft's charge, a purchase's status page) scanned the whole collection. They read by \`_id\`
  and compare the account in code.

Not changed, and why:

- **The embedded stack is the ceiling, not the workflow.** On two cores, FerretDB (SQLite, every
  write re-encodes the document and its indexes) and the Temporal dev server (one shard, one SQLite
  connection) saturate the CPU together: 1,000 posts due at the same second took two minutes to
  be created, charged and put to sleep and then drained at under 5 posts/s (p50 lateness about two
  minutes). Setup also slows as the stack fills: after the ack, throughput and smaller lateness runs
  (about 3,000 posts in) the 5,000 posts were created at 4/s falling to 2.7/s, their creation ran
  past their due time and the first full default run stopped there. The 5,000 and 10,000 rows come
  from a second run on a fresh stack (\`--only lateness,kill,memory --setup-rate 8\`), where
  @@BIG@@
  Production runs a Temporal cluster (or Cloud) and MongoDB, where neither ceiling applies; more
  workers scale the rest. BullMQ is far faster at the same job on the same box — and does far less:
  no ledger, no history, no per-post state machine, no exactly-once bookkeeping.
- **Stripe acks slow down under a burst.** The webhook records the event and signals the purchase
  workflow before answering (so an acknowledged event is never lost); at 50 concurrent events on this
  box that took p50 5.9 s, p99 24 s in the recorded run, and 11 of 200 were answered with an error
  (an earlier run with 100 per level: p50 4.9 s, p99 11 s, none). Stripe retries any event that is
  not answered 2xx, and the saga drops repeats by event id, so a slow or failed ack costs a retry,
  never a purchase: of those 11, the 5 whose event had been recorded stayed "received", none was
  granted twice. The Stripe c=1 row's p99 (4 s) still carries the tail of the 200 Slack commands
  before it, whose drafting outlasted the 20 s no-progress wait.
- **The kill run at full size is mostly backlog.** 300 posts due within 20 s is more than this stack
  publishes per second, so both its lateness and the kill's show up there; the quick run (40 posts)
  isolates the kill: max 11–12 s for PostForge.
- **FerretDB answers "database is locked" (SQLITE_BUSY) under concurrent writes.** In the kill run 8
  BullMQ jobs failed on their MongoDB update after the post had gone out (BullMQ's default is one
  attempt), leaving those posts marked scheduled although published. PostForge's activities are
  retried by Temporal, so the same error only delays a post.
- **Memory now levels off.** With the cache capped, the worker stayed at 1.1–1.2 GB RSS from 1,000 to
  2,000 sleeping posts instead of growing with them, and a fresh worker holds 2,000 sleepers in
  388 MiB. A smaller cap would trade a little more replay for less memory; it is one constant
  (\`WORKFLOW_CACHE_SIZE\` in \`worker/createWorker.ts\`).
- **Lookups that still scan on FerretDB** (index lookups on MongoDB): \`balanceOf\` (Slack's "any
  credits left?" check before a draft, \`/v1/me\`) and the purchase workflow's clawback lookup. They
  are per command or per purchase, not per published post.
- **Both systems re-send a delivery that was in flight at the kill.** The sink dedupes by
  Idempotency-Key, so nothing arrived twice. For LinkedIn and Slack, which cannot dedupe, PostForge
  marks such a target *unconfirmed* and tells the author; BullMQ would post twice.
- **The chaos run** (\`npm run chaos\`: 500 posts, 4 worker kill -9s, Temporal and FerretDB crashed
  and restarted) found no lost, doubled, unrefunded or stuck post and no ledger problem, so no
  correctness fix was needed.`;
