import { QueryClient } from '@tanstack/react-query';
import { directoryKeys } from '@/lib/directory/client/queries';

/** The tab's query client (one per server render, one for the browser's life: app/providers.tsx). */
export function makeQueryClient(): QueryClient {
  const client = new QueryClient({
    defaultOptions: {
      // Server-rendered data is fresh on arrival; don't refetch it straight away.
      queries: { staleTime: 30_000, refetchOnWindowFocus: false },
    },
  });
  // The live presence state is written by the stream and the polls and read through a plain
  // cache subscription, never by an observer (components/presence/live-presence.tsx): without
  // this, TanStack would collect it five minutes after the page opened (its garbage-collection
  // timer starts when an entry is made, and writes do not restart it), and the tab would lose
  // everyone's presence, and with it the people index's searches, until a reload.
  client.setQueryDefaults(directoryKeys.presenceLive(), { gcTime: Infinity });
  return client;
}
