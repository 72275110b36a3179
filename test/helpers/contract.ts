// The API's answers checked against its own OpenAPI document: every response a test's fetch gets
// from a PostForge API (one registered with checkAnswersOf) is looked up by route and status in
// /openapi.json and its body validated against the schema documented there. So the documented
// response schemas, and the client types generated from them (npm run gen:api), stay true to the
// code: a renamed or undocumented field fails the test that saw it (test/helpers/contractSetup.ts).
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { openApiDocument } from '../../api/openapi';

interface MediaDoc {
  schema?: Record<string, unknown>;
  'x-sse-events'?: Record<string, { $ref: string }>;
}
interface ResponseDoc {
  content?: Record<string, MediaDoc>;
}
interface OperationDoc {
  responses: Record<string, ResponseDoc>;
}

const DOC_ID = 'https://postforge.local/openapi.json';
const doc = openApiDocument('http://127.0.0.1') as { paths: Record<string, Record<string, OperationDoc>>; components: { schemas: object } };

// Literal paths before templated ones, so /v1/queue/next is never taken for a {param}.
const routes = Object.entries(doc.paths)
  .map(([path, ops]) => ({ path, ops, re: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`), params: (path.match(/\{/g) ?? []).length }))
  .sort((a, b) => a.params - b.params);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: DOC_ID, components: doc.components });
const validators = new Map<string, ValidateFunction>();
function validatorFor(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) validators.set(ref, (v = ajv.compile({ $ref: `${DOC_ID}${ref}` })));
  return v;
}

const apiBases = new Set<string>();
const mismatches: string[] = [];
const pending = new Set<Promise<void>>();
let checked = 0;

/** Checks every answer from the API at `apiUrl` from now on. */
export function checkAnswersOf(apiUrl: string): void {
  apiBases.add(apiUrl.replace(/\/+$/, ''));
  install();
}

/** The disagreements seen since the last call (waiting a moment for streams still being read), and how many answers were checked. */
export async function takeMismatches(): Promise<{ mismatches: string[]; checked: number }> {
  await Promise.race([Promise.allSettled([...pending]), new Promise((r) => setTimeout(r, 5000).unref())]);
  return { mismatches: mismatches.splice(0), checked };
}

function describeErrors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`)
    .join('; ');
}

/** One answer against the document: undefined when it agrees, else what is wrong. */
export function disagreement(method: string, url: string, status: number, contentType: string | null, body: string): string | undefined {
  const { pathname } = new URL(url);
  const route = routes.find((r) => r.re.test(pathname));
  const op = route?.ops[method.toLowerCase()];
  if (!route || !op) return undefined; // not an API route (a stand-in, a deliberate 404): nothing documented to hold it to
  const where = `${method.toUpperCase()} ${route.path} → ${status}`;
  const documented = op.responses[String(status)] ?? (status >= 400 ? op.responses.default : undefined);
  if (!documented) return `${where}: this status is not documented in /openapi.json`;
  const media = (contentType ?? '').split(';')[0]!.trim();
  if (!documented.content)
    return body === '' || (status >= 300 && status < 400) ? undefined : `${where}: documented without a body, answered ${media || 'a body'}`;
  // A third party's protocol (Slack's ack may be empty) or a page: no schema of ours to hold it to.
  const schemaless = Object.values(documented.content).every((m) => typeof m.schema?.$ref !== 'string' && !m['x-sse-events']);
  if (schemaless && body === '') return undefined;
  const mediaDoc = documented.content[media] ?? documented.content['*/*'];
  if (!mediaDoc) return `${where}: answered ${media || 'no content type'}, documented ${Object.keys(documented.content).join(' or ')}`;
  if (mediaDoc['x-sse-events']) return sseDisagreement(where, mediaDoc['x-sse-events'], body);
  const ref = mediaDoc.schema?.$ref;
  if (typeof ref !== 'string') return undefined; // a page or a third party's protocol: no schema of ours
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return `${where}: the body is not JSON`;
  }
  const v = validatorFor(ref);
  return v(value) ? undefined : `${where}: the body does not match ${ref.split('/').at(-1)}: ${describeErrors(v)}`;
}

function sseDisagreement(where: string, events: Record<string, { $ref: string }>, body: string): string | undefined {
  for (const block of body.split('\n\n').filter((b) => b.trim())) {
    const name = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
    const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
    const ref = events[name]?.$ref;
    if (!ref) return `${where}: event "${name}" is not documented under x-sse-events`;
    const v = validatorFor(ref);
    if (!v(JSON.parse(data))) return `${where}: event "${name}" does not match ${ref.split('/').at(-1)}: ${describeErrors(v)}`;
  }
  return undefined;
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await original(input, init);
    const url = res.url || (input instanceof Request ? input.url : String(input));
    if (![...apiBases].some((b) => url.startsWith(`${b}/`))) return res;
    // After a redirect the answer is the last hop's, which a browser fetches with GET.
    const method = res.redirected ? 'GET' : (init?.method ?? (input instanceof Request ? input.method : 'GET'));
    const copy = res.clone();
    const check = copy
      .text()
      .then((body) => {
        checked += 1;
        const wrong = disagreement(method, url, res.status, res.headers.get('content-type'), body);
        if (wrong) mismatches.push(wrong);
      })
      .catch(() => undefined) // the test aborted the stream: nothing whole to check
      .finally(() => pending.delete(check));
    pending.add(check);
    // A JSON answer is checked before the test sees it; a stream is read alongside the test.
    if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) await check;
    return res;
  };
}
