/**
 * The real consent libraries of the `real-cmps/` fixture pages, self-hosted the way many sites
 * deploy them (a copy of the npm package's dist files under the site's own `/vendor/` path):
 * `https://www.o2toit.com/vendor/<package>/<file>` serves `node_modules/<package>/<file>`. Only the
 * packages listed here are served, and only files inside them; they are devDependencies, never part of
 * the extension bundle.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteHandler } from './routes.ts';

/** The packages the fixture pages load (see tests/fixtures/README.md, "Real consent libraries"). */
export const SERVED_PACKAGES = ['tarteaucitronjs', 'klaro', 'vanilla-cookieconsent', 'cookieconsent'] as const;

const NODE_MODULES = join(dirname(fileURLToPath(import.meta.url)), '../../node_modules');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** `/vendor/<package>/<file>` → the package's file, or 404 (unknown package, other file type, outside it). */
export const npmPackageFile: RouteHandler = (ctx) => {
  const [, , pkg, ...rest] = ctx.url.pathname.split('/');
  const type = TYPES[extname(ctx.url.pathname)];
  if (!pkg || !(SERVED_PACKAGES as readonly string[]).includes(pkg) || !type || rest.length === 0)
    return ctx.send(404, 'not a served package file\n', { 'Content-Type': 'text/plain' });
  const root = join(NODE_MODULES, pkg);
  const file = normalize(join(root, ...rest.map(decodeURIComponent)));
  if (!file.startsWith(root + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile())
    return ctx.send(404, 'not a served package file\n', { 'Content-Type': 'text/plain' });
  ctx.send(200, readFileSync(file), { 'Content-Type': type });
};
