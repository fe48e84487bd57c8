import { createSourceRegistry, type SourceRegistry } from '@/lib/sources/registry';
import type { KeyValueStorage } from '@/lib/store/audit-store';
import { registerContentScripts } from './content-scripts';

/** The background's policies and knowledge: the registry of `lib/sources/`, wired to the browser. */
export type Imports = SourceRegistry;

/**
 * The registry over `storage.local`, following its changes. Called synchronously from
 * `defineBackground`, so its storage listener is registered on every worker start.
 */
export function createImports(storage: KeyValueStorage): Imports {
  const sources = createSourceRegistry({ storage, onPoliciesChanged: registerContentScripts, log: console });
  // Another instance (or a restore) changed the imports: follow it. Our own writes land here too,
  // after apply(); the parsed files are reused and registration is idempotent.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local') void sources.follow(changes);
  });
  return sources;
}
