import type { Config } from 'tailwindcss';

// Semantic tokens only; everything else is Tailwind's defaults. Presence colours are Zulip's
// own (web/styles/app_variables.css) so the directory reads like the chat it mirrors. Each
// token points at a CSS variable that flips under prefers-color-scheme (app/globals.css).
const config = {
  content: ['./app/**/*.{ts,tsx}', './components/**/*.{ts,tsx}'],
  theme: {
    extend: {
      colors: {
        presence: {
          active: 'var(--presence-active)',
          idle: 'var(--presence-idle)',
          offline: 'var(--presence-offline)',
        },
        surface: {
          DEFAULT: 'var(--surface)',
          raised: 'var(--surface-raised)',
          sunken: 'var(--surface-sunken)',
        },
        ink: {
          DEFAULT: 'var(--ink)',
          muted: 'var(--ink-muted)',
        },
        line: 'var(--line)',
        accent: {
          DEFAULT: 'var(--accent)',
          ink: 'var(--accent-ink)',
        },
        warn: {
          DEFAULT: 'var(--warn)',
          surface: 'var(--warn-surface)',
        },
      },
    },
  },
} satisfies Config;

export default config;
