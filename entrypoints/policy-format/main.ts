// The policy format document (docs/policy-format.md), shipped with the extension and linked from the
// policy editor: shown as its Markdown source, which reads as plain text.
import text from '../../docs/policy-format.md?raw';

document.getElementById('doc')!.textContent = text;
