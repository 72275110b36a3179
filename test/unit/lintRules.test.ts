// The lint rules that guard the architecture catch what they are for (the check itself runs in
// `npm test`; this proves the rules bite): Node built-ins and I/O clients in workflow code, upward
// imports between layers, and promises nobody awaits.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const probes = {
  workflowFs: ['workflows/probe.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
  workflowMongo: ['workflows/probe.ts', "import { MongoClient } from 'mongodb';\nexport const x = MongoClient;\n"],
  workflowActivityValue: ['workflows/probe.ts', "import { publishActivities } from '../worker/activities/publish';\nexport const x = publishActivities;\n"],
  workflowActivityType: ['workflows/probe.ts', "import type { Activities } from '../worker/activities';\nexport type X = Activities;\n"],
  servicesToWorker: ['services/probe.ts', "import { createWorker } from '../worker/createWorker';\nexport const x = createWorker;\n"],
  workerToBots: ['worker/probe.ts', "import { frontEndNotifiers } from '../bots/notifiers';\nexport const x = frontEndNotifiers;\n"],
  coreToServices: ['core/probe.ts', "import { createPost } from '../services/posts';\nexport const x = createPost;\n"],
  botToLedger: ['bots/probe.ts', "import { balanceOf } from '../core/ledger';\nexport const x = balanceOf;\n"],
  floating: ['services/probe.ts', 'async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n'],
} as const;

let found: Record<keyof typeof probes, string[]>;
beforeAll(() => {
  const names = Object.keys(probes) as (keyof typeof probes)[];
  const input = names.map((n) => ({ filePath: probes[n][0], code: probes[n][1] }));
  const out = JSON.parse(
    execFileSync(process.execPath, [path.join(__dirname, '../helpers/lintProbe.mjs')], { input: JSON.stringify(input), encoding: 'utf8' }),
  ) as string[][];
  found = Object.fromEntries(names.map((n, i) => [n, out[i] ?? []])) as typeof found;
}, 120_000);

it('workflow code may not import Node built-ins, I/O clients or activity code (types are fine)', () => {
  expect(found.workflowFs).toEqual([expect.stringMatching(/no-restricted-imports: .*deterministic/)]);
  expect(found.workflowMongo).toHaveLength(1);
  expect(found.workflowActivityValue).toHaveLength(1);
  expect(found.workflowActivityType).toEqual([]);
});

it('layers do not import upward', () => {
  expect(found.servicesToWorker).toEqual([expect.stringMatching(/no-restricted-imports/)]);
  expect(found.workerToBots).toEqual([expect.stringMatching(/no-restricted-imports/)]);
  expect(found.coreToServices).toEqual([expect.stringMatching(/no-restricted-imports/)]);
  expect(found.botToLedger).toEqual([expect.stringMatching(/no-restricted-imports: .*services\/credits/)]);
});

it('a promise nobody awaits is an error', () => {
  expect(found.floating).toEqual([expect.stringMatching(/no-floating-promises/)]);
});
