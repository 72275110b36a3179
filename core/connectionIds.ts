// The `_id` of a member's LinkedIn connection: written by the API's OAuth callback, read by the worker.
export const linkedInConnectionId = (accountId: string, memberId: string): string => `linkedin:${accountId}:${memberId}`;
