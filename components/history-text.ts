import type { Lang } from '@/lib/render/labels';
import { currentLang } from './i18n.svelte';

/**
 * The words of the export, review and history components, in French and English. Kept beside them
 * (like lib/render's labels) so these components carry their own text; `ht()` reads the interface
 * language, so a template re-renders when the switch changes.
 */
const EN = {
  exportJson: 'Export JSON',
  exportHtml: 'HTML',
  exportCsvFindings: 'CSV findings',
  exportCsvCookies: 'CSV cookies',
  exportGroup: 'Export',
  exportLang: 'Language',
  saved: 'Saved',
  review: 'Review',
  reviewOpen: 'Review…',
  edit: 'Edit',
  reviewer: 'Reviewer',
  note: 'Note',
  save: 'Save',
  clear: 'Clear',
  cancel: 'Cancel',
  confirmed: 'Confirmed',
  'false-positive': 'False positive',
  'to-investigate': 'To investigate',
  pastAudits: 'Past audits',
  backToHistory: '← Past audits',
  loading: 'Loading…',
  noAudits: 'No audits kept.',
  site: 'Site',
  started: 'Started',
  state: 'State',
  findings: 'Findings',
  reviewed: 'Reviewed',
  actions: 'Actions',
  running: 'running',
  ended: 'ended',
  open: 'Open',
  delete: 'Delete',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'info',
  confirmDelete: 'Delete the audit of {site} ({date}) and its review marks?',
};

type Key = keyof typeof EN;

const FR: Record<Key, string> = {
  exportJson: 'Exporter en JSON',
  exportHtml: 'HTML',
  exportCsvFindings: 'CSV des constats',
  exportCsvCookies: 'CSV des cookies',
  exportGroup: 'Exporter',
  exportLang: 'Langue',
  saved: 'Enregistré',
  review: 'Revue',
  reviewOpen: 'Revoir…',
  edit: 'Modifier',
  reviewer: 'Relecteur',
  note: 'Note',
  save: 'Enregistrer',
  clear: 'Effacer',
  cancel: 'Annuler',
  confirmed: 'Confirmé',
  'false-positive': 'Faux positif',
  'to-investigate': 'À examiner',
  pastAudits: 'Audits passés',
  backToHistory: '← Audits passés',
  loading: 'Chargement…',
  noAudits: 'Aucun audit conservé.',
  site: 'Site',
  started: 'Début',
  state: 'État',
  findings: 'Constats',
  reviewed: 'Revus',
  actions: 'Actions',
  running: 'en cours',
  ended: 'terminé',
  open: 'Ouvrir',
  delete: 'Supprimer',
  high: 'élevée',
  medium: 'moyenne',
  low: 'faible',
  info: 'info',
  confirmDelete: "Supprimer l'audit de {site} ({date}) et ses marques de revue ?",
};

/** The text of `key` in `lang`, with `{name}` placeholders filled. */
export function historyText(lang: Lang, key: Key, params: Record<string, string> = {}): string {
  return (lang === 'fr' ? FR : EN)[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** The same, in the interface language. */
export function ht(key: Key, params?: Record<string, string>): string {
  return historyText(currentLang(), key, params);
}
