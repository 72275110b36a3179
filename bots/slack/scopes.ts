// The bot scopes the app asks for at install; manifest.yml lists the same (a test checks).
export const BOT_SCOPES = ['commands', 'chat:write', 'channels:read', 'groups:read', 'im:write', 'users:read'];
