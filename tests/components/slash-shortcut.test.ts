// @vitest-environment jsdom
// The "/" shortcut's switch (WCAG 2.1.4): kept in this browser, told to every listener, and
// still obeyed for the page's life where the browser refuses to keep anything.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setSlashShortcut, slashShortcutOn } from '@/components/ui/slash-shortcut';

afterEach(() => {
  vi.restoreAllMocks();
  localStorage.clear();
});

describe('the / shortcut setting', () => {
  it('is on until turned off, and the choice is kept', () => {
    expect(slashShortcutOn()).toBe(true);
    expect(setSlashShortcut(false)).toBe(true);
    expect(slashShortcutOn()).toBe(false);
    expect(localStorage.getItem('directory.slash-shortcut')).toBe('off');
    expect(setSlashShortcut(true)).toBe(true);
    expect(slashShortcutOn()).toBe(true);
  });

  it('where storage reads but will not write (full, or a private window of an older Safari), obeys the choice all the same', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(setSlashShortcut(false)).toBe(false);
    expect(slashShortcutOn()).toBe(false);
    vi.restoreAllMocks();
    // Written back on as it can be (a removal), the choice is the browser's again.
    expect(setSlashShortcut(true)).toBe(true);
    expect(slashShortcutOn()).toBe(true);
  });

  it('where storage is refused, says the choice is not kept and obeys it until a reload', () => {
    const refused = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(refused);
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(refused);
    vi.spyOn(Storage.prototype, 'removeItem').mockImplementation(refused);
    expect(slashShortcutOn()).toBe(true);
    expect(setSlashShortcut(false)).toBe(false);
    expect(slashShortcutOn()).toBe(false);
    expect(setSlashShortcut(true)).toBe(false);
    expect(slashShortcutOn()).toBe(true);
  });
});
