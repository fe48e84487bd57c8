/**
 * The renderers' own words (headings, column names, severities, review statuses) in French and
 * English. Finding titles and details are rendered from their message keys (lib/i18n); these
 * labels belong to the exported files' layout and stay beside it.
 */
import type { Evidence, Finding, LegalRef, Severity } from '../findings';
import { isLang, LANGS, render, type Lang } from '../i18n';
import type { ReviewStatus } from '../review/types';

export { isLang, LANGS, type Lang };

/** A finding's title in `lang`, from its message key (the English `title` for a report without keys). */
export function findingTitle(f: Finding, lang: Lang): string {
  return f.message?.title ? render(lang, f.message.title) : f.title;
}

/** A finding's detail in `lang`. */
export function findingDetail(f: Finding, lang: Lang): string {
  return f.message?.detail ? render(lang, f.message.detail) : f.detail;
}

/** A piece of evidence's note in `lang` (the English `note` for a report without its message). */
export function evidenceNote(e: Evidence, lang: Lang): string | undefined {
  return e.noteText ? render(lang, e.noteText) : e.note;
}

/** A legal reference's point in `lang`: French texts in French. */
export function legalPoint(r: LegalRef, lang: Lang): string {
  return lang === 'fr' ? (r.pointFr ?? r.point) : r.point;
}

const EN = {
  lang: 'en' as Lang,
  title: 'Consent audit report',
  summary: 'Summary',
  site: 'Site',
  url: 'Audited URL',
  policy: 'Policy',
  consent: 'Consent',
  noDecision: 'no decision',
  untrusted: 'not trusted',
  counts: 'Findings by severity',
  total: 'total',
  byRule: 'Findings by rule and subject',
  findings: 'Findings',
  noFindings: 'No findings.',
  rule: 'Rule',
  subject: 'Subject',
  severity: 'Severity',
  scenario: 'Scenario',
  phase: 'Phase',
  category: 'Category',
  classifiedBy: 'Classified by',
  policyClauses: 'Policy clauses',
  legalRefs: 'Legal references',
  evidence: 'Evidence',
  time: 'Time',
  kind: 'Kind',
  what: 'What',
  details: 'Details',
  gaps: 'What the policy does not say',
  cookies: 'Cookies',
  noCookies: 'No cookies.',
  name: 'Name',
  domain: 'Domain',
  path: 'Path',
  party: 'Party',
  firstParty: 'first party',
  thirdParty: 'third party',
  firstSeen: 'First seen',
  via: 'Written by',
  session: 'Session',
  yes: 'yes',
  no: 'no',
  requestedDays: 'Requested lifetime (days)',
  storedDays: 'Stored lifetime (days)',
  setter: 'Setter',
  findingIds: 'Findings',
  provenance: 'Provenance',
  tool: 'Tool',
  browser: 'Browser',
  started: 'Started',
  ended: 'Ended',
  generated: 'Generated',
  knowledge: 'Knowledge base',
  notes: 'Notes',
  errors: 'Parts not audited',
  review: 'Review',
  reviewer: 'Reviewer',
  note: 'Note',
  reviewedAt: 'Reviewed at',
  notReviewed: 'not reviewed',
  id: 'Id',
  titleCol: 'Title',
  detail: 'Detail',
  evidenceCount: 'Evidence',
  firstEvidence: 'First evidence',
  schema: 'Report schema version',
  severities: { high: 'high', medium: 'medium', low: 'low', info: 'info' } as Record<Severity, string>,
  statuses: {
    confirmed: 'confirmed',
    'false-positive': 'false positive',
    'to-investigate': 'to investigate',
  } as Record<ReviewStatus, string>,
};

export type Labels = typeof EN;

const FR: Labels = {
  lang: 'fr',
  title: "Rapport d'audit du consentement",
  summary: 'Synthèse',
  site: 'Site',
  url: 'URL auditée',
  policy: 'Politique',
  consent: 'Consentement',
  noDecision: 'aucune décision',
  untrusted: 'non fiable',
  counts: 'Constats par gravité',
  total: 'total',
  byRule: 'Constats par règle et par objet',
  findings: 'Constats',
  noFindings: 'Aucun constat.',
  rule: 'Règle',
  subject: 'Objet',
  severity: 'Gravité',
  scenario: 'Scénario',
  phase: 'Phase',
  category: 'Catégorie',
  classifiedBy: 'Classé par',
  policyClauses: 'Clauses de la politique',
  legalRefs: 'Références juridiques',
  evidence: 'Preuves',
  time: 'Heure',
  kind: 'Type',
  what: 'Quoi',
  details: 'Détails',
  gaps: 'Ce que la politique ne dit pas',
  cookies: 'Cookies',
  noCookies: 'Aucun cookie.',
  name: 'Nom',
  domain: 'Domaine',
  path: 'Chemin',
  party: 'Partie',
  firstParty: 'première partie',
  thirdParty: 'tierce partie',
  firstSeen: 'Vu pour la première fois',
  via: 'Écrit par',
  session: 'Session',
  yes: 'oui',
  no: 'non',
  requestedDays: 'Durée demandée (jours)',
  storedDays: 'Durée enregistrée (jours)',
  setter: 'Déposé par',
  findingIds: 'Constats',
  provenance: 'Provenance',
  tool: 'Outil',
  browser: 'Navigateur',
  started: 'Début',
  ended: 'Fin',
  generated: 'Généré le',
  knowledge: 'Base de connaissances',
  notes: 'Notes',
  errors: 'Parties non auditées',
  review: 'Revue',
  reviewer: 'Relecteur',
  note: 'Note',
  reviewedAt: 'Revu le',
  notReviewed: 'non revu',
  id: 'Id',
  titleCol: 'Titre',
  detail: 'Détail',
  evidenceCount: 'Preuves',
  firstEvidence: 'Première preuve',
  schema: 'Version du schéma du rapport',
  severities: { high: 'élevée', medium: 'moyenne', low: 'faible', info: 'info' },
  statuses: { confirmed: 'confirmé', 'false-positive': 'faux positif', 'to-investigate': 'à examiner' },
};

/** The renderers' labels in `lang`. */
export function labels(lang: Lang): Labels {
  return lang === 'fr' ? FR : EN;
}
