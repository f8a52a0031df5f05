import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

// README rendering (GitHub tables via remark-gfm): react-markdown builds React elements and ignores raw HTML in the source
// (no rehype-raw), so an extension's README cannot inject markup or scripts.
export function Markdown({ source }: { source: string }) {
  return (
    <div className="markdown" data-testid="readme">
      <ReactMarkdown skipHtml remarkPlugins={[remarkGfm]}>
        {source}
      </ReactMarkdown>
    </div>
  );
}
