import type { ConsentCommand, ConsentCommandResponse } from '@/lib/messages';

/**
 * The meeting point of the consent script's two parts in one frame. The document_start part
 * (index.ts) is small: gestures, storage snapshots, the banner-shape watcher and the command
 * listener. @duckduckgo/autoconsent (about 100 kB) is the `autoconsent` content script, injected at
 * document_idle so that parsing it is not on the page's load path; it offers itself here. Both run
 * in the extension's isolated world of the frame, whose globals the page cannot see, so a slot on
 * `globalThis` joins them, whichever arrives first.
 */
export interface AutoconsentPart {
  /** True once autoconsent recognised a known platform in this frame. */
  known(): boolean;
  /** Runs an autoconsent command (optIn, optOut, selfTest). */
  run(command: ConsentCommand): Promise<ConsentCommandResponse>;
}

interface Slot {
  part?: AutoconsentPart;
  waiting: Array<(part: AutoconsentPart) => void>;
}

const KEY = '__consentAuditorAutoconsent';

function slot(): Slot {
  const g = globalThis as unknown as Record<typeof KEY, Slot | undefined>;
  return (g[KEY] ??= { waiting: [] });
}

/** The autoconsent part announces itself; every command waiting for it resumes. */
export function offerAutoconsent(part: AutoconsentPart): void {
  const s = slot();
  s.part = part;
  for (const resume of s.waiting.splice(0)) resume(part);
}

/** The autoconsent part if it is here already. */
export function currentAutoconsent(): AutoconsentPart | undefined {
  return slot().part;
}

/** The autoconsent part once it arrives, or undefined after `timeoutMs` (a frame it never reached). */
export function awaitAutoconsent(timeoutMs: number): Promise<AutoconsentPart | undefined> {
  const s = slot();
  if (s.part) return Promise.resolve(s.part);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      s.waiting = s.waiting.filter((w) => w !== resume);
      resolve(undefined);
    }, timeoutMs);
    const resume = (part: AutoconsentPart) => {
      clearTimeout(timer);
      resolve(part);
    };
    s.waiting.push(resume);
  });
}

/**
 * An autoconsent command (optIn, optOut, selfTest) as the document_start part runs it: handed to
 * the autoconsent part, waited for (bounded) when the command comes before it.
 */
export async function runAutoconsent(command: ConsentCommand, timeoutMs: number): Promise<ConsentCommandResponse> {
  const autoconsent = await awaitAutoconsent(timeoutMs);
  if (!autoconsent) return { ok: false, detail: 'autoconsent did not arrive in this frame' };
  return autoconsent.run(command);
}
