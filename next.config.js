// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // The app is dynamic by nature (live Zulip data); nothing is prerendered at build time.
  poweredByHeader: false,
  // forbidden() and unauthorized() give pages real 403/401 answers (lib/access/viewer.ts).
  experimental: { authInterrupts: true },
  // proxy.ts sets the security headers on everything it sees; these cover the files it does not.
  async headers() {
    return [
      {
        source: '/_next/static/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};
module.exports = nextConfig;
