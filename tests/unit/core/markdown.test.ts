import { expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/lib/core/markdown';

it('renders headings, emphasis, lists, code and links', () => {
  const html = renderMarkdown('# Plan\nI expect **class weights** to lift *recall*.\n\n- one\n- two\n\n`x < 1`\n\n[docs](https://example.org)');
  expect(html).toContain('<h2>Plan</h2>');
  expect(html).toContain('<strong>class weights</strong>');
  expect(html).toContain('<em>recall</em>');
  expect(html).toContain('<ul><li>one</li><li>two</li></ul>');
  expect(html).toContain('<code>x &lt; 1</code>');
  expect(html).toContain('<a href="https://example.org" rel="noopener noreferrer" target="_blank">docs</a>');
});

it('never emits user-supplied tags or javascript links', () => {
  const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))');
  expect(html).not.toMatch(/<script|<img|href="javascript/);
  expect(html).toContain('&lt;script&gt;');
});
