'use client';

import { QueryClientProvider, isServer, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { makeQueryClient } from '@/lib/directory/client/query-client';

let browserQueryClient: QueryClient | undefined;

// TanStack's App Router pattern: a new client per server render, one for the browser's life.
function getQueryClient() {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function Providers({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={getQueryClient()}>{children}</QueryClientProvider>;
}
