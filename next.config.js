// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // The app is dynamic by nature (live Zulip data); nothing is prerendered at build time.
  poweredByHeader: false,
};
module.exports = nextConfig;
