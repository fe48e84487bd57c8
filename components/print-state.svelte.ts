/**
 * Whether the page is being printed: set on `beforeprint`, cleared on `afterprint`, so components
 * render in full what they otherwise render on demand (closed evidence, rows out of view).
 */
export const printing = $state({ on: false });

/** Starts following the browser's print events (once per page). */
export function followPrinting(): void {
  window.addEventListener('beforeprint', () => (printing.on = true));
  window.addEventListener('afterprint', () => (printing.on = false));
}
