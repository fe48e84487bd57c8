/**
 * Review marks: the compliance team's verdict on each finding (the EDPB auditing tool's "compliant /
 * not compliant / to be determined", applied to a finding). A mark is kept by audit id and finding
 * id, so it survives a rebuild of the report, and travels in every export (`AuditReport.reviews`).
 */

export const REVIEW_STATUSES = ['confirmed', 'false-positive', 'to-investigate'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** One reviewer's mark on one finding. */
export interface ReviewMark {
  status: ReviewStatus;
  /** Free text: why, what to check, who was told. */
  note?: string;
  /** Who marked it. */
  reviewer?: string;
  /** When it was marked, ISO 8601. */
  at: string;
}

/** An audit's marks, by finding id. */
export type Reviews = Record<string, ReviewMark>;

/** Longest note and reviewer name kept: marks are stored, not documents. */
export const MAX_NOTE = 2000;
export const MAX_REVIEWER = 100;
