// The routes an Express app really serves, read from its router stack, in OpenAPI's path syntax.
import type { Express } from 'express';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  rawPath?: string | string[];
  handle?: { stack?: Layer[] };
}

export function servedRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const one of ([] as string[]).concat(layer.route.path)) {
          const path = `${prefix}${one}`.replace(/\/$/, '').replace(/[:*](\w+)/g, '{$1}') || '/';
          for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push(`${method} ${path}`);
        }
      } else if (!layer.handle?.stack && typeof layer.rawPath === 'string' && layer.rawPath !== '/') {
        // `router.use('/path', handler)` answers every method there (Bolt mounts its OAuth redirect
        // like that); a browser reaches it with GET, which is what the document says.
        out.push(`get ${prefix}${layer.rawPath}`);
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  // express.static mounted at /app and the page's own GET /app name one route twice.
  return [...new Set(out)].sort();
}
