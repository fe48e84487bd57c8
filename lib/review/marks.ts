/**
 * Validating and storing review marks. Pure: the storage is injected (the background passes
 * `browser.storage.local`, tests a Map), and what an extension page sends is checked again here.
 */
import { MAX_NOTE, MAX_REVIEWER, REVIEW_STATUSES, type ReviewMark, type Reviews, type ReviewStatus } from './types';

export * from './types';

export interface ReviewStorage {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/** One key per audit: marking a finding rewrites only that audit's marks. */
export const reviewKey = (auditId: string) => `review:v1:${auditId}`;

export function isReviewStatus(value: unknown): value is ReviewStatus {
  return (REVIEW_STATUSES as readonly unknown[]).includes(value);
}

/** What a caller may send: a status, and optionally a note and a reviewer. */
export interface ReviewInput {
  status: ReviewStatus;
  note?: string;
  reviewer?: string;
}

export function isReviewInput(value: unknown): value is ReviewInput {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const optionalString = (s: unknown) => s === undefined || typeof s === 'string';
  return isReviewStatus(v.status) && optionalString(v.note) && optionalString(v.reviewer);
}

/** A mark from an input: trimmed, bounded, stamped. Empty note or reviewer is dropped. */
export function markOf(input: ReviewInput, now: number): ReviewMark {
  const note = input.note?.trim().slice(0, MAX_NOTE);
  const reviewer = input.reviewer?.trim().slice(0, MAX_REVIEWER);
  return {
    status: input.status,
    ...(note ? { note } : {}),
    ...(reviewer ? { reviewer } : {}),
    at: new Date(now).toISOString(),
  };
}

/** Keeps only well-formed marks: what storage or a saved JSON holds is not trusted to be one. */
export function cleanReviews(value: unknown): Reviews {
  const out: Reviews = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [id, mark] of Object.entries(value as Record<string, unknown>)) {
    if (!isReviewInput(mark) || typeof (mark as { at?: unknown }).at !== 'string') continue;
    const m = mark as ReviewMark;
    out[id] = {
      status: m.status,
      ...(m.note ? { note: m.note } : {}),
      ...(m.reviewer ? { reviewer: m.reviewer } : {}),
      at: m.at,
    };
  }
  return out;
}

/** The background's store of review marks. */
export class ReviewStore {
  /** Writes one after another: two marks set at once must not read the same old marks. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: ReviewStorage) {}

  async get(auditId: string): Promise<Reviews> {
    const key = reviewKey(auditId);
    return cleanReviews((await this.storage.get(key))[key]);
  }

  /** Sets (or with `null`, clears) the mark of one finding; returns the audit's marks. */
  set(auditId: string, findingId: string, input: ReviewInput | null, now: number): Promise<Reviews> {
    const done = this.queue.then(() => this.write(auditId, findingId, input, now));
    this.queue = done.catch(() => undefined);
    return done;
  }

  private async write(auditId: string, findingId: string, input: ReviewInput | null, now: number): Promise<Reviews> {
    const reviews = await this.get(auditId);
    if (input) reviews[findingId] = markOf(input, now);
    else delete reviews[findingId];
    const key = reviewKey(auditId);
    if (Object.keys(reviews).length) await this.storage.set({ [key]: reviews });
    else await this.storage.remove(key);
    return reviews;
  }

  /** Drops an audit's marks (the audit was deleted). */
  async remove(auditId: string): Promise<void> {
    await this.storage.remove(reviewKey(auditId));
  }
}
