import { mount } from 'svelte';
import App from './App.svelte';
import { initLanguage } from '@/components/i18n.svelte';

void initLanguage().finally(() => mount(App, { target: document.getElementById('app')! }));
