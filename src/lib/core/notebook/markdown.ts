/**
 * Markdown for notes cells, rendered by markdown-it with raw HTML off (`<script>` in a note is
 * text) and its link check (no javascript:, vbscript:, file: or data: links). Images are off:
 * a note never loads anything. Headings shift down one level, since the cell sits under the
 * page's h1; links open in a new tab with rel="noopener noreferrer". The component sanitizes
 * the result again with DOMPurify before showing it.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.disable('image');

md.renderer.rules.heading_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
  return self.renderToken(tokens, idx, options);
};
md.renderer.rules.heading_close = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
  return self.renderToken(tokens, idx, options);
};
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'noopener noreferrer');
  token.attrSet('target', '_blank');
  return self.renderToken(tokens, idx, options);
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return md.utils.escapeHtml(text);
}

/** Renders Markdown to HTML; user-written tags come out as text. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}
