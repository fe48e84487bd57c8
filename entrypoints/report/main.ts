import { mount, tick } from 'svelte';
import App from './App.svelte';
import '@/components/theme.css';
import { loadReport } from '@/components/report-source';
import { followPrinting } from '@/components/print-state.svelte';
import { initLanguage } from '@/components/i18n.svelte';

/**
 * The full report page. `report-ready` marks the first usable render (report loaded, page and
 * timeline drawn): tests wait for `data-ready`, the benchmark reads the mark.
 */
async function start() {
  performance.mark('report-start');
  const [loaded] = await Promise.all([loadReport(location.search), initLanguage()]);
  performance.mark('report-loaded');
  mount(App, { target: document.getElementById('app')!, props: loaded });
  await tick();
  requestAnimationFrame(() => {
    performance.mark('report-ready');
    document.documentElement.dataset.ready = loaded.report ? 'report' : 'error';
  });
}

followPrinting();
void start();
