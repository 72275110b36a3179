// The dashboard's static files (web/dist, built by scripts/build-web.mjs) at /app, with every other
// /app path answered by index.html so the client-side routes survive a reload.
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { sendProblem } from './problem';

export const WEB_DIST = path.resolve(__dirname, '../web/dist');

export function webAppRouter(dist = WEB_DIST): Router {
  const r = Router();
  const index = path.join(dist, 'index.html');
  // The bundles' names carry their content hash (scripts/build-web.mjs); index.html is never cached.
  r.use(
    '/app',
    express.static(dist, {
      index: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res, file) => {
        if (file.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
      },
    }),
  );
  r.get(['/app', '/app/*path'], (req, res) => {
    if (req.path.startsWith('/app/api/')) return sendProblem(res, 404, 'Not found', `No route for ${req.method} ${req.path}.`);
    if (!fs.existsSync(index)) {
      return sendProblem(
        res,
        503,
        'Dashboard not built',
        'The web dashboard has not been built on this server: run `node scripts/build-web.mjs` (npm start and npm test do it).',
      );
    }
    res.set('cache-control', 'no-cache').sendFile(index);
  });
  return r;
}
