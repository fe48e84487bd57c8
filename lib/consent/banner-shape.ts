/**
 * Whether an element the content script measured is a consent banner: a visible dialog, or a
 * fixed or sticky layer, that speaks of cookies or consent and holds controls that accept or refuse
 * (or open the choices). Pure: the content script reads the DOM (text, role, computed position,
 * z-index, bounding box, its controls) and hands the description here, so the test is the same in
 * every browser and in unit tests. Deliberately strict: a cookie policy page's body or a footer
 * link "Cookies" is no banner, because neither is a dialog or a fixed layer with decision controls.
 */
import { classifyControl, consentWords, type ControlClass, type ControlDescription } from './control-words';

/** What the content script measures of one candidate element. */
export interface BannerCandidate {
  /** Visible text, first few thousand characters. */
  text: string;
  role?: string;
  ariaModal?: boolean;
  /** `<dialog open>`. */
  openDialog?: boolean;
  /** Computed `position`. */
  position: string;
  /** Computed `z-index`, when a number. */
  zIndex?: number;
  /** Bounding box, CSS pixels. */
  width: number;
  height: number;
  /** Computed `visibility`/`display`/`opacity` say it shows. */
  visible: boolean;
  viewport: { width: number; height: number };
  controls: ControlDescription[];
}

export interface BannerVerdict {
  isBanner: boolean;
  /** 0..1: how much of the banner shape is there (for choosing between candidates). */
  score: number;
  /** Why, in words (what was found and what was missing). */
  reasons: string[];
  /** The consent words found in its text. */
  words: string[];
  /** Each control with its kind (undefined when its words say none). */
  controls: Array<ControlDescription & { class?: ControlClass }>;
}

const MIN_WIDTH = 150;
const MIN_HEIGHT = 30;

/** Scores a candidate; `isBanner` needs all of: visible, a layer, consent words, an accept/refuse/settings control. */
export function scoreBanner(candidate: BannerCandidate): BannerVerdict {
  const reasons: string[] = [];
  const controls = candidate.controls.slice(0, 50).map((c): ControlDescription & { class?: ControlClass } => {
    const cls = classifyControl(c);
    return cls ? { ...c, class: cls } : { ...c };
  });
  const kinds = new Set(controls.map((c) => c.class?.kind).filter(Boolean));
  const words = consentWords(candidate.text);

  const visible = candidate.visible && candidate.width >= MIN_WIDTH && candidate.height >= MIN_HEIGHT;
  reasons.push(visible ? `visible (${Math.round(candidate.width)}×${Math.round(candidate.height)})` : 'not visible');

  const dialog =
    candidate.openDialog ||
    candidate.ariaModal ||
    ['dialog', 'alertdialog'].includes((candidate.role ?? '').toLowerCase());
  const layer = candidate.position === 'fixed' || candidate.position === 'sticky';
  reasons.push(dialog ? 'a dialog' : layer ? `a ${candidate.position} layer` : 'neither a dialog nor a fixed layer');

  reasons.push(words.length ? `consent words: ${words.join(', ')}` : 'no consent words');
  const decisive = kinds.has('accept') || kinds.has('refuse') || kinds.has('settings');
  reasons.push(decisive ? `controls: ${[...kinds].join(', ')}` : 'no accept, refuse or settings control');

  const area = (candidate.width * candidate.height) / Math.max(1, candidate.viewport.width * candidate.viewport.height);
  const score =
    (visible ? 0.25 : 0) +
    (dialog || layer ? 0.25 : 0) +
    (words.length ? 0.2 : 0) +
    (kinds.has('accept') ? 0.1 : 0) +
    (kinds.has('refuse') ? 0.1 : 0) +
    (kinds.has('settings') || kinds.has('save') ? 0.05 : 0) +
    (area > 0.02 && area < 0.95 ? 0.05 : 0);
  return {
    isBanner: visible && (dialog || layer) && words.length > 0 && decisive,
    score: Math.round(score * 100) / 100,
    reasons,
    words,
    controls,
  };
}
