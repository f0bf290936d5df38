// @vitest-environment jsdom
// The "/" shortcut's switch (WCAG 2.1.4): kept in this browser, told to every listener, and
// still obeyed for the page's life where the browser refuses to keep anything.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setSlashShortcut, slashShortcutOn, subscribeSlashShortcut } from '@/components/ui/slash-shortcut';

afterEach(() => {
  vi.restoreAllMocks();
  localStorage.clear();
});

describe('the / shortcut setting', () => {
  it('is on until turned off, and the choice is kept and told to listeners', () => {
    expect(slashShortcutOn()).toBe(true);
    const heard = vi.fn();
    const stop = subscribeSlashShortcut(heard);
    expect(setSlashShortcut(false)).toBe(true);
    expect(slashShortcutOn()).toBe(false);
    expect(localStorage.getItem('directory.slash-shortcut')).toBe('off');
    expect(setSlashShortcut(true)).toBe(true);
    expect(slashShortcutOn()).toBe(true);
    expect(heard).toHaveBeenCalledTimes(2);
    stop();
    setSlashShortcut(false);
    expect(heard).toHaveBeenCalledTimes(2);
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
