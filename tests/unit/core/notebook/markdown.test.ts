import { expect, it } from 'vitest';
import { renderMarkdown } from '../../../../src/lib/core/notebook';

it('renders headings (one level down), emphasis, lists, code and links', () => {
  const html = renderMarkdown('# Plan\nI expect **class weights** to lift *recall*.\n\n- one\n- two\n\n1. first\n\n`x < 1`\n\n```\na <b>\n```\n\n[docs](https://example.org)');
  expect(html).toContain('<h2>Plan</h2>');
  expect(html).toContain('<strong>class weights</strong>');
  expect(html).toContain('<em>recall</em>');
  expect(html.replace(/\n/g, '')).toContain('<ul><li>one</li><li>two</li></ul>');
  expect(html.replace(/\n/g, '')).toContain('<ol><li>first</li></ol>');
  expect(html).toContain('<code>x &lt; 1</code>');
  expect(html).toContain('<pre><code>a &lt;b&gt;\n</code></pre>');
  expect(html).toContain('<a href="https://example.org" rel="noopener noreferrer" target="_blank">docs</a>');
});

it('shifts every heading level and caps at h6', () => {
  const html = renderMarkdown('## Two\n\n#### Four\n\n###### Six');
  expect(html).toContain('<h3>Two</h3>');
  expect(html).toContain('<h5>Four</h5>');
  expect(html).toContain('<h6>Six</h6>');
  expect(html).not.toContain('<h1');
});

it('never emits user-supplied tags, javascript links or images', () => {
  const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](data:text/html,hi) ![pic](https://example.org/a.png)');
  expect(html).not.toMatch(/<script|<img|href="javascript|href="data/);
  expect(html).toContain('&lt;script&gt;');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
});

it('turns bare http links into safe links', () => {
  expect(renderMarkdown('see https://example.org/x')).toContain('<a href="https://example.org/x" rel="noopener noreferrer" target="_blank">https://example.org/x</a>');
});
