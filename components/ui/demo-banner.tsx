/** Shown on every page while the app runs on its embedded demo Zulip server. */
export function DemoBanner() {
  return (
    // One line on a phone too: the first screen is for people.
    <div className="bg-accent px-4 py-1.5 text-center text-xs text-accent-ink sm:text-sm">
      Demo organization: connect your Zulip (see the <span className="max-sm:hidden">README’s “Point it at your Zulip”</span>
      <span className="sm:hidden">README</span>).
    </div>
  );
}
