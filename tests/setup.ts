import { vi } from 'vitest';

// `server-only` throws when imported outside a React Server environment; unit and
// integration tests run server code directly in Node, which is what it guards.
vi.mock('server-only', () => ({}));

// The server log is for operators; tests that read it make a logger of their own (createLogger).
process.env.LOG_LEVEL ??= 'silent';
