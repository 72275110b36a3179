// History ⇄ the JSON the Temporal CLI writes (`temporal workflow show --output json`).
// The SDK's own historyToJSON/historyFromJSON fail here ("type must be a Type"): npm installs two
// copies of protobufjs 8 (under @temporalio/common and @temporalio/proto, because something else
// needs protobufjs 7 at the top), and common's protojson rejects the types proto built with the
// other copy. So we use the protojson of the copy that built the types.
import path from 'node:path';
import type { History } from '@temporalio/worker';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}
const protojson = require(
  require.resolve('protobufjs/ext/protojson', { paths: [path.dirname(require.resolve('@temporalio/proto/package.json'))] }),
) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

export function historyToJSON(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

export function historyFromJSON(json: unknown): History {
  const loaded = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!loaded) throw new TypeError('Invalid history JSON');
  return loaded as History;
}
