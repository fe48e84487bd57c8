// The policy format document (docs/policy-format.md), shipped with the extension and linked from the
// policy editor. It is rendered from the Markdown tree with text nodes only (lib/render/markdown.ts).
import text from '../../docs/policy-format.md?raw';
import { parseMarkdown, type Block, type Inline } from '@/lib/render/markdown';

/** Anchors within the page and web links only: a document cannot run script through a link. */
function safeHref(href: string): string | undefined {
  return /^(#|https?:\/\/)/.test(href) ? href : undefined;
}

function inline(parent: Node, items: Inline[]): void {
  for (const item of items) {
    if (item.kind === 'text') parent.appendChild(document.createTextNode(item.text));
    else if (item.kind === 'code') parent.appendChild(element('code', item.text));
    else if (item.kind === 'link' && safeHref(item.href)) {
      const a = document.createElement('a');
      a.href = safeHref(item.href)!;
      if (!item.href.startsWith('#')) a.target = '_blank';
      inline(a, item.children);
      parent.appendChild(a);
    } else {
      const node = document.createElement(item.kind === 'link' ? 'span' : item.kind);
      inline(node, item.children);
      parent.appendChild(node);
    }
  }
}

function element(tag: string, textContent?: string): HTMLElement {
  const node = document.createElement(tag);
  if (textContent !== undefined) node.textContent = textContent;
  return node;
}

function block(b: Block): HTMLElement {
  switch (b.kind) {
    case 'heading': {
      const h = element(`h${b.level}`);
      h.id = b.id;
      inline(h, b.children);
      return h;
    }
    case 'paragraph': {
      const p = element('p');
      inline(p, b.children);
      return p;
    }
    case 'list': {
      const list = element(b.ordered ? 'ol' : 'ul');
      for (const item of b.items) inline(list.appendChild(element('li')), item);
      return list;
    }
    case 'table': {
      const table = element('table');
      const head = table.appendChild(element('thead')).appendChild(element('tr'));
      for (const cell of b.head) inline(head.appendChild(element('th')), cell);
      const body = table.appendChild(element('tbody'));
      for (const row of b.rows) {
        const tr = body.appendChild(element('tr'));
        for (const cell of row) inline(tr.appendChild(element('td')), cell);
      }
      return table;
    }
    case 'code':
      return element('pre', b.text);
  }
}

const root = document.getElementById('doc')!;
for (const b of parseMarkdown(text)) root.appendChild(block(b));
// The URL's fragment names a heading that exists only now.
if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
