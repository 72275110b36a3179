// GET /v1/extension/selectors: public (the extension asks before anyone signs in) and cacheable.
import { Router } from 'express';
import { EXTENSION_SELECTORS } from '../../services/extensionSelectors';

export function extensionRouter(): Router {
  const r = Router();
  r.get('/extension/selectors', (_req, res) => {
    res.set('cache-control', 'public, max-age=3600').json(EXTENSION_SELECTORS);
  });
  return r;
}
