// URLs a customer asks PostForge to call (webhook targets, Discord webhook URLs, notifyUrl) are
// checked when a post is created, so an obviously internal or malformed one is a clear 400 instead
// of a failed publish later. This is the courtesy check; the guard that counts runs on the resolved
// address at send time (core/net/safeFetch.ts), because DNS can change after this.
import type { Target } from '../core/domain';
import { checkOutboundUrl, outboundRefusal } from '../core/net/safeFetch';
import type { Config } from '../core/config';
import { UserError } from './errors';

export function checkCustomerUrls(config: Config, body: { targets: readonly Target[]; notifyUrl?: string | undefined }): void {
  const policy = { allowPrivate: config.ALLOW_PRIVATE_WEBHOOK_HOSTS };
  const urls: { path: string; url: string }[] = [];
  body.targets.forEach((t, i) => {
    if (t.kind === 'webhook') urls.push({ path: `targets[${i}].url`, url: t.url });
    if (t.kind === 'discord' && t.webhookUrl) urls.push({ path: `targets[${i}].webhookUrl`, url: t.webhookUrl });
  });
  if (body.notifyUrl) urls.push({ path: 'notifyUrl', url: body.notifyUrl });

  const issues: { path: string; message: string }[] = [];
  for (const { path, url } of urls) {
    try {
      checkOutboundUrl(url, policy);
    } catch (err) {
      const refused = outboundRefusal(err);
      if (!refused) throw err;
      issues.push({ path, message: `this URL ${refused.message}` });
    }
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new UserError(`${first.path}: ${first.message}. Use a public http(s) URL without credentials.`, 400, issues);
  }
}
