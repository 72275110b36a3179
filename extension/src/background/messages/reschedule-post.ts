import { apiHandler } from '~lib/handler';

export default apiHandler((api, body: { id: string; scheduledAt: string; timeZone: string }) => api.reschedulePost(body.id, body.scheduledAt, body.timeZone));
