// Slack reads `&`, `<` and `>` in message text as its own markup: `<!channel>` pings everyone,
// `<@U…>` mentions, `<https://…|label>` hides a link behind a label. Post text is written for every
// target (Claude or the author write plain prose, not Slack markup), so all three are always
// escaped on the way out: a draft that says `<!channel>` shows those characters instead of paging a
// whole workspace. Slack documents exactly these three escapes, and sends user-typed text (slash
// commands) escaped the same way, so reading it back undoes exactly these three.

/** Text as Slack must receive it to show it literally. */
export const escapeSlackText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Text a person typed, as they typed it (Slack escaped `&`, `<`, `>`; `&amp;` is undone last so `&amp;lt;` stays `&lt;`). */
export const unescapeSlackText = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
