/**
 * Who is changing a post: a member of its account, and whether they are an admin of it (a Slack
 * workspace admin, owner or installer, a Discord member with the manager permission, or an admin
 * API key). A post goes out under its author's name, so only they or an admin may change it.
 */
export interface Actor {
  accountId: string;
  memberId: string;
  isAdmin: boolean;
}
