'use client';

import { useState } from 'react';
import { setSlashShortcut, useSlashShortcutOn } from '@/components/ui/slash-shortcut';
import { useHydrated } from '@/components/ui/use-hydrated';

/** The switch for the "/" shortcut on /shortcuts (components/ui/slash-shortcut.ts says why it exists). */
export function SlashShortcutSetting() {
  const on = useSlashShortcutOn();
  // Without JavaScript there is no shortcut to turn off, and nothing to keep the choice.
  const scripted = useHydrated();
  const [kept, setKept] = useState(true);
  return (
    <div className="space-y-1">
      <label className="flex items-center gap-2 font-medium">
        <input type="checkbox" checked={on} disabled={!scripted} onChange={(e) => setKept(setSlashShortcut(e.target.checked))} className="h-4 w-4 accent-accent" />
        Slash (/) moves to the search box
      </label>
      <p className="text-sm text-ink-muted">Turn it off if you use speech input or press it by accident. This browser remembers the choice.</p>
      {!kept && (
        <p role="status" className="text-sm text-warn">
          This browser keeps no settings: the choice lasts until you reload the page.
        </p>
      )}
    </div>
  );
}
