// Debian's Chromium through Playwright, as the e2e tests use it, kept on loopback: every host
// name but 127.0.0.1 fails to resolve, except Gravatar's, which is answered by a small local
// HTTPS server (the demo organization's avatars are Gravatar URLs; without it every row's
// picture would fail to load and re-render, which a real deployment never sees).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';
import { scratch } from './proc';

/** A solid 80×80 PNG, about the size of a Gravatar identicon. */
function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const size = 80;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, 0x8a)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

let avatarServer: Promise<{ server: Server; port: number }> | null = null;

function startAvatarServer(): Promise<{ server: Server; port: number }> {
  avatarServer ??= (async () => {
    const key = join(scratch(), 'avatar-key.pem');
    const cert = join(scratch(), 'avatar-cert.pem');
    if (!existsSync(cert)) {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=secure.gravatar.com'], { stdio: 'ignore' });
    }
    const image = png();
    const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': image.length, 'Cache-Control': 'public, max-age=300' });
      res.end(image);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    return { server, port: (server.address() as AddressInfo).port };
  })();
  return avatarServer;
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = '/usr/bin/chromium';
  const { port } = await startAvatarServer();
  return chromium.launch({
    ...(existsSync(executablePath) ? { executablePath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--host-resolver-rules=MAP secure.gravatar.com 127.0.0.1:${port}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
      // Only for the local stand-in for Gravatar above.
      '--ignore-certificate-errors',
    ],
  });
}
