/**
 * The journeys the regulators check, as data: what the extension measures on a banner (its layers,
 * controls and choices) and what it is asked to do (`JourneyGoal`). The measuring and clicking is
 * done in the page by the consent content script (entrypoints/consent.content/journey.ts); the rules
 * judge what it recorded (lib/rules/refusal-harder-than-acceptance.ts, pre-ticked-choices.ts).
 */

/** What a control means, from its label and role (lib/consent/journey-classify.ts). */
export type ControlClass = 'accept' | 'refuse' | 'settings' | 'close' | 'withdraw' | 'save';

/** One control of a banner layer, measured in the page with its computed styles. */
export interface ControlMeasure {
  /** Visible label (or accessible name), trimmed, at most 80 characters. */
  text: string;
  /** Absent when the label means nothing known. */
  kind?: ControlClass;
  /** `button`, `a`, `input`... */
  tag: string;
  /** Rendered size, CSS pixels. */
  width: number;
  height: number;
  /** Computed font size, CSS pixels. */
  fontSize: number;
  /** Computed text colour, `rgb(r, g, b)` or `rgba(...)`. */
  color: string;
  /** The effective background: the control's own, else its first ancestor's that is not transparent. */
  background: string;
}

/** A purpose checkbox or switch of a settings layer, as found when the layer opened. */
export interface ToggleMeasure {
  /** Its label, trimmed, at most 80 characters. */
  label: string;
  checked: boolean;
  disabled: boolean;
  /** Its label says strictly necessary (or it is checked and cannot be unchecked). */
  necessary: boolean;
}

/** One layer of a banner: the first one shown, or the one a settings control opens. */
export interface LayerMeasure {
  controls: ControlMeasure[];
  toggles: ToggleMeasure[];
}

/** How a choice is reached: how many clicks, and on which layer (0 is the first). */
export interface ChoicePath {
  steps: number;
  layer: number;
  control: ControlMeasure;
}

/** A banner as the extension measured it, before any choice. */
export interface BannerMeasure {
  layers: LayerMeasure[];
  accept?: ChoicePath;
  /** Absent when no way to refuse was found on any layer. */
  refuse?: ChoicePath;
}

/** What the popup or the command line asks the extension to do on the page's banner. */
export const JOURNEY_GOALS = ['detect', 'measure', 'accept', 'refuse', 'withdraw'] as const;
export type JourneyGoal = (typeof JOURNEY_GOALS)[number];

/** What the page's consent script did for a goal. */
export interface JourneyResult {
  /** The goal was reached: the banner found, measured, or the choice made. */
  done: boolean;
  /** In plain words: the controls clicked, or why nothing could be done. */
  detail: string;
  /** Clicks it took. */
  steps?: number;
  /** The labels clicked, in order. */
  clicked?: string[];
  banner?: BannerMeasure;
}
