// Schedules the draft as the person's own text, so the scheduled post is exactly what they saw.
import { apiHandler } from '~lib/handler';
import type { NewPost } from '~lib/api';

export default apiHandler((api, body: NewPost) => api.createPost(body));
