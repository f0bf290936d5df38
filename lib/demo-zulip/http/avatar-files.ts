// Serves avatar images without auth, as Zulip's nginx serves /user_avatars/: the uploaded avatar
// of each 'U' user at its unguessable path (100 px, and 500 px for `-medium`), and the system bots'
// static images. Anything else under these prefixes is a 404.
import type { ServerResponse } from 'node:http';
import type { DemoApp } from '../core/app';
import { colourFor, solidPng } from '../core/avatars';
import { uploadedAvatarFile } from '../core/users-format';
import { sendText } from './respond';

const AVATAR_PATH = /^\/user_avatars\/(\d+)\/([0-9a-f]{40})(-medium)?\.png$/;
const STATIC_AVATAR_PATH = /^\/static\/images\/static_avatars\/([a-z-]+)\.png$/;

export class AvatarFiles {
  private hashes: { version: number; byHash: Map<string, number> } | null = null;
  private readonly images = new Map<string, Buffer>();

  constructor(private readonly app: DemoApp) {}

  /** Answers the request if `path` is an avatar URL; returns false when it is not one. */
  serve(path: string, res: ServerResponse, headOnly: boolean): boolean {
    const uploaded = AVATAR_PATH.exec(path);
    const system = STATIC_AVATAR_PATH.exec(path);
    if (!uploaded && !system) return false;
    let png: Buffer | null = null;
    if (uploaded) {
      const [, realmId, hash, medium] = uploaded as unknown as [string, string, string, string | undefined];
      if (Number(realmId) === this.app.state.org.realm.id && this.userForHash(hash) !== undefined) {
        png = this.image(`${hash}${medium ?? ''}`, medium ? 500 : 100, colourFor(hash));
      }
    } else if (this.app.state.systemBots.some((b) => b.avatarPath === path)) {
      png = this.image(path, 100, [99, 110, 123]);
    }
    if (!png) {
      sendText(res, 404, 'Not Found', 'text/plain; charset=utf-8');
      return true;
    }
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': String(png.length), 'Cache-Control': 'public, max-age=86400' });
    res.end(headOnly ? undefined : png);
    return true;
  }

  /** Which user an avatar hash belongs to (only users whose avatar is currently an upload). */
  private userForHash(hash: string): number | undefined {
    const state = this.app.state;
    if (this.hashes?.version !== state.usersVersion) {
      const byHash = new Map<string, number>();
      for (const user of state.org.users) {
        if (user.avatar_source === 'U') byHash.set(uploadedAvatarFile(state, user), user.user_id);
      }
      this.hashes = { version: state.usersVersion, byHash };
    }
    return this.hashes.byHash.get(hash);
  }

  private image(key: string, size: number, rgb: [number, number, number]): Buffer {
    let png = this.images.get(key);
    if (!png) {
      png = solidPng(size, rgb);
      if (this.images.size > 2000) this.images.clear();
      this.images.set(key, png);
    }
    return png;
  }
}
