import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import { Providers } from '@/app/providers';
import { originFromHeaders } from '@/lib/access/request-origin';
import './globals.css';
import { theApp } from '@/lib/server/app-handle';

export async function generateMetadata(): Promise<Metadata> {
  const requestHeaders = await headers();
  const origin = originFromHeaders(requestHeaders, theApp().settings.access);
  return {
    title: { default: 'Staff directory', template: '%s' },
    description: 'Find a colleague and see whether they are reachable on Zulip right now.',
    // Pages' canonical and Open Graph addresses are paths: this makes them absolute, as they must be.
    ...(origin ? { metadataBase: new URL(origin) } : {}),
  };
}

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#15171c' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, the not-found page included, so each gets its own CSP
  // nonce (proxy.ts): a page prerendered at build time would carry none and its scripts would not run.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-surface focus:px-3 focus:py-1">
          Skip to content
        </a>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
