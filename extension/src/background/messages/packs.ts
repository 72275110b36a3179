import { apiHandler } from '~lib/handler';

export default apiHandler((api) => api.packs());
