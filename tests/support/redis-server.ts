// A real Redis for the tests (never a mock): Debian's redis-server on a free port, with nothing
// written to disk, that a test can stop and start again on the same port (a Redis outage).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, createConnection } from 'node:net';
import { findRedisServer } from './redis-binary';

export interface RedisServer {
  url: string;
  port: number;
  /** Kills it (SIGKILL: an outage, not a shutdown). Its data is gone, as with a Redis without persistence. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(String(data).startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  const found = findRedisServer(process.env);
  if (!found.ok) throw new Error(`${found.error} Run \`tsx scripts/ensure-redis.ts\` (npm test does).`);
  const port = await freePort();
  let child: ChildProcess | null = null;

  // A test run that ends without stopping it (a crash, a timeout) must not leave it running.
  const killOnExit = () => child?.kill('SIGKILL');
  const start = async () => {
    process.once('exit', killOnExit);
    child = spawn(found.path, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    process.off('exit', killOnExit);
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}
