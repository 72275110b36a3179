// Schedules the draft as the person's own text, so the scheduled post is exactly what they saw.
import { apiHandler } from '~lib/handler';

export default apiHandler((api, body: { text: string; hashtags?: string[]; scheduledAt: string; timeZone: string; draftId?: string }) => api.createPost(body));
