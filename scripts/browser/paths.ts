/** Repository paths the browser launchers need, independent of the working directory. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Unpacked Chrome MV3 build (`npm run build:chrome`). */
export const CHROME_BUILD = join(ROOT, '.output/chrome-mv3');
/** Unpacked Firefox MV3 build (`npm run build:firefox`). */
export const FIREFOX_BUILD = join(ROOT, '.output/firefox-mv3');
