/** Who is viewing: a member signed in (a session) or named by the proxy; null in the open mode (lib/server/viewer.ts checks it). */
export interface Viewer {
  id: number;
  name: string;
  via: 'session' | 'proxy';
}
