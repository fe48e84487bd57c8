import { mount } from 'svelte';
import App from './App.svelte';
import '@/components/theme.css';
import { initLanguage } from '@/components/i18n.svelte';

/** The audited tab: `?tab=<id>` when opened as a page (tests, report tab), else the active tab. */
async function targetTab(): Promise<number> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? -1;
}

void Promise.all([targetTab(), initLanguage()]).then(([tabId]) =>
  mount(App, { target: document.getElementById('app')!, props: { tabId } }),
);
