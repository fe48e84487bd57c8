import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SERVED_PACKAGES } from '../../scripts/fixture-server/npm-packages';
import { npmPackageFile } from '../../scripts/fixture-server/npm-packages';
import type { RouteContext } from '../../scripts/fixture-server/routes';

/** Calls the route for one path; returns what it sent. */
function get(path: string): { status: number; body: string; type: unknown } {
  let sent: { status: number; body: string; type: unknown } | undefined;
  const ctx = {
    url: new URL(`https://www.o2toit.com${path}`),
    send: (status: number, body: string | Buffer = '', headers: Record<string, unknown> = {}) => {
      sent = { status, body: body.toString(), type: headers['Content-Type'] };
    },
  } as unknown as RouteContext;
  void npmPackageFile(ctx);
  return sent!;
}

describe('fixture route /vendor/<package>/<file>', () => {
  it("serves each real consent library's dist files from node_modules", () => {
    const files: Record<(typeof SERVED_PACKAGES)[number], string> = {
      tarteaucitronjs: 'tarteaucitron.js',
      klaro: 'dist/klaro.js',
      'vanilla-cookieconsent': 'dist/cookieconsent.umd.js',
      cookieconsent: 'build/cookieconsent.min.css',
    };
    for (const [pkg, file] of Object.entries(files)) {
      const res = get(`/vendor/${pkg}/${file}`);
      expect(res.status, pkg).toBe(200);
      expect(res.body).toBe(readFileSync(join('node_modules', pkg, file), 'utf8'));
      expect(res.type).toMatch(file.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    }
  });

  it('serves nothing else: other packages, other file types, paths leaving the package', () => {
    for (const path of [
      '/vendor/left-pad/index.js',
      '/vendor/klaro/package.json',
      '/vendor/klaro/',
      '/vendor/klaro/dist/missing.js',
      '/vendor/klaro/..%2F..%2Fvitest.config.ts',
      '/vendor/klaro/..%2Fcookieconsent%2Fbuild%2Fcookieconsent.min.js',
    ])
      expect(get(path).status, path).toBe(404);
  });
});
