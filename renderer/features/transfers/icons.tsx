/** Icons of the transfers feature (issue 6): decorative, hidden from assistive technology. */
import type { ReactNode } from 'react';

function Svg({ d }: { d: string }): ReactNode {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function PaperclipIcon(): ReactNode {
  return <Svg d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.5 3.5 0 0 1 5 5L10.3 18a2 2 0 0 1-2.8-2.8l7.9-7.9" />;
}

export function FileIcon(): ReactNode {
  return <Svg d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5" />;
}

export function TransfersIcon(): ReactNode {
  return <Svg d="M7 4v13M3 13l4 4 4-4M17 20V7M13 11l4-4 4 4" />;
}
