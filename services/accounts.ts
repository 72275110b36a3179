// Accounts and their API keys, as the front ends reach them: through services/, like posts and credits.
export { ensureAccount, type AccountSummary } from '../core/accounts';
export { issueApiKey, revokeApiKey, verifyApiKey } from '../core/apiKeys';
