import { vi } from 'vitest';

// `server-only` throws when imported outside a React Server environment; unit and
// integration tests run server code directly in Node, which is what it guards.
vi.mock('server-only', () => ({}));
