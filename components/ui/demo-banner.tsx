/** Shown on every page while the app runs on its embedded demo Zulip server. */
export function DemoBanner() {
  return (
    <div className="bg-accent px-4 py-1.5 text-center text-sm text-accent-ink">
      Demo organization: connect your Zulip (see the README’s “Point it at your Zulip”).
    </div>
  );
}
