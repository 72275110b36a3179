import { apiHandler } from '~lib/handler';

export default apiHandler((api, body: { id: string }) => api.cancelPost(body.id));
